import type { Knex } from 'knex';
import { findCurrentUser, findUtenteByUsername, type UtenteRow } from '../repositories/utentiRepository.js';
import { countRecentFailures, deleteAttemptsBefore, insertLoginAttempt, lockLoginThrottle, markAttemptSucceeded } from '../repositories/loginTentativiRepository.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';

/** After this many failures in the window a username (or an address) waits. */
export const LOGIN_THROTTLE = { windowMinutes: 15, maxPerUsername: 5, maxPerIp: 30 } as const;

export type LoginResult =
  | { ok: true; user: Pick<UtenteRow, 'id' | 'scuola_id' | 'ruolo'> }
  | { ok: false; reason: 'invalid' | 'throttled' };

/** `refusedPasswords`: passwords nobody may log in with (the demo ones, in production). */
export function createAuthService(knex: Knex, options: { refusedPasswords?: readonly string[] } = {}) {
  const refused = new Set(options.refusedPasswords ?? []);

  /**
   * The attempt is stored (as failed) before the slow password check, under a lock on the
   * username and the address: a burst of parallel logins is counted one by one, so no more
   * than the limit are ever checked in the window. Null when the limit is reached.
   */
  function reserveAttempt(username: string, ip: string, now: Date): Promise<number | null> {
    const since = new Date(now.getTime() - LOGIN_THROTTLE.windowMinutes * 60_000);
    return knex.transaction(async (trx) => {
      await lockLoginThrottle(trx, username, ip);
      const failures = await countRecentFailures(trx, username, ip, since);
      if (failures.perUsername >= LOGIN_THROTTLE.maxPerUsername || failures.perIp >= LOGIN_THROTTLE.maxPerIp) return null;
      return insertLoginAttempt(trx, { username, ip, created_at: now });
    });
  }
  return {
    async login(input: { username: string; password: string; ip: string }, now = new Date()): Promise<LoginResult> {
      const username = input.username.trim().toLowerCase().slice(0, 200);
      const attemptId = await reserveAttempt(username, input.ip, now);
      if (attemptId === null) return { ok: false, reason: 'throttled' };
      const user = await findUtenteByUsername(knex, username);
      // Verify against a dummy hash when the user is unknown: same timing either way.
      const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !valid || refused.has(input.password)) return { ok: false, reason: 'invalid' };
      await markAttemptSucceeded(knex, attemptId);
      return { ok: true, user: { id: user.id, scuola_id: user.scuola_id, ruolo: user.ruolo } };
    },

    /** The active user behind a session, with the school (undefined: gone or deactivated). */
    currentUser: (id: number) => findCurrentUser(knex, id),

    /** Old attempts are of no use once outside the window. */
    async pruneAttempts(now = new Date()) {
      return deleteAttemptsBefore(knex, new Date(now.getTime() - 24 * 60 * 60_000));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
