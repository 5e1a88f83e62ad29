import type { Knex } from 'knex';
import { createAuthService } from './authService.js';
import { createHomeService } from './homeService.js';

/** Hand-wired composition: one service per area, all on the same knex. */
export function createServices(knex: Knex, options: { refusedPasswords?: readonly string[] } = {}) {
  return {
    auth: createAuthService(knex, { refusedPasswords: options.refusedPasswords }),
    home: createHomeService(knex),
  };
}

export type Services = ReturnType<typeof createServices>;
