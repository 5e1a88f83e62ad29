import { formatVoceCodice } from '../domain/piano.js';
import type { Knex } from 'knex';
import { formatEuro } from '../domain/money.js';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import {
  findImpegno, impegniTotals, insertImpegno, listImpegni, updateImpegno, type ImpegnoRow, type ImpegnoSortKey, type ImpegnoValues,
} from '../repositories/impegniRepository.js';
import { mandatiOfImpegno } from '../repositories/mandatiRepository.js';
import { cigOptions, contiOptions, cupOptions, findCupRef } from '../repositories/pickerRepository.js';
import { findVoce, listVoci } from '../repositories/pianoRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { IMPEGNO_FIELDS, impegnoCreateSchema, impegnoUpdateSchema, type ImpegnoForm } from '../validation/impegniSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import type { DocumentiSearch } from '../validation/documentiSearch.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { checkReferences, checkVoce, documentWrites, formaInCorso, type DocumentSpec } from './documenti.js';
import { avvisiPrimaDelSalvataggio, cupDallaVoceMessage, cupDallaVoceProposto, dateOutsideEsercizio } from '../domain/documenti.js';
import { clampPage, invalid, pageOf, type Actor, type Values } from './results.js';

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

const GONE: FieldErrors = { voce_id: 'Uno dei valori scelti non è più disponibile: ricontrolla voce, conto, creditore, CIG e CUP' };

/** The impegno's own rules, inside the saving transaction: date, voce, references, not below what the mandati paid. */
async function check(trx: Knex.Transaction, actor: Actor, esercizio: number, form: ImpegnoForm, stored: ImpegnoRow | null, submitted: Values) {
  const values = toValues(form);
  const errors: FieldErrors = {};
  const fuoriEsercizio = dateOutsideEsercizio(values.data, esercizio);
  if (fuoriEsercizio) errors.data = fuoriEsercizio;
  const { voce, error } = await checkVoce(trx, actor.scuolaId, values.voce_id, esercizio, { forUpdate: true });
  if (error) errors.voce_id = error;
  const refs = await checkReferences(trx, actor.scuolaId, {
    conto_id: values.conto_id, creditore: { field: 'creditore_id', id: values.creditore_id }, cig_id: values.cig_id, cup_id: values.cup_id,
  }, stored);
  Object.assign(errors, refs.errors);
  if (stored && values.importo_cents < stored.pagato_cents) {
    errors.importo = `L’importo non può essere inferiore a quanto già pagato con i mandati (${formatEuro(stored.pagato_cents)})`;
  }
  if (Object.keys(errors).length || !voce) return { ok: false, invalid: invalid<ImpegnoRow>(submitted, errors) } as const;
  if (cupDallaVoceProposto(voce, values.cup_id, !stored || stored.voce_id !== values.voce_id, form.cup_dalla_voce === '1')) {
    return { ok: false, invalid: invalid<ImpegnoRow>({ ...submitted, cup_id: String(voce.cup_id), cup_dalla_voce: '1' }, { cup_id: cupDallaVoceMessage(voce) }) } as const;
  }
  const cupChanged = !stored || stored.cup_id !== values.cup_id || stored.voce_id !== values.voce_id;
  return { ok: true, values, voce, cup: refs.cup, cupChanged } as const;
}

const writes = {
  entita: 'impegno', nome: 'Impegno', find: findImpegno, snapshot: impegnoSnapshot,
  createSchema: impegnoCreateSchema, updateSchema: impegnoUpdateSchema, fields: IMPEGNO_FIELDS, gone: GONE,
  check, insert: insertImpegno, update: updateImpegno,
} satisfies DocumentSpec<ImpegnoRow, ImpegnoForm, ImpegnoValues>;

/** Gestisci → Impegni: list, record, new, edit; numbering, references, the CUP that follows the document. */
export function createImpegniService(knex: Knex) {
  return {
    /** One page of the search, the totals of every row it finds, the panel's voci and creditori. */
    async list(scuolaId: number, search: DocumentiSearch, requested: ListParams<ImpegnoSortKey>) {
      const totals = await impegniTotals(knex, scuolaId, search.filters);
      const params = clampPage(requested, totals.n);
      const rows = totals.n === 0 ? [] : await listImpegni(knex, scuolaId, search.filters, params.ordina, pageOf(params));
      const voci = await listVoci(knex, scuolaId, search.filters.esercizio);
      const creditori = await creditoriOptions(knex, scuolaId);
      return { rows, total: totals.n, totals, params, voci, creditori };
    },

    /** Every row of the search, in the list's order (exports). */
    exportRows: (scuolaId: number, search: DocumentiSearch, params: ListParams<ImpegnoSortKey>) =>
      listImpegni(knex, scuolaId, search.filters, params.ordina, { dir: params.verso }),

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'impegni', colonne),

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

    /** What the save of this form would warn about or ask, as the user edits (`id`: the impegno edited); undefined: not the school's impegno. */
    async verifica(actor: Actor, esercizio: number, id: number | null, body: unknown) {
      const stored = id === null ? null : await findImpegno(knex, actor.scuolaId, id);
      if (stored === undefined) return undefined;
      const f = formaInCorso(body);
      const voceId = f.id('voce_id');
      const cupId = f.id('cup_id');
      const voce = voceId === null ? null : ((await findVoce(knex, actor.scuolaId, voceId)) ?? null);
      const cup = cupId === null ? null : ((await findCupRef(knex, actor.scuolaId, cupId)) ?? null);
      const cupChanged = !stored || stored.cup_id !== cupId || stored.voce_id !== voceId;
      return avvisiPrimaDelSalvataggio({ data: f.data, esercizio: stored?.esercizio ?? esercizio, mandato: null, voce, cup, conferma: f.conferma, cupChanged });
    },

    findVoce: (scuolaId: number, id: number) => findVoce(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const impegno = await findImpegno(knex, scuolaId, id);
      if (!impegno) return undefined;
      const mandati = await mandatiOfImpegno(knex, scuolaId, id);
      const voce = await findVoce(knex, scuolaId, impegno.voce_id);
      const history = await historyOf(knex, scuolaId, 'impegno', id);
      return { impegno, mandati, voce: voce!, history };
    },

    ...documentWrites(knex, writes),
  };
}

export type ImpegniService = ReturnType<typeof createImpegniService>;
