import type { Db } from '../db/types.js';

export async function recordLoginAttempt(db: Db, attempt: { username: string; ip: string; riuscito: boolean }) {
  await db('login_tentativi').insert(attempt);
}

/** Failed attempts since `since` for this username, and from this address. */
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
