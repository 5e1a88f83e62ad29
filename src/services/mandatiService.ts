import type { Knex } from 'knex';
import { formatEuro } from '../domain/money.js';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { findImpegno, impegniOptions, pagatoSuImpegno } from '../repositories/impegniRepository.js';
import {
  findMandato, insertMandato, listMandati, mandatiTotals, updateMandato, type MandatoRow, type MandatoSortKey, type MandatoValues,
} from '../repositories/mandatiRepository.js';
import { cigOptions, cupOptions } from '../repositories/pickerRepository.js';
import { findVoce } from '../repositories/pianoRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { MANDATO_FIELDS, mandatoCreateSchema, mandatoUpdateSchema, type MandatoForm } from '../validation/mandatiSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { checkReferences, documentWrites, type DocumentSpec } from './documenti.js';
import { dateOutsideEsercizio, mandatoWarnings } from '../domain/documenti.js';
import { clampPage, invalid, pageOf, type Actor, type Values } from './results.js';

export function mandatoSnapshot(r: MandatoRow): Snapshot {
  return {
    esercizio: r.esercizio,
    numero: r.numero,
    data: r.data,
    impegno: `${r.impegno_numero}/${r.impegno_esercizio}`,
    beneficiario: r.beneficiario,
    causale: r.causale,
    importo_cents: r.importo_cents,
    modalita_pagamento: r.modalita_pagamento,
    tipo_debito: r.tipo_debito,
    cig: r.cig_codice,
    motivo_esclusione_cig: r.motivo_esclusione_cig,
    cup: r.cup_codice,
    note: r.note,
  };
}

function toValues(f: MandatoForm): MandatoValues {
  return {
    data: f.data!,
    impegno_id: f.impegno_id,
    beneficiario_id: f.beneficiario_id,
    causale: f.causale,
    importo_cents: f.importo,
    modalita_pagamento: f.modalita_pagamento,
    tipo_debito: f.tipo_debito,
    cig_id: f.cig_id,
    motivo_esclusione_cig: f.motivo_esclusione_cig,
    cup_id: f.cup_id,
    note: f.note,
  };
}

const GONE: FieldErrors = { impegno_id: 'Uno dei valori scelti non è più disponibile: ricontrolla impegno, beneficiario, CIG e CUP' };

/** The mandato's own rules, inside the saving transaction: date, the impegno and its residual, references. */
async function check(trx: Knex.Transaction, actor: Actor, esercizio: number, form: MandatoForm, stored: MandatoRow | null, submitted: Values) {
  const values = toValues(form);
  const errors: FieldErrors = {};
  const fuoriEsercizio = dateOutsideEsercizio(values.data, esercizio);
  if (fuoriEsercizio) errors.data = fuoriEsercizio;
  // The impegno row is locked until the end of the transaction: concurrent mandati on it queue here.
  const impegno = await findImpegno(trx, actor.scuolaId, values.impegno_id, { forUpdate: true });
  if (!impegno) errors.impegno_id = 'Scegli l’impegno dall’elenco';
  else if (impegno.esercizio > esercizio) errors.impegno_id = `L’impegno n. ${impegno.numero}/${impegno.esercizio} è di un esercizio successivo al ${esercizio}`;
  else {
    const pagato = await pagatoSuImpegno(trx, actor.scuolaId, impegno.id, stored?.id ?? null);
    const residuo = impegno.importo_cents - pagato;
    if (values.importo_cents > residuo) {
      errors.importo = residuo > 0
        ? `L’importo supera il residuo dell’impegno n. ${impegno.numero}/${impegno.esercizio}: al massimo ${formatEuro(residuo)}`
        : `L’impegno n. ${impegno.numero}/${impegno.esercizio} è già pagato per intero: non resta nulla da pagare`;
    }
  }
  const refs = await checkReferences(trx, actor.scuolaId, {
    creditore: { field: 'beneficiario_id', id: values.beneficiario_id }, cig_id: values.cig_id, cup_id: values.cup_id,
  }, stored);
  Object.assign(errors, refs.errors);
  if (Object.keys(errors).length || !impegno) return { ok: false, invalid: invalid<MandatoRow>(submitted, errors) } as const;
  const voce = (await findVoce(trx, actor.scuolaId, impegno.voce_id, { forUpdate: true }))!;
  const cupChanged = !stored || stored.cup_id !== values.cup_id || stored.impegno_id !== values.impegno_id;
  return { ok: true, values, voce, cup: refs.cup, cupChanged } as const;
}

const writes = {
  entita: 'mandato', nome: 'Mandato', find: findMandato, snapshot: mandatoSnapshot,
  createSchema: mandatoCreateSchema, updateSchema: mandatoUpdateSchema, fields: MANDATO_FIELDS, gone: GONE,
  check, insert: insertMandato, update: updateMandato,
  /** Warnings that do not stop the save: a CIG other than the impegno's. */
  warnings: mandatoWarnings,
} satisfies DocumentSpec<MandatoRow, MandatoForm, MandatoValues>;

/** Gestisci → Mandati: a payment order on one impegno, never beyond its residual. */
export function createMandatiService(knex: Knex) {
  return {
    async list(scuolaId: number, esercizio: number, q: string, requested: ListParams<MandatoSortKey>) {
      const totals = await mandatiTotals(knex, scuolaId, esercizio, q);
      const params = clampPage(requested, totals.n);
      const rows = await listMandati(knex, scuolaId, esercizio, q, params.ordina, pageOf(params));
      return { rows, totals, params };
    },

    /** Impegni with a residual (this esercizio and the previous: residui), creditori, active CIG/CUP plus the mandato's own. */
    async formOptions(scuolaId: number, esercizio: number, keep: { impegno_id?: number | null; cig_id?: number | null; cup_id?: number | null } = {}) {
      const impegni = await impegniOptions(knex, scuolaId, [esercizio, esercizio - 1], keep.impegno_id ?? null);
      const creditori = await creditoriOptions(knex, scuolaId);
      const cig = await cigOptions(knex, scuolaId, keep.cig_id ?? null);
      const cup = await cupOptions(knex, scuolaId, [keep.cup_id ?? null]);
      return { impegni, creditori, cig, cup };
    },

    find: (scuolaId: number, id: number) => findMandato(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const mandato = await findMandato(knex, scuolaId, id);
      if (!mandato) return undefined;
      const history = await historyOf(knex, scuolaId, 'mandato', id);
      return { mandato, history };
    },

    ...documentWrites(knex, writes),
  };
}

export type MandatiService = ReturnType<typeof createMandatiService>;
