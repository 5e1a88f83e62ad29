import type { Knex } from 'knex';
import { codiciOfFattura, findFattura, findFile } from '../repositories/fattureRepository.js';
import { countFatture, listFatture, type FattureSortKey } from '../repositories/fattureElencoRepository.js';
import { historyOf } from '../repositories/auditRepository.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { readStoredFattura } from '../formats/fatturapa/busta.js';
import type { FattureSearch } from '../validation/fattureSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { clampPage, pageOf, type Actor } from './results.js';

/**
 * Gestisci → Fatture elettroniche: the register of received invoices and one
 * invoice's page. The upload lives in fattureCaricamento.ts.
 */
/**
 * The list counts its matches up to here (40 pages): beyond, it says "oltre
 * 1.000" and the search is to be narrowed (the exports hold every row). Counting
 * 20,000 invoices of one supplier would cost more than showing the page.
 */
const CONTEGGIO_MASSIMO = 1_000;

export function createFattureService(knex: Knex) {
  return {
    async list(scuolaId: number, search: FattureSearch, requested: ListParams<FattureSortKey>) {
      const counted = await countFatture(knex, scuolaId, search.filters, CONTEGGIO_MASSIMO + 1);
      const capped = counted > CONTEGGIO_MASSIMO;
      const total = Math.min(counted, CONTEGGIO_MASSIMO);
      const params = clampPage(requested, total);
      const rows = total === 0 ? [] : await listFatture(knex, scuolaId, search.filters, params.ordina, pageOf(params));
      return { rows, total, capped, params };
    },

    /** Every row of the current search, in the current order (exports). */
    exportRows(scuolaId: number, search: FattureSearch, params: ListParams<FattureSortKey>) {
      return listFatture(knex, scuolaId, search.filters, params.ordina, { dir: params.verso });
    },

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'fatture', colonne),

    find: (scuolaId: number, id: number) => findFattura(knex, scuolaId, id),

    /**
     * The invoice's page: the invoice, its codes matched to the registers, the
     * original file read again (only this invoice's body of a lotto), its history.
     */
    async record(scuolaId: number, id: number) {
      const fattura = await findFattura(knex, scuolaId, id);
      if (!fattura) return undefined;
      const [codici, file, history] = await Promise.all([
        codiciOfFattura(knex, scuolaId, id),
        findFile(knex, scuolaId, fattura.file_id),
        historyOf(knex, scuolaId, 'fattura', id),
      ]);
      const letta = readStoredFattura(file!);
      return {
        fattura,
        codici,
        file: file!,
        history,
        letta: letta && { cedente: letta.cedente, cessionario: letta.cessionario, corpo: letta.corpi[fattura.corpo - 1] ?? null, corpi: letta.corpi.length },
      };
    },

    /** The original file of an invoice, for download. */
    async originalFile(scuolaId: number, id: number) {
      const fattura = await findFattura(knex, scuolaId, id);
      return fattura ? findFile(knex, scuolaId, fattura.file_id) : undefined;
    },

  };
}

export type FattureService = ReturnType<typeof createFattureService>;
