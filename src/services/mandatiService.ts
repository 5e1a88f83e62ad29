import type { Knex } from 'knex';
import { isForeignKeyViolation } from '../db/errors.js';
import { yearOf } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import { historyOf, writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { findImpegno, impegniOptions, pagatoSuImpegno } from '../repositories/impegniRepository.js';
import {
  findMandato, insertMandato, listMandati, mandatiTotals, updateMandato, type MandatoRow, type MandatoSortKey, type MandatoValues,
} from '../repositories/mandatiRepository.js';
import { nextNumero } from '../repositories/numerazioneRepository.js';
import { cigOptions, cupOptions } from '../repositories/pickerRepository.js';
import { findVoce } from '../repositories/vociRepository.js';
import { fromFieldErrors, toFormErrors, type FieldErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import { MANDATO_FIELDS, mandatoCreateSchema, mandatoUpdateSchema, type MandatoForm } from '../validation/mandatiSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  applyCupToVoce, checkReferences, cupConflictMessage, cupDecision,
  type DocCreateResult, type DocInvalid, type DocUpdateResult,
} from './documenti.js';
import { clampPage, offsetOf, type Actor } from './registro.js';

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

const FIELDS = [...MANDATO_FIELDS, 'conferma_cup'] as const;
const invalid = (values: Record<string, string>, errors: FieldErrors, extra: Partial<DocInvalid> = {}): DocInvalid => ({
  ok: false, kind: 'invalid', values, errors: fromFieldErrors(errors), ...extra,
});

/** Warnings that do not stop the save: a CIG other than the impegno's. */
export function mandatoWarnings(r: Pick<MandatoRow, 'cig_id' | 'cig_codice' | 'impegno_cig_id' | 'impegno_cig_codice'>): string[] {
  if (r.cig_id !== null && r.impegno_cig_id !== null && r.cig_id !== r.impegno_cig_id) {
    return [`Il CIG del mandato (${r.cig_codice}) è diverso da quello dell’impegno (${r.impegno_cig_codice}): controlla che sia corretto.`];
  }
  return [];
}

/** Gestisci → Mandati: a payment order on one impegno, never beyond its residual. */
export function createMandatiService(knex: Knex) {
  async function prepare(trx: Knex.Transaction, actor: Actor, esercizio: number, form: MandatoForm, stored: MandatoRow | null, submitted: Record<string, string>) {
    const values = toValues(form);
    const errors: FieldErrors = {};
    if (values.data && yearOf(values.data) !== esercizio) errors.data = `La data deve cadere nell’esercizio ${esercizio} (dal 01/01/${esercizio} al 31/12/${esercizio})`;
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
    if (Object.keys(errors).length || !impegno) return { ok: false, invalid: invalid(submitted, errors) } as const;
    const voce = (await findVoce(trx, actor.scuolaId, impegno.voce_id, { forUpdate: true }))!;
    const cupChanged = !stored || stored.cup_id !== values.cup_id || stored.impegno_id !== values.impegno_id;
    const decision = cupChanged ? cupDecision(voce, refs.cup, form.conferma_cup) : ({ action: 'none' } as const);
    if (decision.action === 'ask') {
      return { ok: false, invalid: invalid(submitted, { conferma_cup: cupConflictMessage(decision.conflict) }, { cupConflict: decision.conflict }) } as const;
    }
    return { ok: true, values, voce, cup: refs.cup, decision } as const;
  }

  return {
    async list(scuolaId: number, esercizio: number, q: string, requested: ListParams<MandatoSortKey>) {
      const totals = await mandatiTotals(knex, scuolaId, esercizio, q);
      const params = clampPage(requested, totals.n);
      const rows = await listMandati(knex, scuolaId, esercizio, q, params.ordina, { dir: params.verso, limit: params.perPagina, offset: offsetOf(params) });
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

    async create(actor: Actor, esercizio: number, body: unknown): Promise<DocCreateResult<MandatoRow>> {
      const submitted = submittedValues(body, FIELDS);
      const parsed = mandatoCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      try {
        return await knex.transaction(async (trx): Promise<DocCreateResult<MandatoRow>> => {
          const p = await prepare(trx, actor, esercizio, parsed.data, null, submitted);
          if (!p.ok) return p.invalid;
          const numero = await nextNumero(trx, actor.scuolaId, 'mandato', esercizio);
          const id = await insertMandato(trx, actor.scuolaId, actor.id, { ...p.values, esercizio, numero });
          const info = p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `Mandato n. ${numero}/${esercizio}`)] : [];
          const record = (await findMandato(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'mandato', entitaId: id, azione: 'crea', prima: null, dopo: mandatoSnapshot(record) });
          return { ok: true, record, warnings: mandatoWarnings(record), info };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid(submitted, { impegno_id: 'Uno dei valori scelti non è più disponibile: ricontrolla impegno, beneficiario, CIG e CUP' });
        throw err;
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<DocUpdateResult<MandatoRow>> {
      const submitted = { ...submittedValues(body, FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = mandatoUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findMandato(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      try {
        return await knex.transaction(async (trx): Promise<DocUpdateResult<MandatoRow>> => {
          const before = await findMandato(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const p = await prepare(trx, actor, before.esercizio, parsed.data, before, submitted);
          if (!p.ok) return p.invalid;
          const n = await updateMandato(trx, actor.scuolaId, id, parsed.data.version, actor.id, p.values);
          if (n === 0) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const info = p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `Mandato n. ${before.numero}/${before.esercizio}`)] : [];
          const after = (await findMandato(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'mandato', entitaId: id, azione: 'modifica', prima: mandatoSnapshot(before), dopo: mandatoSnapshot(after) });
          return { ok: true, record: after, warnings: mandatoWarnings(after), info };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid(submitted, { impegno_id: 'Uno dei valori scelti non è più disponibile: ricontrolla impegno, beneficiario, CIG e CUP' });
        throw err;
      }
    },
  };
}

export type MandatiService = ReturnType<typeof createMandatiService>;
