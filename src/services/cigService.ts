import type { Knex } from 'knex';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import {
  countCig, cigUsageCount, deleteCig, findCig, findCigByCodice, insertCig, listCig, updateCig,
  type CigRow, type CigSortKey, type CigValues,
} from '../repositories/cigRepository.js';
import { documentUses } from '../repositories/usiRepository.js';
import { creditoreExists, creditoriOptions } from '../repositories/creditoriRepository.js';
import { historyOf, snapshotOf, type Snapshot } from '../repositories/auditRepository.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { fattureDelCodice } from '../repositories/fattureElencoRepository.js';
import { lastExportOf } from '../repositories/flussiRepository.js';
import { CIG_FIELDS, cigCreateSchema, cigUpdateSchema, type CigForm, type CigSearch } from '../validation/cigSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  clampPage, invalid, pageOf, type Actor, type Invalid, type Values,
} from './results.js';
import { registroSaves, registroWrites, type RegistroRecord } from './audited.js';

/** The fields of a CIG kept in the audit log (what the history shows). */
export function cigSnapshot(row: CigRow): Snapshot {
  return snapshotOf(row, [
    'codice', 'famiglia', 'oggetto', 'data_generazione', 'data_scadenza_offerte', 'importo_cents', 'fornitore', 'scelta_contraente', 'stato', 'note',
  ]);
}

function toValues(form: CigForm): CigValues {
  return {
    codice: form.codice.codice,
    famiglia: form.codice.famiglia,
    oggetto: form.oggetto,
    data_generazione: form.data_generazione,
    data_scadenza_offerte: form.data_scadenza_offerte,
    importo_cents: form.importo,
    fornitore_id: form.fornitore_id,
    scelta_contraente: form.scelta_contraente,
    stato: form.stato,
    note: form.note,
  };
}

const FORNITORE_SCONOSCIUTO = 'Il fornitore scelto non esiste più: sceglilo di nuovo dall’elenco';

export const cigRecords = {
  entita: 'cig',
  find: findCig,
  snapshot: cigSnapshot,
  setStato: (db, scuolaId, id, version, utenteId, stato) => updateCig(db, scuolaId, id, version, utenteId, { stato }),
  usageCount: cigUsageCount,
  remove: deleteCig,
} satisfies RegistroRecord<CigRow>;

export function createCigService(knex: Knex) {
  async function duplicate(scuolaId: number, codice: string, values: Values): Promise<Invalid<CigRow> | null> {
    const existing = await findCigByCodice(knex, scuolaId, codice);
    return existing ? invalid(values, { codice: `CIG già presente: ${existing.codice}` }, { duplicateOf: existing }) : null;
  }

  async function checkFornitore(scuolaId: number, values: CigValues, submitted: Values): Promise<Invalid<CigRow> | null> {
    if (values.fornitore_id === null || (await creditoreExists(knex, scuolaId, values.fornitore_id))) return null;
    return invalid(submitted, { fornitore_id: FORNITORE_SCONOSCIUTO });
  }

  /** A save the database refused: the same code already in the school, or a fornitore gone meanwhile. */
  async function refusal(err: unknown, scuolaId: number, values: CigValues, submitted: Values) {
    const dup = isUniqueViolation(err) ? await duplicate(scuolaId, values.codice, submitted) : null;
    if (dup) return dup;
    if (isForeignKeyViolation(err)) return invalid<CigRow>(submitted, { fornitore_id: FORNITORE_SCONOSCIUTO });
    throw err;
  }

  return {
    async list(scuolaId: number, search: CigSearch, requested: ListParams<CigSortKey>) {
      const total = await countCig(knex, scuolaId, search.filters);
      const params = clampPage(requested, total);
      const rows = await listCig(knex, scuolaId, search.filters, params.ordina, pageOf(params));
      return { rows, total, params, fornitori: await creditoriOptions(knex, scuolaId) };
    },

    /** Every row of the current search, in the current order (exports). */
    exportRows(scuolaId: number, search: CigSearch, params: ListParams<CigSortKey>) {
      return listCig(knex, scuolaId, search.filters, params.ordina, { dir: params.verso });
    },

    async formOptions(scuolaId: number) {
      return { fornitori: await creditoriOptions(knex, scuolaId) };
    },

    find: (scuolaId: number, id: number) => findCig(knex, scuolaId, id),

    /** The record page: the CIG, where it is used, the invoices that carry it, its history. */
    async record(scuolaId: number, id: number) {
      const cig = await findCig(knex, scuolaId, id);
      if (!cig) return undefined;
      const [usi, history, ultimoInvio, fatture] = await Promise.all([
        documentUses(knex, 'cig_id', scuolaId, id),
        historyOf(knex, scuolaId, 'cig', id),
        lastExportOf(knex, scuolaId, 'cig', id),
        fattureDelCodice(knex, scuolaId, 'cig', cig.codice),
      ]);
      return { cig, usi, history, ultimoInvio, fatture };
    },

    ...registroSaves(knex, {
      ...cigRecords, createSchema: cigCreateSchema, updateSchema: cigUpdateSchema, fields: CIG_FIELDS, toValues,
      insert: insertCig, update: updateCig, check: checkFornitore, refusal,
    }),

    ...registroWrites(knex, cigRecords),

    usageCount: (scuolaId: number, id: number) => cigUsageCount(knex, scuolaId, id),

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'cig', colonne),
  };
}

export type CigService = ReturnType<typeof createCigService>;
