import { formatVoceCodice } from '../domain/piano.js';
import type { Knex } from 'knex';
import { isForeignKeyViolation } from '../db/errors.js';
import { yearOf } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import { historyOf, writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import {
  findImpegno, impegniTotals, insertImpegno, listImpegni, updateImpegno, type ImpegnoRow, type ImpegnoSortKey, type ImpegnoValues,
} from '../repositories/impegniRepository.js';
import { mandatiOfImpegno } from '../repositories/mandatiRepository.js';
import { nextNumero } from '../repositories/numerazioneRepository.js';
import { cigOptions, contiOptions, cupOptions } from '../repositories/pickerRepository.js';
import { findVoce, listVoci } from '../repositories/vociRepository.js';
import { fromFieldErrors, toFormErrors, type FieldErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import { IMPEGNO_FIELDS, impegnoCreateSchema, impegnoUpdateSchema, type ImpegnoForm } from '../validation/impegniSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  applyCupToVoce, checkReferences, checkVoce, cupConflictMessage, cupDecision,
  type DocCreateResult, type DocInvalid, type DocUpdateResult,
} from './documenti.js';
import { clampPage, offsetOf, type Actor } from './registro.js';

export function impegnoSnapshot(r: ImpegnoRow): Snapshot {
  return {
    esercizio: r.esercizio,
    numero: r.numero,
    data: r.data,
    voce: formatVoceCodice({ aggregato: r.voce_aggregato, voce: r.voce_voce, sottovoce: r.voce_sottovoce }),
    conto: r.conto_tipo === null ? null : `${r.conto_tipo}/${r.conto_conto}/${r.conto_sottoconto}`,
    creditore: r.creditore,
    oggetto: r.oggetto,
    importo_cents: r.importo_cents,
    cig: r.cig_codice,
    motivo_esclusione_cig: r.motivo_esclusione_cig,
    cup: r.cup_codice,
    note: r.note,
  };
}

function toValues(f: ImpegnoForm): ImpegnoValues {
  return {
    data: f.data!,
    voce_id: f.voce_id,
    conto_id: f.conto_id,
    creditore_id: f.creditore_id,
    oggetto: f.oggetto,
    importo_cents: f.importo,
    cig_id: f.cig_id,
    motivo_esclusione_cig: f.motivo_esclusione_cig,
    cup_id: f.cup_id,
    note: f.note,
  };
}

const FIELDS = [...IMPEGNO_FIELDS, 'conferma_cup'] as const;
const invalid = (values: Record<string, string>, errors: FieldErrors, extra: Partial<DocInvalid> = {}): DocInvalid => ({
  ok: false, kind: 'invalid', values, errors: fromFieldErrors(errors), ...extra,
});

/** Gestisci → Impegni: list, record, new, edit; numbering, references, the CUP that follows the document. */
export function createImpegniService(knex: Knex) {
  /** Everything but the insert/update itself, inside the saving transaction. */
  async function prepare(trx: Knex.Transaction, actor: Actor, esercizio: number, form: ImpegnoForm, stored: ImpegnoRow | null, submitted: Record<string, string>) {
    const values = toValues(form);
    const errors: FieldErrors = {};
    if (values.data && yearOf(values.data) !== esercizio) errors.data = `La data deve cadere nell’esercizio ${esercizio} (dal 01/01/${esercizio} al 31/12/${esercizio})`;
    const { voce, error } = await checkVoce(trx, actor.scuolaId, values.voce_id, esercizio, { forUpdate: true });
    if (error) errors.voce_id = error;
    const refs = await checkReferences(trx, actor.scuolaId, {
      conto_id: values.conto_id, creditore: { field: 'creditore_id', id: values.creditore_id }, cig_id: values.cig_id, cup_id: values.cup_id,
    }, stored);
    Object.assign(errors, refs.errors);
    if (stored && values.importo_cents < stored.pagato_cents) {
      errors.importo = `L’importo non può essere inferiore a quanto già pagato con i mandati (${formatEuro(stored.pagato_cents)})`;
    }
    if (Object.keys(errors).length || !voce) return { ok: false, invalid: invalid(submitted, errors) } as const;
    const cupChanged = !stored || stored.cup_id !== values.cup_id || stored.voce_id !== values.voce_id;
    const decision = cupChanged ? cupDecision(voce, refs.cup, form.conferma_cup) : ({ action: 'none' } as const);
    if (decision.action === 'ask') {
      return { ok: false, invalid: invalid(submitted, { conferma_cup: cupConflictMessage(decision.conflict) }, { cupConflict: decision.conflict }) } as const;
    }
    return { ok: true, values, voce, cup: refs.cup, decision } as const;
  }

  return {
    async list(scuolaId: number, esercizio: number, q: string, requested: ListParams<ImpegnoSortKey>) {
      const totals = await impegniTotals(knex, scuolaId, esercizio, q);
      const params = clampPage(requested, totals.n);
      const rows = await listImpegni(knex, scuolaId, esercizio, q, params.ordina, { dir: params.verso, limit: params.perPagina, offset: offsetOf(params) });
      return { rows, totals, params };
    },

    /** The drop-downs of the form: voci of the esercizio, conti, creditori, active CIG/CUP (plus the document's own). */
    async formOptions(scuolaId: number, esercizio: number, keep: { conto_id?: number | null; cig_id?: number | null; cup_id?: number | null } = {}) {
      const voci = await listVoci(knex, scuolaId, esercizio);
      const conti = await contiOptions(knex, scuolaId, keep.conto_id ?? null);
      const creditori = await creditoriOptions(knex, scuolaId);
      const cig = await cigOptions(knex, scuolaId, keep.cig_id ?? null);
      const cup = await cupOptions(knex, scuolaId, [keep.cup_id ?? null]);
      return { voci, conti, creditori, cig, cup };
    },

    find: (scuolaId: number, id: number) => findImpegno(knex, scuolaId, id),
    findVoce: (scuolaId: number, id: number) => findVoce(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const impegno = await findImpegno(knex, scuolaId, id);
      if (!impegno) return undefined;
      const mandati = await mandatiOfImpegno(knex, scuolaId, id);
      const voce = await findVoce(knex, scuolaId, impegno.voce_id);
      const history = await historyOf(knex, scuolaId, 'impegno', id);
      return { impegno, mandati, voce: voce!, history };
    },

    async create(actor: Actor, esercizio: number, body: unknown): Promise<DocCreateResult<ImpegnoRow>> {
      const submitted = submittedValues(body, FIELDS);
      const parsed = impegnoCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      try {
        return await knex.transaction(async (trx): Promise<DocCreateResult<ImpegnoRow>> => {
          const p = await prepare(trx, actor, esercizio, parsed.data, null, submitted);
          if (!p.ok) return p.invalid;
          const numero = await nextNumero(trx, actor.scuolaId, 'impegno', esercizio);
          const id = await insertImpegno(trx, actor.scuolaId, actor.id, { ...p.values, esercizio, numero });
          const info = p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `Impegno n. ${numero}/${esercizio}`)] : [];
          const record = (await findImpegno(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'impegno', entitaId: id, azione: 'crea', prima: null, dopo: impegnoSnapshot(record) });
          return { ok: true, record, warnings: [], info };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid(submitted, { voce_id: 'Uno dei valori scelti non è più disponibile: ricontrolla voce, conto, creditore, CIG e CUP' });
        throw err;
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<DocUpdateResult<ImpegnoRow>> {
      const submitted = { ...submittedValues(body, FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = impegnoUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findImpegno(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      try {
        return await knex.transaction(async (trx): Promise<DocUpdateResult<ImpegnoRow>> => {
          const before = await findImpegno(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const p = await prepare(trx, actor, before.esercizio, parsed.data, before, submitted);
          if (!p.ok) return p.invalid;
          const n = await updateImpegno(trx, actor.scuolaId, id, parsed.data.version, actor.id, p.values);
          if (n === 0) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const info = p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `Impegno n. ${before.numero}/${before.esercizio}`)] : [];
          const after = (await findImpegno(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'impegno', entitaId: id, azione: 'modifica', prima: impegnoSnapshot(before), dopo: impegnoSnapshot(after) });
          return { ok: true, record: after, warnings: [], info };
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid(submitted, { voce_id: 'Uno dei valori scelti non è più disponibile: ricontrolla voce, conto, creditore, CIG e CUP' });
        throw err;
      }
    },
  };
}

export type ImpegniService = ReturnType<typeof createImpegniService>;
