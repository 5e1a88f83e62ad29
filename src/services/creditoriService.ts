import type { Knex } from 'knex';
import { historyOf, writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import {
  countCreditori, findCreditore, findCreditoreByIdentificativo, insertCreditore, listCreditori, updateCreditore,
  type CreditoreRow, type CreditoreSortKey, type CreditoreValues,
} from '../repositories/creditoriRepository.js';
import { fromFieldErrors, toFormErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import { CREDITORE_FIELDS, creditoreCreateSchema, creditoreUpdateSchema, type CreditoreForm } from '../validation/creditoriSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { clampPage, offsetOf, type Actor, type CreateResult, type Invalid, type UpdateResult } from './registro.js';

export function creditoreSnapshot(r: CreditoreValues): Snapshot {
  return { denominazione: r.denominazione, codice_fiscale: r.codice_fiscale, partita_iva: r.partita_iva, indirizzo: r.indirizzo, iban: r.iban };
}

const toValues = (f: CreditoreForm): CreditoreValues => ({
  denominazione: f.denominazione, codice_fiscale: f.codice_fiscale, partita_iva: f.partita_iva, indirizzo: f.indirizzo, iban: f.iban,
});

/** Gestisci → Creditori: the small anagrafica of suppliers and payees. */
export function createCreditoriService(knex: Knex) {
  async function duplicate(db: Knex | Knex.Transaction, scuolaId: number, values: CreditoreValues, exceptId: number | null, submitted: Record<string, string>): Promise<Invalid | null> {
    if (!values.codice_fiscale && !values.partita_iva) return null;
    const other = await findCreditoreByIdentificativo(db, scuolaId, values, exceptId);
    if (!other) return null;
    return {
      ok: false, kind: 'invalid', values: submitted,
      errors: fromFieldErrors({ [values.partita_iva ? 'partita_iva' : 'codice_fiscale']: `Esiste già un creditore con questo identificativo: ${other.denominazione}` }),
      duplicateOf: { id: other.id, codice: other.denominazione },
    };
  }

  return {
    async list(scuolaId: number, q: string, requested: ListParams<CreditoreSortKey>) {
      const total = await countCreditori(knex, scuolaId, q);
      const params = clampPage(requested, total);
      const rows = await listCreditori(knex, scuolaId, q, params.ordina, { dir: params.verso, limit: params.perPagina, offset: offsetOf(params) });
      return { rows, total, params };
    },

    find: (scuolaId: number, id: number) => findCreditore(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const creditore = await findCreditore(knex, scuolaId, id);
      if (!creditore) return undefined;
      return { creditore, history: await historyOf(knex, scuolaId, 'creditore', id) };
    },

    async create(actor: Actor, body: unknown): Promise<CreateResult<CreditoreRow>> {
      const submitted = submittedValues(body, CREDITORE_FIELDS);
      const parsed = creditoreCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      const values = toValues(parsed.data);
      return knex.transaction(async (trx): Promise<CreateResult<CreditoreRow>> => {
        const dup = await duplicate(trx, actor.scuolaId, values, null, submitted);
        if (dup) return dup;
        const id = await insertCreditore(trx, actor.scuolaId, actor.id, values);
        const record = (await findCreditore(trx, actor.scuolaId, id))!;
        await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'creditore', entitaId: id, azione: 'crea', prima: null, dopo: creditoreSnapshot(record) });
        return { ok: true, record };
      });
    },

    async update(actor: Actor, id: number, body: unknown): Promise<UpdateResult<CreditoreRow>> {
      const submitted = { ...submittedValues(body, CREDITORE_FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = creditoreUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findCreditore(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      const values = toValues(parsed.data);
      return knex.transaction(async (trx): Promise<UpdateResult<CreditoreRow>> => {
        const before = await findCreditore(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return { ok: false, kind: 'not_found' };
        if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
        const dup = await duplicate(trx, actor.scuolaId, values, id, submitted);
        if (dup) return dup;
        const n = await updateCreditore(trx, actor.scuolaId, id, parsed.data.version, actor.id, values);
        if (n === 0) return { ok: false, kind: 'conflict', stored: before, values: submitted };
        const after = (await findCreditore(trx, actor.scuolaId, id))!;
        await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'creditore', entitaId: id, azione: 'modifica', prima: creditoreSnapshot(before), dopo: creditoreSnapshot(after) });
        return { ok: true, record: after };
      });
    },
  };
}

export type CreditoriService = ReturnType<typeof createCreditoriService>;
