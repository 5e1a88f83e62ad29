import { FONTI_FINANZIAMENTO } from '../domain/cup.js';
import { MODALITA_PAGAMENTO, MOTIVI_ESCLUSIONE_CIG, SCELTE_CONTRAENTE, TIPI_DEBITO } from '../domain/opi.js';
import type { CigRef, ContoRef, CupRef } from '../repositories/pickerRepository.js';
import type { VoceRow } from '../repositories/pianoRepository.js';
import { addQuery, paths, type DocumentoPaths } from '../paths.js';
import { formatVoceCodice } from '../domain/piano.js';
import { formatDateIt, parseDateInput } from '../domain/dates.js';
import { cupConflictMessage, type CupConflict } from '../domain/documenti.js';
import { legacyAdvice } from '../domain/harvest.js';
import { labelOf } from '../domain/opi.js';
import { shortenedAtWord } from '../domain/text.js';
import { cigLabel, STATO_CIG_LABELS } from './cigPresenter.js';
import { cupLabel, STATO_CUP_LABELS } from './cupPresenter.js';
import type { Column } from './listPresenter.js';
import type { ListParams } from '../validation/listQuery.js';
import { labelOptions, registroListParts, returnParts } from './registroPresenter.js';
import type { DocumentiSearch } from '../validation/documentiSearch.js';

/**
 * What the documents' forms share: the pickers (native selects, the + that opens
 * the register's modal or, without JavaScript, its full form that comes back here),
 * the closed lists, the modals' own options.
 */
export type PickerOption = { value: string; label: string; data?: Record<string, string> };
export type Picker = {
  name: string;
  label: string;
  value: string;
  options: PickerOption[];
  emptyLabel: string;
  required?: boolean;
  hint?: string;
  /** The register the + creates in (cig, cup, creditore), or none. */
  registro?: 'cig' | 'cup' | 'creditore';
  nuovoHref?: string;
  nuovoLabel?: string;
  /** Without JavaScript the + submits the document's form here (its values kept as a draft) before opening the register's form. */
  bozzaAction?: string;
  /** The select proposes values to other fields when it changes (voce → CUP, impegno → CIG…). */
  propone?: boolean;
  /** Words for the type-to-search field ("Cerca tra i CIG"). */
  cerca?: string;
  /** How its search says that nothing matches: "Nessun CIG" (corrisponde a «…»). */
  nessuno?: string;
};

const marked = (label: string, stato: string, labels: Record<string, string>) =>
  stato === 'attivo' ? label : `${label} (${(labels[stato] ?? stato).toLowerCase()}: non più selezionabile per nuovi documenti)`;

export const cigOption = (c: CigRef): PickerOption => ({ value: String(c.id), label: marked(cigLabel(c), c.stato, STATO_CIG_LABELS) });
export const cupOption = (c: CupRef): PickerOption => ({ value: String(c.id), label: marked(cupLabel(c), c.stato, STATO_CUP_LABELS) });
export const contoLabel = (c: { tipo: number | null; conto: number | null; sottoconto: number | null; descrizione: string | null }) =>
  c.tipo === null ? '' : `${c.tipo}/${c.conto}/${c.sottoconto} – ${c.descrizione ?? ''}`;
export const voceLabel = (v: { aggregato: string; voce: number; sottovoce: number | null; descrizione: string }) => `${formatVoceCodice(v)} – ${v.descrizione}`;

export function voceOption(v: VoceRow): PickerOption {
  return { value: String(v.id), label: voceLabel(v), data: { 'propone-cup_id': v.cup_id === null ? '' : String(v.cup_id) } };
}

export const contoOption = (c: ContoRef): PickerOption => ({ value: String(c.id), label: contoLabel(c) + (c.attivo ? '' : ' (non più in uso)') });
export const creditoreOption = (c: { id: number; denominazione: string }): PickerOption => ({ value: String(c.id), label: c.denominazione });

export const options = {
  motivi: MOTIVI_ESCLUSIONE_CIG.map((m) => ({ value: m.value, label: m.label })),
  modalita: MODALITA_PAGAMENTO.map((m) => ({ value: m.value, label: m.label })),
  tipiDebito: TIPI_DEBITO.map((t) => ({ value: t.value, label: t.label })),
};

