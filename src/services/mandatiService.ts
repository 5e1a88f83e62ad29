import type { Knex } from 'knex';
import { isForeignKeyViolation } from '../db/errors.js';
import { formatEuro } from '../domain/money.js';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { findImpegno, impegniOptions, pagatoSuImpegno } from '../repositories/impegniRepository.js';
import {
  findMandato, insertMandato, listMandati, mandatiTotals, updateMandato, type MandatoRow, type MandatoSortKey, type MandatoValues,
} from '../repositories/mandatiRepository.js';
import { nextNumero } from '../repositories/numerazioneRepository.js';
import { cigOptions, cupOptions } from '../repositories/pickerRepository.js';
import { findVoce } from '../repositories/pianoRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { MANDATO_FIELDS, mandatoCreateSchema, mandatoUpdateSchema, type MandatoForm } from '../validation/mandatiSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { applyCupToVoce, checkReferences } from './documenti.js';
import { cupConflictMessage, cupDecision, dateOutsideEsercizio, mandatoWarnings } from '../domain/documenti.js';
import { clampPage, invalid, offsetOf, parseForm, saved, type Actor, type CreateResult, type Result } from './results.js';
import { audited } from './audited.js';

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
const UPDATE_FIELDS = [...FIELDS, 'version'];
const mandati = audited<MandatoRow>({ entita: 'mandato', find: findMandato, snapshot: mandatoSnapshot });
const GONE: FieldErrors = { impegno_id: 'Uno dei valori scelti non è più disponibile: ricontrolla impegno, beneficiario, CIG e CUP' };

/** Warnings that do not stop the save: a CIG other than the impegno's. */
/** Gestisci → Mandati: a payment order on one impegno, never beyond its residual. */
export function createMandatiService(knex: Knex) {
  async function prepare(trx: Knex.Transaction, actor: Actor, esercizio: number, form: MandatoForm, stored: MandatoRow | null, submitted: Record<string, string>) {
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
    const decision = cupChanged ? cupDecision(voce, refs.cup, form.conferma_cup) : ({ action: 'none' } as const);
    if (decision.action === 'ask') {
      return { ok: false, invalid: invalid<MandatoRow>(submitted, { conferma_cup: cupConflictMessage(decision.conflict) }, { cupConflict: decision.conflict }) } as const;
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

    async create(actor: Actor, esercizio: number, body: unknown): Promise<CreateResult<MandatoRow>> {
      const form = parseForm(mandatoCreateSchema, body, FIELDS);
      if (!form.ok) return form.invalid;
      try {
        return await knex.transaction(async (trx) => {
          const p = await prepare(trx, actor, esercizio, form.data, null, form.submitted);
          if (!p.ok) return p.invalid;
          const numero = await nextNumero(trx, actor.scuolaId, 'mandato', esercizio);
          const record = await mandati.insert(trx, actor, () => insertMandato(trx, actor.scuolaId, actor.id, { ...p.values, esercizio, numero }));
          const info = p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `Mandato n. ${numero}/${esercizio}`)] : [];
          return saved(record, { info, warnings: mandatoWarnings(record) });
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid<MandatoRow>(form.submitted, GONE);
        throw err;
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<Result<MandatoRow>> {
      const form = parseForm(mandatoUpdateSchema, body, UPDATE_FIELDS);
      if (!form.ok) return mandati.refused(knex, actor, id, form.invalid);
      try {
        return await knex.transaction(async (trx) => {
          let info: string[] = [];
          const outcome = await mandati.update(trx, actor, id, form.data.version, form.submitted, async (before) => {
            const p = await prepare(trx, actor, before.esercizio, form.data, before, form.submitted);
            if (!p.ok) return p.invalid;
            const n = await updateMandato(trx, actor.scuolaId, id, before.version, actor.id, p.values);
            if (n > 0 && p.cup && p.decision.action !== 'none') info = [await applyCupToVoce(trx, actor, p.voce, p.cup, `Mandato n. ${before.numero}/${before.esercizio}`)];
            return n;
          });
          return outcome.ok ? { ...outcome, info, warnings: mandatoWarnings(outcome.record) } : outcome;
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return mandati.refused(knex, actor, id, invalid(form.submitted, GONE));
        throw err;
      }
    },
  };
}

export type MandatiService = ReturnType<typeof createMandatiService>;
