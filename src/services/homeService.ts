import type { Knex } from 'knex';
import { esercizi, figuresForEsercizio } from '../repositories/riepilogoRepository.js';

export function createHomeService(knex: Knex) {
  return {
    figures: (scuolaId: number, esercizio: number) => figuresForEsercizio(knex, scuolaId, esercizio),
    esercizi: (scuolaId: number) => esercizi(knex, scuolaId),
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
