import type { Knex } from 'knex';
import { createAuthService } from './authService.js';
import { createHomeService } from './homeService.js';
import { createCigService } from './cigService.js';
import { createCupService } from './cupService.js';
import { createImportazioneService } from './importazioneService.js';
import { createFlussiService } from './flussiService.js';

/** Hand-wired composition: one service per area, all on the same knex. */
export function createServices(knex: Knex, options: { refusedPasswords?: readonly string[] } = {}) {
  return {
    auth: createAuthService(knex, { refusedPasswords: options.refusedPasswords }),
    home: createHomeService(knex),
    cig: createCigService(knex),
    cup: createCupService(knex),
    importazione: createImportazioneService(knex),
    flussi: createFlussiService(knex),
  };
}

export type Services = ReturnType<typeof createServices>;
