import type { Knex } from 'knex';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/types.js';
import {
  countCig, cigUsageCount, deleteCig, findCig, findCigByCodice, insertCig, listCig, updateCig,
  type CigRow, type CigSortKey, type CigValues,
} from '../repositories/cigRepository.js';
import { documentUses } from '../repositories/usiRepository.js';
import { creditoreExists, creditoriOptions } from '../repositories/creditoriRepository.js';
import { historyOf, writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { lastExportOf } from '../repositories/flussiRepository.js';
import { CIG_FIELDS, cigCreateSchema, cigUpdateSchema, type CigForm, type CigSearch } from '../validation/cigSchemas.js';
import { fromFieldErrors, toFormErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  clampPage, offsetOf, type Actor, type CreateResult, type DeleteResult, type Invalid, type StatoResult, type UpdateResult,
} from './registro.js';

/** The fields of a CIG kept in the audit log (what the history shows). */
export function cigSnapshot(row: CigRow): Snapshot {
  return {
    codice: row.codice,
    famiglia: row.famiglia,
    oggetto: row.oggetto,
    data_generazione: row.data_generazione,
    data_scadenza_offerte: row.data_scadenza_offerte,
    importo_cents: row.importo_cents,
    fornitore: row.fornitore,
    scelta_contraente: row.scelta_contraente,
    stato: row.stato,
    note: row.note,
  };
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

export function createCigService(knex: Knex) {
  async function duplicate(db: Db, scuolaId: number, codice: string, values: Record<string, string>): Promise<Invalid | null> {
    const existing = await findCigByCodice(db, scuolaId, codice);
    if (!existing) return null;
    return { ok: false, kind: 'invalid', values, errors: fromFieldErrors({ codice: `CIG già presente: ${existing.codice}` }), duplicateOf: existing };
  }

  async function checkFornitore(scuolaId: number, values: CigValues, submitted: Record<string, string>): Promise<Invalid | null> {
    if (values.fornitore_id === null || (await creditoreExists(knex, scuolaId, values.fornitore_id))) return null;
    return { ok: false, kind: 'invalid', values: submitted, errors: fromFieldErrors({ fornitore_id: FORNITORE_SCONOSCIUTO }) };
  }

  /** A save the database refused: the same code already in the school, or a fornitore gone meanwhile. */
  async function refusal(err: unknown, scuolaId: number, codice: string, submitted: Record<string, string>) {
    if (isUniqueViolation(err)) {
      const dup = await duplicate(knex, scuolaId, codice, submitted);
      if (dup) return dup;
    }
    if (isForeignKeyViolation(err)) {
      return { ok: false as const, kind: 'invalid' as const, values: submitted, errors: fromFieldErrors({ fornitore_id: FORNITORE_SCONOSCIUTO }) };
    }
    throw err;
  }

  return {
    async list(scuolaId: number, search: CigSearch, requested: ListParams<CigSortKey>) {
      const total = await countCig(knex, scuolaId, search.filters);
      const params = clampPage(requested, total);
      const rows = await listCig(knex, scuolaId, search.filters, params.ordina, { dir: params.verso, limit: params.perPagina, offset: offsetOf(params) });
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

    /** The record page: the CIG, where it is used, its history. */
    async record(scuolaId: number, id: number) {
      const cig = await findCig(knex, scuolaId, id);
      if (!cig) return undefined;
      const [usi, history, ultimoInvio] = await Promise.all([
        documentUses(knex, 'cig_id', scuolaId, id),
        historyOf(knex, scuolaId, 'cig', id),
        lastExportOf(knex, scuolaId, cig.codice),
      ]);
      return { cig, usi, history, ultimoInvio };
    },

    async create(actor: Actor, body: unknown): Promise<CreateResult<CigRow>> {
      const submitted = submittedValues(body, CIG_FIELDS);
      const parsed = cigCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      const values = toValues(parsed.data);
      const badFornitore = await checkFornitore(actor.scuolaId, values, submitted);
      if (badFornitore) return badFornitore;
      try {
        const record = await knex.transaction(async (trx) => {
          const id = await insertCig(trx, actor.scuolaId, actor.id, values);
          const row = (await findCig(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'cig', entitaId: id, azione: 'crea', prima: null, dopo: cigSnapshot(row) });
          return row;
        });
        return { ok: true, record };
      } catch (err) {
        return refusal(err, actor.scuolaId, values.codice, submitted);
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<UpdateResult<CigRow>> {
      const submitted = { ...submittedValues(body, CIG_FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = cigUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findCig(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      const values = toValues(parsed.data);
      const badFornitore = await checkFornitore(actor.scuolaId, values, submitted);
      if (badFornitore) return badFornitore;
      try {
        return await knex.transaction(async (trx): Promise<UpdateResult<CigRow>> => {
          const before = await findCig(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const n = await updateCig(trx, actor.scuolaId, id, parsed.data.version, actor.id, values);
          if (n === 0) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const after = (await findCig(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'cig', entitaId: id, azione: 'modifica', prima: cigSnapshot(before), dopo: cigSnapshot(after) });
          return { ok: true, record: after };
        });
      } catch (err) {
        return refusal(err, actor.scuolaId, values.codice, submitted);
      }
    },

    /** Annulla / riattiva from the record page; `version` is the one the page showed. */
    async changeStato(actor: Actor, id: number, azione: 'annulla' | 'riattiva', version: number | null): Promise<StatoResult<CigRow>> {
      const stato = azione === 'annulla' ? 'annullato' : 'attivo';
      return knex.transaction(async (trx): Promise<StatoResult<CigRow>> => {
        const before = await findCig(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return { ok: false, kind: 'not_found' };
        if (version === null || before.version !== version) return { ok: false, kind: 'stale', record: before };
        if (before.stato === stato) return { ok: true, record: before, changed: false };
        await updateCig(trx, actor.scuolaId, id, before.version, actor.id, { stato });
        const after = (await findCig(trx, actor.scuolaId, id))!;
        await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'cig', entitaId: id, azione, prima: cigSnapshot(before), dopo: cigSnapshot(after) });
        return { ok: true, record: after, changed: true };
      });
    },

    usageCount: (scuolaId: number, id: number) => cigUsageCount(knex, scuolaId, id),

    /** Deletes a CIG that no document uses; a used one can only be annullato. */
    async remove(actor: Actor, id: number): Promise<DeleteResult<CigRow>> {
      try {
        return await knex.transaction(async (trx): Promise<DeleteResult<CigRow>> => {
          const before = await findCig(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          const usi = await cigUsageCount(trx, actor.scuolaId, id);
          if (usi > 0) return { ok: false, kind: 'in_uso', record: before, usi };
          await deleteCig(trx, actor.scuolaId, id);
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'cig', entitaId: id, azione: 'elimina', prima: cigSnapshot(before), dopo: null });
          return { ok: true, record: before };
        });
      } catch (err) {
        // A document saved with this CIG in the meantime: the foreign key refuses the delete.
        if (isForeignKeyViolation(err)) {
          const record = await findCig(knex, actor.scuolaId, id);
          if (record) return { ok: false, kind: 'in_uso', record, usi: await cigUsageCount(knex, actor.scuolaId, id) };
        }
        throw err;
      }
    },

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'cig', colonne),
  };
}

export type CigService = ReturnType<typeof createCigService>;
