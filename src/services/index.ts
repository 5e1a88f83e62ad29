import type { Knex } from 'knex';
import type { DatabaseKind } from '../db/database.js';
import { systemClock, type Clock } from '../clock.js';
import { createHealthService } from './healthService.js';
import { createAuthService } from './authService.js';
import { createHomeService } from './homeService.js';
import { createCigService } from './cigService.js';
import { createCupService } from './cupService.js';
import { createImportazioneService } from './importazioneService.js';
import { createDatiApertiService } from './datiApertiService.js';
import { createFlussiService } from './flussiService.js';
import { createImpegniService } from './impegniService.js';
import { createMandatiService } from './mandatiService.js';
import { createPianoService } from './pianoService.js';
import { createCreditoriService } from './creditoriService.js';
import { createDaCompletareService } from './daCompletareService.js';
import { createFattureService } from './fattureService.js';
import { createFattureCaricamento } from './fattureCaricamento.js';
import { createFattureCollegamentoService } from './fattureCollegamento.js';
import { createFatturePagamentiService } from './fatturePagamenti.js';
import { createScuolaService } from './scuolaService.js';
import { createDistinteService } from './distinteService.js';
import { createContiService } from './contiService.js';

/** Hand-wired composition: one service per area, all on the same knex. */
/** `clock` gives the services their "today" (the import's CUP years, the flussi's date of generation). */
export function createServices(knex: Knex, options: { databaseKind: DatabaseKind; refusedPasswords?: readonly string[]; clock?: Clock }) {
  const clock = options.clock ?? systemClock;
  return {
    health: createHealthService(knex, options.databaseKind),
    auth: createAuthService(knex, { refusedPasswords: options.refusedPasswords }),
    home: createHomeService(knex),
    cig: createCigService(knex),
    cup: createCupService(knex),
    importazione: createImportazioneService(knex, { today: clock }),
    datiAperti: createDatiApertiService(knex),
    flussi: createFlussiService(knex, clock),
    impegni: createImpegniService(knex),
    mandati: createMandatiService(knex),
    piano: createPianoService(knex),
    creditori: createCreditoriService(knex),
    scuola: createScuolaService(knex),
    conti: createContiService(knex),
    daCompletare: createDaCompletareService(knex),
    fatture: createFattureService(knex),
    fattureCaricamento: createFattureCaricamento(knex),
    fattureCollegamento: createFattureCollegamentoService(knex),
    fatturePagamenti: createFatturePagamentiService(knex),
    distinte: createDistinteService(knex, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
