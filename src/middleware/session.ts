import type { Express, Request } from 'express';
import type { SessionData } from 'express-session';
import session from 'express-session';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { CurrentUser } from '../repositories/utentiRepository.js';
import * as sessioni from '../repositories/sessioniRepository.js';

export const SESSION_COOKIE = 'bilancio.sid';
/** Eight hours without a request end the session. */
const SESSION_LENGTH = 8 * 60 * 60 * 1000;

/** Where the store leaves the user it read with the session (see createSession). */
const SESSION_USER = Symbol('sessionUser');

/** How often a session's expiry is moved forward in the database. */
export const TOUCH_INTERVAL = 60 * 1000;

/**
 * Sessions in the table `session`, through knex's own pool (a second pool on
 * the embedded database would share its single backend session).
 *
 * - `get` reads the session and its user in one query: every page needs
 *   both, so that is one round trip less on every request
 *   (bench/BENCHMARKS.md). The user reaches the request as `req.sessionUser`
 *   (loadCurrentUser), never the stored session.
 * - express-session "touches" an unchanged session on every request, an
 *   UPDATE and a commit per page view only to move the expiry forward. Here
 *   the expiry moves at most once a minute per session, so an idle session
 *   ends at most a minute before its eight hours.
 * - With `prune`, expired sessions are deleted every 15 minutes (the server
 *   turns it on; tests don't, their databases are short-lived).
 */
export class PgSessionStore extends session.Store {
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly knex: Knex,
    options: { prune?: boolean } = {},
  ) {
    super();
    this.every(TOUCH_INTERVAL, () => {
      const stale = Date.now() - TOUCH_INTERVAL;
      for (const [sid, at] of this.touchedAt) if (at < stale) this.touchedAt.delete(sid);
    });
    // A failed prune is retried at the next interval; expired sessions are never served meanwhile.
    if (options.prune) this.every(15 * 60 * 1000, () => void sessioni.deleteExpiredSessions(this.knex).catch(() => {}));
  }

  /** Timers that never keep the process alive. */
  private every(ms: number, task: () => void) {
    setInterval(task, ms).unref();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void) {
    sessioni.findSessionWithUser(this.knex, sid).then(
      (found) => callback(null, found ? Object.assign(found.sess, { [SESSION_USER]: found.user }) : null),
      callback,
    );
  }

  /** express-session builds req.session from what `get` returned: the user goes on the request. */
  override createSession(req: Request, sess: SessionData) {
    req.sessionUser = (sess as SessionData & { [SESSION_USER]?: CurrentUser | null })[SESSION_USER] ?? null;
    return super.createSession(req, sess);
  }

  override set(sid: string, sess: SessionData, callback?: (err?: unknown) => void) {
    this.touchedAt.set(sid, Date.now());
    sessioni.saveSession(this.knex, sid, sess, expiryOf(sess)).then(() => callback?.(), callback);
  }

  override touch(sid: string, sess: SessionData, callback?: () => void) {
    const now = Date.now();
    if (now - (this.touchedAt.get(sid) ?? 0) < TOUCH_INTERVAL) {
      callback?.();
      return;
    }
    this.touchedAt.set(sid, now);
    sessioni.touchSession(this.knex, sid, expiryOf(sess)).then(() => callback?.(), callback as (err: unknown) => void);
  }

  override destroy(sid: string, callback?: (err?: unknown) => void) {
    this.touchedAt.delete(sid);
    sessioni.deleteSession(this.knex, sid).then(() => callback?.(), callback);
  }
}

function expiryOf(sess: SessionData): Date {
  const expires = sess.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + SESSION_LENGTH);
}

export function createSessionStore(knex: Knex, options: { prune?: boolean } = {}) {
  return new PgSessionStore(knex, options);
}

/**
 * What the pages tell public/js/sessione.js: how long an idle page keeps its session, counted
 * short by the store's touch interval (the stored expiry may lag that much behind the last request).
 */
export const PAGE_SESSION_MS = SESSION_LENGTH - TOUCH_INTERVAL;

export function setUpSession(app: Express, store: session.Store, config: Config) {
  app.locals.sessioneDurataMs = PAGE_SESSION_MS;
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
