import type { SessionData } from 'express-session';
import type { Db } from '../db/types.js';
import { currentUserColumns, type CurrentUser } from './utentiRepository.js';

/**
 * A live session and, when it belongs to an active user, that user: one query
 * for what every page needs before it can start (bench/BENCHMARKS.md).
 * Expiry times are written with to_timestamp() and compared with now(), both
 * in the server's time zone, so the app's TZ never shifts them.
 */
export async function findSessionWithUser(db: Db, sid: string): Promise<{ sess: SessionData; user: CurrentUser | null } | undefined> {
  const row = await db('session as sn')
    .leftJoin('utenti as u', (join) => join.on(db.raw("u.id = (sn.sess->>'userId')::bigint")).andOnVal('u.attivo', true))
    .leftJoin('scuole as s', 's.id', 'u.scuola_id')
    .where('sn.sid', sid)
    .andWhere('sn.expire', '>=', db.fn.now())
    .first(['sn.sess', ...currentUserColumns(db)]);
  if (!row) return undefined;
  const { sess, ...user } = row as { sess: SessionData } & CurrentUser;
  return { sess, user: user.id === null ? null : user };
}

/** Writes the whole session (insert or replace). */
export async function saveSession(db: Db, sid: string, sess: SessionData, expiresAt: Date) {
  await db('session')
    .insert({ sid, sess: JSON.stringify(sess), expire: db.raw('to_timestamp(?)', [expiresAt.getTime() / 1000]) })
    .onConflict('sid')
    .merge(['sess', 'expire']);
}

/** Moves an unchanged session's expiry forward. */
export async function touchSession(db: Db, sid: string, expiresAt: Date) {
  await db('session').where({ sid }).update({ expire: db.raw('to_timestamp(?)', [expiresAt.getTime() / 1000]) });
}

export async function deleteSession(db: Db, sid: string) {
  await db('session').where({ sid }).del();
}

export async function deleteExpiredSessions(db: Db): Promise<number> {
  return db('session').where('expire', '<', db.fn.now()).del();
}