/** The + of a picker: the modal with JavaScript, the register's full form (coming back to `ritorno`) without. */
export function nuovoLink(registro: 'cig' | 'cup' | 'creditore', ritorno: string) {
  const base = registro === 'cig' ? paths.cig.nuovo : registro === 'cup' ? paths.cup.nuovo : paths.creditori.nuovo();
  const label = registro === 'cig' ? 'Nuovo CIG' : registro === 'cup' ? 'Nuovo CUP' : 'Nuovo creditore';
  return { registro, nuovoHref: addQuery(base, { ritorno }), nuovoLabel: label };
}

/** What the register's form says when it opens from a document's + without JavaScript. */
export function bozzaMessage(registro: 'cig' | 'cup' | 'creditore', alDocumento: string): string {
  const cosa = registro === 'cig' ? 'del CIG' : registro === 'cup' ? 'del CUP' : 'del creditore';
  return `I dati del documento sono conservati: dopo il salvataggio ${cosa} tornerai ${alDocumento}.`;
}

/** The pickers of a document form with their + submitting the form as a draft to `action` (without JavaScript). */
export function withBozza(pickers: Record<string, Picker>, action: string): Record<string, Picker> {
  return Object.fromEntries(Object.entries(pickers).map(([k, p]) => [k, p.registro ? { ...p, bozzaAction: action } : p]));
}

/** The modals' forms: the registers' own fields and lists. */
export function modals(creditori: { id: number; denominazione: string }[], which: ('cig' | 'cup' | 'creditore')[]) {
  return {
    cig: which.includes('cig')
      ? {
          action: paths.cig.create,
          options: {
            fornitori: creditori.map(creditoreOption),
            scelte: SCELTE_CONTRAENTE.map((s) => ({ value: s.value, label: s.label })),
            stati: labelOptions(STATO_CIG_LABELS),
          },
        }
      : null,
    cup: which.includes('cup')
      ? {
          action: paths.cup.create,
          options: {
            fonti: FONTI_FINANZIAMENTO.map((f) => ({ value: f.value, label: f.label })),
            stati: labelOptions(STATO_CUP_LABELS),
          },
        }
      : null,
    creditore: which.includes('creditore') ? { action: paths.creditori.create } : null,
  };
}

/** One row of the "modificato da un altro utente" page. */
export const conflictRow = (label: string, stored: string, submitted: string) => ({
  label, stored: stored || '—', submitted: submitted || '—', differs: (stored || '') !== (submitted || ''),
});

/** A date as the user sent it (dd/mm/yyyy or YYYY-MM-DD), written dd/mm/yyyy for a conflict page. */
export const dateAsSent = (v: string) => formatDateIt(parseDateInput(v) ?? v);

/* ---------------------------------------------------------------- impegni and mandati */

/** A document's number as written everywhere: 12/2026. */
export const numeroDocumento = (r: { numero: number; esercizio: number }) => `${r.numero}/${r.esercizio}`;

/** An optional id as a form value. */
export const idValue = (v: number | null) => (v === null ? '' : String(v));

/** The CIG, motivo di esclusione and CUP of a document, with the legacy texts of the import when not linked. */
type Codici = {
  cig_id: number | null; cig_codice: string | null; cig_oggetto: string | null; cig_stato: string | null; motivo_esclusione_cig: string | null; cig_testo: string | null;
  cup_id: number | null; cup_codice: string | null; cup_descrizione: string | null; cup_stato: string | null; cup_testo: string | null;
};

/** The CIG and CUP columns of a document list: the code, else "escluso" (a motivo instead of a CIG) or the legacy text in brackets. */
export function codiciColumns<R extends Codici>(): Column<R>[] {
  return [
    { key: 'cig', label: 'CIG', kind: 'codice', value: (r) => r.cig_codice ?? (r.motivo_esclusione_cig ? 'escluso' : r.cig_testo ? `(${r.cig_testo})` : ''), byDefault: true },
    { key: 'cup', label: 'CUP', kind: 'codice', value: (r) => r.cup_codice ?? (r.cup_testo ? `(${r.cup_testo})` : ''), byDefault: true },
  ];
}

/** How much of a CIG's oggetto or a CUP's descrizione shows next to the code before «mostra tutto». */
export const DESCRIZIONE_CODICE_MAX = 90;

/** The register's words for a code (the CIG's oggetto, the CUP's descrizione): shortened when long, with the full text to open. */
export function descrizioneCodice(testo: string | null) {
  const intero = testo?.trim();
  if (!intero) return null;
  const breve = shortenedAtWord(intero, DESCRIZIONE_CODICE_MAX);
  return { intero, breve: breve === intero ? null : breve };
}

