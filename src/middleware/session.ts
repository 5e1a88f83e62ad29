import type { Express } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Knex } from 'knex';
import type { Config } from '../config.js';

export const SESSION_COOKIE = 'bilancio.sid';
/** Eight hours without a request end the session. */
const SESSION_LENGTH = 8 * 60 * 60 * 1000;

/**
 * connect-pg-simple borrows connections from knex's own pool: a second pool on
 * the embedded database would share its single backend session.
 */
function knexPoolAdapter(knex: Knex) {
  return {
    async query(text: string, params?: unknown[]) {
      const connection = await knex.client.acquireConnection();
      try {
        return await connection.query(text, params);
      } finally {
        await knex.client.releaseConnection(connection);
      }
    },
  };
}

/**
 * Sessions in the database. `prune` deletes expired ones every 15 minutes (the
 * server turns it on; tests don't, their databases are short-lived).
 */
export function createSessionStore(knex: Knex, options: { prune?: boolean } = {}) {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: knexPoolAdapter(knex) as never,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: options.prune ? 15 * 60 : false,
  });
  return throttleTouch(store);
}

/** How often a session's expiry is moved forward in the database. */
export const TOUCH_INTERVAL = 60 * 1000;

/**
 * express-session "touches" an unchanged session on every request: an UPDATE
 * and a commit per page view, only to move the expiry forward. Here the expiry
 * moves at most once a minute per session, so an idle session ends at most a
 * minute before its eight hours. Measured under load: see bench/BENCHMARKS.md.
 */
function throttleTouch<S extends session.Store>(store: S): S {
  const touchedAt = new Map<string, number>();
  const touch = store.touch?.bind(store);
  if (!touch) return store;
  const sweep = setInterval(() => {
    const stale = Date.now() - TOUCH_INTERVAL;
    for (const [sid, at] of touchedAt) if (at < stale) touchedAt.delete(sid);
  }, TOUCH_INTERVAL);
  sweep.unref();
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    if (now - (touchedAt.get(sid) ?? 0) < TOUCH_INTERVAL) {
      callback?.();
      return;
    }
    touchedAt.set(sid, now);
    touch(sid, sess, callback);
  };
  return store;
}

export function setUpSession(app: Express, store: session.Store, config: Config) {
  app.use(
    session({
      name: SESSION_COOKIE,
      store,
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.tls, maxAge: SESSION_LENGTH },
    }),
  );
}

/** Promise forms of the session's callbacks, so Express 5 forwards their errors. */
export function regenerateSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Express.Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}
