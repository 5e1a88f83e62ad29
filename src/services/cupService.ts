import type { Knex } from 'knex';
import { isUniqueViolation } from '../db/errors.js';
import {
  countCup, cupUsageCount, deleteCup, findCup, findCupByCodice, insertCup, listCup, updateCup, vociWithCup,
  type CupRow, type CupSortKey, type CupValues,
} from '../repositories/cupRepository.js';
import { documentUses } from '../repositories/usiRepository.js';
import { historyOf, snapshotOf, type Snapshot } from '../repositories/auditRepository.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { fattureDelCodice } from '../repositories/fattureElencoRepository.js';
import { lastExportOf } from '../repositories/flussiRepository.js';
import { CUP_FIELDS, cupCreateSchema, cupUpdateSchema, type CupForm, type CupSearch } from '../validation/cupSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  clampPage, invalid, pageOf, type Actor, type Invalid, type Values,
} from './results.js';
import { registroSaves, registroWrites, type RegistroRecord } from './audited.js';

/** The fields of a CUP kept in the audit log. */
export function cupSnapshot(row: CupRow): Snapshot {
  return snapshotOf(row, ['codice', 'descrizione', 'anno_decisione', 'importo_finanziato_cents', 'fonte_finanziamento', 'stato', 'note']);
}

function toValues(form: CupForm): CupValues {
  return {
    codice: form.codice.codice,
    anno_decisione: form.codice.annoDecisione,
    descrizione: form.descrizione,
    importo_finanziato_cents: form.importo_finanziato,
    fonte_finanziamento: form.fonte_finanziamento,
    stato: form.stato,
    note: form.note,
  };
}

export const cupRecords = {
  entita: 'cup',
  find: findCup,
  snapshot: cupSnapshot,
  setStato: (db, scuolaId, id, version, utenteId, stato) => updateCup(db, scuolaId, id, version, utenteId, { stato }),
  usageCount: cupUsageCount,
  remove: deleteCup,
} satisfies RegistroRecord<CupRow>;

/** Gestione CUP: the same pattern as the CIG register ("simil CIG"). */
export function createCupService(knex: Knex) {
  /** A save the database refused: the same code already in the school. */
  async function refusal(err: unknown, scuolaId: number, values: CupValues, submitted: Values): Promise<Invalid<CupRow>> {
    const existing = isUniqueViolation(err) ? await findCupByCodice(knex, scuolaId, values.codice) : undefined;
    if (existing) return invalid(submitted, { codice: `CUP già presente: ${existing.codice}` }, { duplicateOf: existing });
    throw err;
  }

  return {
    async list(scuolaId: number, search: CupSearch, requested: ListParams<CupSortKey>) {
      const total = await countCup(knex, scuolaId, search.filters);
      const params = clampPage(requested, total);
      const rows = await listCup(knex, scuolaId, search.filters, params.ordina, pageOf(params));
      return { rows, total, params };
    },

    exportRows(scuolaId: number, search: CupSearch, params: ListParams<CupSortKey>) {
      return listCup(knex, scuolaId, search.filters, params.ordina, { dir: params.verso });
    },

    /** The CUP form has no drop-down to fill. */
    formOptions: async (_scuolaId: number) => ({}),

    find: (scuolaId: number, id: number) => findCup(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const cup = await findCup(knex, scuolaId, id);
      if (!cup) return undefined;
      const [usi, voci, history, ultimoInvio, fatture] = await Promise.all([
        documentUses(knex, 'cup_id', scuolaId, id),
        vociWithCup(knex, scuolaId, id),
        historyOf(knex, scuolaId, 'cup', id),
        lastExportOf(knex, scuolaId, 'cup', id),
        fattureDelCodice(knex, scuolaId, 'cup', cup.codice),
      ]);
      return { cup, usi: { ...usi, voci }, history, ultimoInvio, fatture };
    },

    ...registroSaves(knex, {
      ...cupRecords, createSchema: cupCreateSchema, updateSchema: cupUpdateSchema, fields: CUP_FIELDS, toValues, insert: insertCup, update: updateCup, refusal,
    }),

    ...registroWrites(knex, cupRecords),

    usageCount: (scuolaId: number, id: number) => cupUsageCount(knex, scuolaId, id),

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'cup', colonne),
  };
}

export type CupService = ReturnType<typeof createCupService>;
