import type { Knex } from 'knex';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import {
  countCup, cupUsageCount, deleteCup, findCup, findCupByCodice, insertCup, listCup, updateCup, vociWithCup,
  type CupRow, type CupSortKey, type CupValues,
} from '../repositories/cupRepository.js';
import { documentUses } from '../repositories/usiRepository.js';
import { historyOf, writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { lastExportOf } from '../repositories/flussiRepository.js';
import { CUP_FIELDS, cupCreateSchema, cupUpdateSchema, type CupForm, type CupSearch } from '../validation/cupSchemas.js';
import { fromFieldErrors, toFormErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  clampPage, offsetOf, type Actor, type CreateResult, type DeleteResult, type Invalid, type StatoResult, type UpdateResult,
} from './registro.js';

/** The fields of a CUP kept in the audit log. */
export function cupSnapshot(row: CupRow): Snapshot {
  return {
    codice: row.codice,
    descrizione: row.descrizione,
    anno_decisione: row.anno_decisione,
    importo_finanziato_cents: row.importo_finanziato_cents,
    fonte_finanziamento: row.fonte_finanziamento,
    stato: row.stato,
    note: row.note,
  };
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

/** Gestione CUP: the same pattern as the CIG register ("simil CIG"). */
export function createCupService(knex: Knex) {
  async function duplicate(scuolaId: number, codice: string, values: Record<string, string>): Promise<Invalid | null> {
    const existing = await findCupByCodice(knex, scuolaId, codice);
    if (!existing) return null;
    return { ok: false, kind: 'invalid', values, errors: fromFieldErrors({ codice: `CUP già presente: ${existing.codice}` }), duplicateOf: existing };
  }

  const audit = (trx: Knex.Transaction, actor: Actor, id: number, azione: 'crea' | 'modifica' | 'annulla' | 'riattiva' | 'elimina', prima: CupRow | null, dopo: CupRow | null) =>
    writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'cup', entitaId: id, azione, prima: prima && cupSnapshot(prima), dopo: dopo && cupSnapshot(dopo) });

  return {
    async list(scuolaId: number, search: CupSearch, requested: ListParams<CupSortKey>) {
      const total = await countCup(knex, scuolaId, search.filters);
      const params = clampPage(requested, total);
      const rows = await listCup(knex, scuolaId, search.filters, params.ordina, { dir: params.verso, limit: params.perPagina, offset: offsetOf(params) });
      return { rows, total, params };
    },

    exportRows(scuolaId: number, search: CupSearch, params: ListParams<CupSortKey>) {
      return listCup(knex, scuolaId, search.filters, params.ordina, { dir: params.verso });
    },

    find: (scuolaId: number, id: number) => findCup(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const cup = await findCup(knex, scuolaId, id);
      if (!cup) return undefined;
      const [usi, voci, history, ultimoInvio] = await Promise.all([
        documentUses(knex, 'cup_id', scuolaId, id),
        vociWithCup(knex, scuolaId, id),
        historyOf(knex, scuolaId, 'cup', id),
        lastExportOf(knex, scuolaId, cup.codice),
      ]);
      return { cup, usi: { ...usi, voci }, history, ultimoInvio };
    },

    async create(actor: Actor, body: unknown): Promise<CreateResult<CupRow>> {
      const submitted = submittedValues(body, CUP_FIELDS);
      const parsed = cupCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      const values = toValues(parsed.data);
      try {
        const record = await knex.transaction(async (trx) => {
          const id = await insertCup(trx, actor.scuolaId, actor.id, values);
          const row = (await findCup(trx, actor.scuolaId, id))!;
          await audit(trx, actor, id, 'crea', null, row);
          return row;
        });
        return { ok: true, record };
      } catch (err) {
        const dup = isUniqueViolation(err) ? await duplicate(actor.scuolaId, values.codice, submitted) : null;
        if (dup) return dup;
        throw err;
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<UpdateResult<CupRow>> {
      const submitted = { ...submittedValues(body, CUP_FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = cupUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findCup(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      const values = toValues(parsed.data);
      try {
        return await knex.transaction(async (trx): Promise<UpdateResult<CupRow>> => {
          const before = await findCup(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          if ((await updateCup(trx, actor.scuolaId, id, parsed.data.version, actor.id, values)) === 0) {
            return { ok: false, kind: 'conflict', stored: before, values: submitted };
          }
          const after = (await findCup(trx, actor.scuolaId, id))!;
          await audit(trx, actor, id, 'modifica', before, after);
          return { ok: true, record: after };
        });
      } catch (err) {
        const dup = isUniqueViolation(err) ? await duplicate(actor.scuolaId, values.codice, submitted) : null;
        if (dup) return dup;
        throw err;
      }
    },

    async changeStato(actor: Actor, id: number, azione: 'annulla' | 'riattiva', version: number | null): Promise<StatoResult<CupRow>> {
      const stato = azione === 'annulla' ? 'annullato' : 'attivo';
      return knex.transaction(async (trx): Promise<StatoResult<CupRow>> => {
        const before = await findCup(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return { ok: false, kind: 'not_found' };
        if (version === null || before.version !== version) return { ok: false, kind: 'stale', record: before };
        if (before.stato === stato) return { ok: true, record: before, changed: false };
        await updateCup(trx, actor.scuolaId, id, before.version, actor.id, { stato });
        const after = (await findCup(trx, actor.scuolaId, id))!;
        await audit(trx, actor, id, azione, before, after);
        return { ok: true, record: after, changed: true };
      });
    },

    usageCount: (scuolaId: number, id: number) => cupUsageCount(knex, scuolaId, id),

    async remove(actor: Actor, id: number): Promise<DeleteResult<CupRow>> {
      try {
        return await knex.transaction(async (trx): Promise<DeleteResult<CupRow>> => {
          const before = await findCup(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          const usi = await cupUsageCount(trx, actor.scuolaId, id);
          if (usi > 0) return { ok: false, kind: 'in_uso', record: before, usi };
          await deleteCup(trx, actor.scuolaId, id);
          await audit(trx, actor, id, 'elimina', before, null);
          return { ok: true, record: before };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) {
          const record = await findCup(knex, actor.scuolaId, id);
          if (record) return { ok: false, kind: 'in_uso', record, usi: await cupUsageCount(knex, actor.scuolaId, id) };
        }
        throw err;
      }
    },

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'cup', colonne),
  };
}

export type CupService = ReturnType<typeof createCupService>;