type CodiceCampo = {
  label: string; id: number | null; codice: string | null; descrizione: string | null; stato: string | null; testo: string | null; show: (id: number) => string;
};

function codiceCampo(c: CodiceCampo) {
  return {
    label: c.label,
    value: c.codice ?? '—',
    cls: c.codice ? 'codice' : '',
    href: c.id ? c.show(c.id) : undefined,
    descrizione: c.codice ? descrizioneCodice(c.descrizione) : null,
    stato: c.stato && c.stato !== 'attivo' ? c.stato : null,
    testo: c.id === null && c.testo ? c.testo : null,
  };
}

/** CIG (with its oggetto) / motivo / CUP (with its descrizione) of a document on its record page, with the legacy text when not linked. */
export function codiciCampi(r: Codici) {
  return [
    codiceCampo({ label: 'CIG', id: r.cig_id, codice: r.cig_codice, descrizione: r.cig_oggetto, stato: r.cig_stato, testo: r.cig_testo, show: paths.cig.show }),
    { label: 'Motivo esclusione CIG', value: labelOf(MOTIVI_ESCLUSIONE_CIG, r.motivo_esclusione_cig) || '—', cls: '', descrizione: null, stato: null, testo: null },
    codiceCampo({ label: 'CUP', id: r.cup_id, codice: r.cup_codice, descrizione: r.cup_descrizione, stato: r.cup_stato, testo: r.cup_testo, show: paths.cup.show }),
  ];
}

/** The CIG picker of a document form; `hint`: what the document asks of it. */
export function cigPicker(value: string, cig: CigRef[], self: string, hint: string): Picker {
  return { name: 'cig_id', label: 'CIG', value, options: cig.map(cigOption), emptyLabel: '— nessun CIG —', cerca: 'Cerca tra i CIG', nessuno: 'Nessun CIG', hint, ...nuovoLink('cig', self) };
}

/** The CUP picker of a document form; `hint`: where the CUP goes on saving. */
export function cupPicker(value: string, cup: CupRef[], self: string, hint: string): Picker {
  return { name: 'cup_id', label: 'CUP', value, options: cup.map(cupOption), emptyLabel: '— nessun CUP —', cerca: 'Cerca tra i CUP', nessuno: 'Nessun CUP', hint, ...nuovoLink('cup', self) };
}

/** A document form's values, the date typed dd/mm/yyyy back as YYYY-MM-DD for the date input. */
export function withIsoDate(values: Record<string, string>): Record<string, string> {
  const out = { ...values };
  const iso = parseDateInput(out.data ?? '');
  if (iso) out.data = iso;
  return out;
}

type FormDocument = {
  id: number; numero: number; esercizio: number; version: number;
  cig_id: number | null; cig_testo: string | null; cup_id: number | null; cup_testo: string | null;
  motivo_esclusione_cig: string | null; cig_testo_nessun_codice: boolean; cup_testo_nessun_codice: boolean;
};

const MOTIVO_LABEL = new Map(MOTIVI_ESCLUSIONE_CIG.map((m) => [m.value as string, m.label]));

/**
 * The legacy CIG/CUP texts of a document not linked yet, each with why and the
 * one-click choices its reading offers (domain/harvest.ts legacyAdvice); each
 * choice is a small form of its own, posted apart from the document's form.
 */
export function legacyPanels(p: DocumentoPaths, record: FormDocument, ritorno: string | null | undefined) {
  return (['cig', 'cup'] as const).flatMap((campo) => {
    const testo = record[`${campo}_testo`];
    if (!testo?.trim() || record[`${campo}_id`] !== null) return [];
    if (record[`${campo}_testo_nessun_codice`]) return [{ campo, testo, nessunCodice: true, motivi: [], opzioni: [] }];
    if (campo === 'cig' && record.motivo_esclusione_cig) return [];
    const advice = legacyAdvice(testo, campo);
    const opzioni = advice.opzioni
      .filter((o) => o.azione !== 'collega' || record[`${o.code.type}_id`] === null)
      .filter((o) => o.azione !== 'motivo' || (record.cig_id === null && record.motivo_esclusione_cig === null))
      .map((o, i) => ({
        formId: `testo-${campo}-${i}`,
        action: p.testoOriginale(record.id),
        fields: { campo, azione: o.azione, version: String(record.version), ...(ritorno ? { ritorno } : {}), ...(o.azione === 'collega' ? { codice: o.code.codice } : {}), ...(o.azione === 'motivo' ? { motivo: o.motivo } : {}) },
        label:
          o.azione === 'collega' ? `Collega al ${o.code.type.toUpperCase()} ${o.code.codice}`
            : o.azione === 'motivo' ? `Usa il motivo «${MOTIVO_LABEL.get(o.motivo) ?? o.motivo}»`
              : 'Segna «nessun codice»',
        spiegazione: o.spiegazione,
      }));
    return [{ campo, testo, nessunCodice: false, motivi: advice.motivi, opzioni }];
  });
}

