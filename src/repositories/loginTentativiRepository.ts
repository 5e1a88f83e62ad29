import type { Db } from '../db/types.js';

/** Advisory lock classes (first key of the two-key form) of the login throttle. */
const LOCK_USERNAME = 20_261_203;
const LOCK_IP = 20_261_204;

/**
 * Holds the throttle's locks for this username and address until the transaction ends, so that
 * a burst of parallel logins is counted one at a time. Always username first, then address: every
 * transaction takes them in the same order, so two never wait on each other.
 */
export async function lockLoginThrottle(db: Db, username: string, ip: string) {
  await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [LOCK_USERNAME, username]);
  await db.raw('select pg_advisory_xact_lock(?, hashtext(?))', [LOCK_IP, ip]);
}

/** Stores an attempt, counted as failed until `markAttemptSucceeded`; returns its id. */
export async function insertLoginAttempt(db: Db, attempt: { username: string; ip: string; created_at: Date }): Promise<number> {
  const [row] = await db('login_tentativi').insert({ ...attempt, riuscito: false }).returning('id');
  return Number(row.id);
}

export async function markAttemptSucceeded(db: Db, id: number) {
  await db('login_tentativi').where({ id }).update({ riuscito: true });
}

/** Failed (or not yet decided) attempts since `since` for this username, and from this address. */
export async function countRecentFailures(db: Db, username: string, ip: string, since: Date) {
  const row = await db('login_tentativi')
    .where('created_at', '>=', since)
    .andWhere('riuscito', false)
    .first(
      db.raw('count(*) filter (where username = ?)::int as per_username', [username]),
      db.raw('count(*) filter (where ip = ?)::int as per_ip', [ip]),
    );
  return { perUsername: Number(row?.per_username ?? 0), perIp: Number(row?.per_ip ?? 0) };
}

export async function deleteAttemptsBefore(db: Db, before: Date) {
  return db('login_tentativi').where('created_at', '<', before).del();
}
