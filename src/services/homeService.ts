import type { Knex } from 'knex';
import { figuresForEsercizio } from '../repositories/riepilogoRepository.js';
import { countDaCompletare } from '../repositories/daCompletareRepository.js';

export function createHomeService(knex: Knex) {
  return {
    figures: (scuolaId: number, esercizio: number) => figuresForEsercizio(knex, scuolaId, esercizio),
    /** CIG and CUP still to complete: one statement, an index probe per register (it runs on every home load). */
    daCompletare: (scuolaId: number) => countDaCompletare(knex, scuolaId),
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
