import type { Knex } from 'knex';
import { findUtenteByUsername, type UtenteRow } from '../repositories/utentiRepository.js';
import { countRecentFailures, deleteAttemptsBefore, recordLoginAttempt } from '../repositories/loginTentativiRepository.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';

/** After this many failures in the window a username (or an address) waits. */
export const LOGIN_THROTTLE = { windowMinutes: 15, maxPerUsername: 5, maxPerIp: 30 } as const;

export type LoginResult =
  | { ok: true; user: Pick<UtenteRow, 'id' | 'scuola_id' | 'ruolo'> }
  | { ok: false; reason: 'invalid' | 'throttled' };


/** `refusedPasswords`: passwords nobody may log in with (the demo ones, in production). */
export function createAuthService(knex: Knex, options: { refusedPasswords?: readonly string[] } = {}) {
  const refused = new Set(options.refusedPasswords ?? []);
  return {
    async login(input: { username: string; password: string; ip: string }, now = new Date()): Promise<LoginResult> {
      const username = input.username.trim().toLowerCase().slice(0, 200);
      const since = new Date(now.getTime() - LOGIN_THROTTLE.windowMinutes * 60_000);
      const failures = await countRecentFailures(knex, username, input.ip, since);
      if (failures.perUsername >= LOGIN_THROTTLE.maxPerUsername || failures.perIp >= LOGIN_THROTTLE.maxPerIp) {
        return { ok: false, reason: 'throttled' };
      }
      const user = await findUtenteByUsername(knex, username);
      // Verify against a dummy hash when the user is unknown: same timing either way.
      const valid = await verifyPassword(input.password, user?.password_hash ?? DUMMY_HASH);
      const riuscito = Boolean(user && valid) && !refused.has(input.password);
      await recordLoginAttempt(knex, { username, ip: input.ip, riuscito });
      if (!user || !riuscito) return { ok: false, reason: 'invalid' };
      return { ok: true, user: { id: user.id, scuola_id: user.scuola_id, ruolo: user.ruolo } };
    },

    /** Old attempts are of no use once outside the window. */
    async pruneAttempts(now = new Date()) {
      return deleteAttemptsBefore(knex, new Date(now.getTime() - 24 * 60 * 60_000));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
