import type { Knex } from 'knex';
import { figuresForEsercizio } from '../repositories/riepilogoRepository.js';

export function createHomeService(knex: Knex) {
  return {
    figures: (scuolaId: number, esercizio: number) => figuresForEsercizio(knex, scuolaId, esercizio),
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
