import type { Knex } from 'knex';
import { codiciOfFattura, findFattura, findFile } from '../repositories/fattureRepository.js';
import { historyOf } from '../repositories/auditRepository.js';

/**
 * Gestisci → Fatture elettroniche: the register of received invoices and one
 * invoice's page. The upload lives in fattureCaricamento.ts.
 */
export function createFattureService(knex: Knex) {
  return {
    find: (scuolaId: number, id: number) => findFattura(knex, scuolaId, id),

    /** The invoice's page: the invoice, its codes matched to the registers, the original file, its history. */
    async record(scuolaId: number, id: number) {
      const fattura = await findFattura(knex, scuolaId, id);
      if (!fattura) return undefined;
      const [codici, file, history] = await Promise.all([
        codiciOfFattura(knex, scuolaId, id),
        findFile(knex, scuolaId, fattura.file_id),
        historyOf(knex, scuolaId, 'fattura', id),
      ]);
      return { fattura, codici, file: file!, history };
    },

    /** The original file of an invoice, for download. */
    async originalFile(scuolaId: number, id: number) {
      const fattura = await findFattura(knex, scuolaId, id);
      return fattura ? findFile(knex, scuolaId, fattura.file_id) : undefined;
    },
  };
}

export type FattureService = ReturnType<typeof createFattureService>;
