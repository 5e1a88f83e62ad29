import type { Knex } from 'knex';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import {
  countCreditori, findCreditore, findCreditoreByIdentificativo, insertCreditore, listCreditori, updateCreditore,
  type CreditoreRow, type CreditoreSortKey, type CreditoreValues,
} from '../repositories/creditoriRepository.js';
import { CREDITORE_FIELDS, creditoreCreateSchema, creditoreUpdateSchema, type CreditoreForm } from '../validation/creditoriSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  clampPage, invalid, pageOf, parseForm, saved, type Actor, type CreateResult, type Invalid, type Result, type Values,
} from './results.js';
import { audited } from './audited.js';

export function creditoreSnapshot(r: CreditoreValues): Snapshot {
  return {
    denominazione: r.denominazione, codice_fiscale: r.codice_fiscale, partita_iva: r.partita_iva,
    indirizzo: r.indirizzo, cap: r.cap, localita: r.localita, provincia: r.provincia, stato: r.stato, iban: r.iban,
  };
}

/** The values to store from a valid form (also the invoices' proposal of a new creditore). */
export const creditoreValues = (f: CreditoreForm): CreditoreValues => ({
  denominazione: f.denominazione, codice_fiscale: f.codice_fiscale, partita_iva: f.partita_iva,
  indirizzo: f.indirizzo, cap: f.cap, localita: f.localita, provincia: f.provincia, stato: f.stato, iban: f.iban,
});

const UPDATE_FIELDS = [...CREDITORE_FIELDS, 'version'];
const creditori = audited<CreditoreRow>({ entita: 'creditore', find: findCreditore, snapshot: creditoreSnapshot });

/** Gestisci → Creditori: the small anagrafica of suppliers and payees. */
export function createCreditoriService(knex: Knex) {
  async function duplicate(db: Knex | Knex.Transaction, scuolaId: number, values: CreditoreValues, exceptId: number | null, submitted: Values): Promise<Invalid<CreditoreRow> | null> {
    if (!values.codice_fiscale && !values.partita_iva) return null;
    const other = await findCreditoreByIdentificativo(db, scuolaId, values, exceptId);
    if (!other) return null;
    const field = values.partita_iva ? 'partita_iva' : 'codice_fiscale';
    return invalid(submitted, { [field]: `Esiste già un creditore con questo identificativo: ${other.denominazione}` }, { duplicateOf: { id: other.id, codice: other.denominazione } });
  }

  return {
    async list(scuolaId: number, q: string, requested: ListParams<CreditoreSortKey>) {
      const total = await countCreditori(knex, scuolaId, q);
      const params = clampPage(requested, total);
      const rows = await listCreditori(knex, scuolaId, q, params.ordina, pageOf(params));
      return { rows, total, params };
    },

    find: (scuolaId: number, id: number) => findCreditore(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const creditore = await findCreditore(knex, scuolaId, id);
      if (!creditore) return undefined;
      return { creditore, history: await historyOf(knex, scuolaId, 'creditore', id) };
    },

    async create(actor: Actor, body: unknown): Promise<CreateResult<CreditoreRow>> {
      const form = parseForm(creditoreCreateSchema, body, CREDITORE_FIELDS);
      if (!form.ok) return form.invalid;
      const values = creditoreValues(form.data);
      return knex.transaction(async (trx) => {
        const dup = await duplicate(trx, actor.scuolaId, values, null, form.submitted);
        return dup ?? saved(await creditori.insert(trx, actor, () => insertCreditore(trx, actor.scuolaId, actor.id, values)));
      });
    },

    async update(actor: Actor, id: number, body: unknown): Promise<Result<CreditoreRow>> {
      const form = parseForm(creditoreUpdateSchema, body, UPDATE_FIELDS);
      if (!form.ok) return creditori.refused(knex, actor, id, form.invalid);
      const values = creditoreValues(form.data);
      return knex.transaction((trx) =>
        creditori.update(trx, actor, id, form.data.version, form.submitted, async (before) =>
          (await duplicate(trx, actor.scuolaId, values, id, form.submitted)) ?? updateCreditore(trx, actor.scuolaId, id, before.version, actor.id, values),
        ),
      );
    },
  };
}

export type CreditoriService = ReturnType<typeof createCreditoriService>;