/** The message after one click on a legacy text. */
export function legacyResolvedMessage(_record: unknown, fields: Record<string, unknown>): string {
  switch (fields.azione) {
    case 'collega':
      return `Testo originale collegato: ${String(fields.codice)}. Se il codice è nuovo nel registro, completane i dati (per un CIG la data di generazione).`;
    case 'motivo':
      return 'Motivo di esclusione del CIG impostato dal testo originale.';
    default:
      return 'Testo originale segnato «nessun codice»: non blocca più i flussi.';
  }
}

/** The warning panel of "La voce ha già un altro CUP": the message and the two answers. */
export function cupConflictPanel(c: CupConflict | undefined) {
  if (!c) return null;
  return {
    message: cupConflictMessage(c),
    replace: `Sì: sostituisci il CUP della voce ${c.voceCodice} con ${c.cupDocumento}`,
    keep: `No: la voce ${c.voceCodice} tiene il CUP ${c.cupVoce}, il documento ha ${c.cupDocumento}`,
  };
}

/**
 * The form page but its title, values and pickers: the document it edits (its number, the
 * legacy CIG/CUP texts not linked yet), its esercizio, where the form posts and goes back to,
 * the motivi di esclusione, the question about the voce's CUP, the registers' modals.
 */
export function documentFormParts(
  p: DocumentoPaths,
  input: { record?: FormDocument; esercizio: number; cupConflict?: CupConflict; creditori: { id: number; denominazione: string }[]; ritorno?: string | null },
) {
  const { record } = input;
  return {
    record: record ? { id: record.id, numero: numeroDocumento(record) } : null,
    testiOriginali: record ? legacyPanels(p, record, input.ritorno) : [],
    esercizioPagina: record ? record.esercizio : input.esercizio,
    action: record ? p.update(record.id) : p.create,
    verifica: p.verifica(record?.id),
    ...returnParts(input.ritorno, record ? p.show(record.id) : p.list()),
    motivi: options.motivi,
    cupConflict: cupConflictPanel(input.cupConflict),
    modals: modals(input.creditori, ['cig', 'cup', 'creditore']),
  };
}

/** The list page but its title and totals; `nome`: the document in the empty message ('impegno'). */
/** Query parameters that preselect a picker on a new/edit form (e.g. the id the register's full form sends back). */
export function preselected(query: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = query[f];
    if (typeof v === 'string' && /^\d{1,9}$/.test(v)) out[f] = v;
  }
  return out;
}

/** A link to an impegno or a mandato, named as the secretary knows it: "Impegno n. 12/2026". */
export function documentoLink(tipo: 'impegno' | 'mandato', d: { id: number; numero: number | null; esercizio: number | null }) {
  return tipo === 'impegno'
    ? { testo: `Impegno n. ${d.numero}/${d.esercizio}`, href: paths.impegni.show(d.id) }
    : { testo: `Mandato n. ${d.numero}/${d.esercizio}`, href: paths.mandati.show(d.id) };
}

/**
 * The list page of impegni or mandati but its title and totals: the registers'
 * parts (table, pages, columns, exports, links that keep the search), the
 * panel's values and choices, the esercizio (the header's).
 */
export function documentListParts<R extends { id: number }>(
  columns: readonly Column<R>[],
  p: DocumentoPaths,
  nome: string,
  input: {
    rows: R[]; total: number; params: ListParams<string>; search: DocumentiSearch; colonne: string[] | null;
    voci: VoceRow[]; creditori: { id: number; denominazione: string }[];
  },
) {
  const { search } = input;
  const esercizio = search.filters.esercizio;
  return {
    esercizioPagina: esercizio,
    ...registroListParts(columns, { ...p, nuovo: p.nuovo() }, input),
    options: { voci: input.voci.map(voceOption), creditori: input.creditori.map(creditoreOption) },
    empty: input.total === 0 ? (search.active ? `Nessun ${nome} corrisponde alla ricerca: cambia i criteri o azzera la ricerca.` : `Nessun ${nome} nell’esercizio ${esercizio}.`) : null,
  };
}
