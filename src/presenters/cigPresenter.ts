import { anacCigUrl, CIG_FAMILY_LABELS, cigWarnings, validateCig, type CigFamily } from '../domain/cig.js';
import { formatDateIt, parseDateInput, todayIso } from '../domain/dates.js';
import { modificatoDopoInvio } from './flussiPresenter.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf, SCELTE_CONTRAENTE } from '../domain/opi.js';
import { shortened } from '../domain/text.js';
import type { CigRow } from '../repositories/cigRepository.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import { conflictRow, dateAsSent } from './documentiPresenter.js';
import { conflictMerge, type ConflictField } from './conflittoPresenter.js';
import { paths } from '../paths.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import type { Column } from './listPresenter.js';
import { labelOptions, registroConflictParts, registroFormParts, registroListParts, registroRecordLinks } from './registroPresenter.js';
import type { CigSearch } from '../validation/cigSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { presentUses, type UsesInput } from './usesPresenter.js';
import { fattureConCodicePart, type FattureDelCodice } from './fatturePresenter.js';

export const famigliaLabel = (f: string | null | undefined) => (f ? (CIG_FAMILY_LABELS[f as CigFamily] ?? f) : '');
export const STATO_CIG_LABELS: Record<string, string> = { attivo: 'Attivo', annullato: 'Annullato' };
const statoLabel = (s: string) => STATO_CIG_LABELS[s] ?? s;

/** The list's columns: the page, the column chooser and the exports use this one list. */
export const CIG_COLUMNS: Column<CigRow>[] = [
  { key: 'codice', label: 'Codice CIG', kind: 'codice', value: (r) => r.codice, fixed: true, badge: (r) => (r.da_completare ? 'da completare' : null) },
  { key: 'famiglia', label: 'Famiglia', kind: 'text', value: (r) => famigliaLabel(r.famiglia) },
  { key: 'oggetto', label: 'Oggetto della gara', kind: 'text', value: (r) => r.oggetto, byDefault: true },
  { key: 'data_generazione', label: 'Data generazione', kind: 'date', value: (r) => r.data_generazione, byDefault: true },
  { key: 'data_scadenza_offerte', label: 'Scadenza offerte', kind: 'date', value: (r) => r.data_scadenza_offerte, byDefault: true },
  { key: 'importo', label: 'Importo', kind: 'euro', value: (r) => r.importo_cents, byDefault: true },
  { key: 'fornitore', label: 'Fornitore', kind: 'text', value: (r) => r.fornitore },
  { key: 'scelta_contraente', label: 'Scelta del contraente', kind: 'text', value: (r) => labelOf(SCELTE_CONTRAENTE, r.scelta_contraente) },
  { key: 'stato', label: 'Stato', kind: 'text', value: (r) => statoLabel(r.stato), byDefault: true },
];

export const CIG_HISTORY_FIELDS: FieldLabel[] = [
  { key: 'codice', label: 'Codice CIG' },
  { key: 'famiglia', label: 'Famiglia', format: (v) => famigliaLabel(String(v)) },
  { key: 'oggetto', label: 'Oggetto della gara' },
  { key: 'data_generazione', label: 'Data generazione', kind: 'date' },
  { key: 'data_scadenza_offerte', label: 'Scadenza offerte', kind: 'date' },
  { key: 'importo_cents', label: 'Importo', kind: 'euro' },
  { key: 'fornitore', label: 'Fornitore' },
  { key: 'scelta_contraente', label: 'Scelta del contraente', format: (v) => labelOf(SCELTE_CONTRAENTE, String(v)) },
  { key: 'stato', label: 'Stato', format: (v) => statoLabel(String(v)) },
  { key: 'note', label: 'Note' },
];

/** A stored CIG as form values (strings; dates ISO for the date inputs). */
export function cigFormValues(r: CigRow): Record<string, string> {
  return {
    codice: r.codice,
    oggetto: r.oggetto,
    data_generazione: r.data_generazione ?? '',
    data_scadenza_offerte: r.data_scadenza_offerte ?? '',
    importo: r.importo_cents === null ? '' : centsToInputValue(r.importo_cents),
    fornitore_id: r.fornitore_id === null ? '' : String(r.fornitore_id),
    scelta_contraente: r.scelta_contraente ?? '',
    stato: r.stato,
    note: r.note ?? '',
    version: String(r.version),
  };
}

/** Submitted dates typed as dd/mm/yyyy go back into the date inputs as YYYY-MM-DD. */
function forDateInputs(values: Record<string, string>) {
  const out = { ...values };
  for (const f of ['data_generazione', 'data_scadenza_offerte']) {
    const iso = parseDateInput(out[f] ?? '');
    if (iso) out[f] = iso;
  }
  return out;
}

export function cigFormPage(input: {
  record?: CigRow;
  values: Record<string, string>;
  fornitori: { id: number; denominazione: string }[];
  duplicateOf?: { id: number; codice: string };
  /** The document to go back to (the + link without JavaScript). */
  ritorno?: string | null;
  today?: Date;
}) {
  const { record } = input;
  const values = forDateInputs(input.values);
  const check = validateCig(values.codice ?? '');
  const famiglia = check.ok ? check.famiglia : null;
  const warnings = cigWarnings(
    {
      famiglia,
      dataGenerazione: parseDateInput(values.data_generazione ?? ''),
      dataScadenzaOfferte: parseDateInput(values.data_scadenza_offerte ?? ''),
    },
    todayIso(input.today),
  );
  return {
    title: record ? `Modifica CIG ${record.codice}` : 'Nuovo CIG',
    record: record ? { id: record.id, codice: record.codice, daCompletare: record.da_completare } : null,
    ...registroFormParts(paths.cig, input),
    values,
    warnings,
    options: {
      fornitori: input.fornitori.map((f) => ({ value: String(f.id), label: f.denominazione })),
      scelte: SCELTE_CONTRAENTE.map((s) => ({ value: s.value, label: s.label })),
      stati: labelOptions(STATO_CIG_LABELS),
    },
  };
}

export function cigRecordPage(input: { cig: CigRow; usi: UsesInput; history: AuditRow[]; ultimoInvio?: Date | null; today?: Date; fatture: FattureDelCodice }) {
  const { cig } = input;
  const usi = presentUses(input.usi, cig.importo_cents);
  return {
    title: `CIG ${cig.codice}`,
    cig: {
      id: cig.id,
      codice: cig.codice,
      version: cig.version,
      stato: cig.stato,
      statoLabel: statoLabel(cig.stato),
      annullato: cig.stato === 'annullato',
      daCompletare: cig.da_completare,
      famiglia: famigliaLabel(cig.famiglia),
      anacUrl: anacCigUrl(cig.codice),
    },
    campi: [
      { label: 'Codice CIG', value: cig.codice, cls: 'codice' },
      { label: 'Famiglia', value: famigliaLabel(cig.famiglia) },
      { label: 'Oggetto della gara', value: cig.oggetto },
      { label: 'Data generazione', value: formatDateIt(cig.data_generazione) || '—' },
      { label: 'Data scadenza presentazione offerte', value: formatDateIt(cig.data_scadenza_offerte) || '—' },
      { label: 'Importo', value: cig.importo_cents === null ? '—' : formatEuro(cig.importo_cents) },
      { label: 'Fornitore', value: cig.fornitore ?? '—' },
      { label: 'Scelta del contraente', value: labelOf(SCELTE_CONTRAENTE, cig.scelta_contraente) || '—' },
      { label: 'Stato', value: statoLabel(cig.stato) },
      { label: 'Note', value: cig.note ?? '—' },
    ],
    warnings: [
      ...cigWarnings(
        { famiglia: cig.famiglia, dataGenerazione: cig.data_generazione, dataScadenzaOfferte: cig.data_scadenza_offerte },
        todayIso(input.today),
      ),
      ...modificatoDopoInvio(cig.updated_at, input.ultimoInvio),
    ],
    usi,
    fatture: fattureConCodicePart(input.fatture),
    history: presentHistory(input.history, CIG_HISTORY_FIELDS),
    links: registroRecordLinks(paths.cig, cig.id),
  };
}

/** The conflict page (409): every field that differs between the saved CIG and the user's, to keep field by field. */
export function cigConflictPage(stored: CigRow, submitted: Record<string, string>, { fornitori }: { fornitori: { id: number; denominazione: string }[] }) {
  const storedValues = cigFormValues(stored);
  const fornitoreName = (id: string) => fornitori.find((f) => String(f.id) === id)?.denominazione ?? '';
  const fields: ConflictField[] = [
    { name: 'codice', label: 'Codice CIG', stored: stored.codice, submitted: (submitted.codice ?? '').trim().toUpperCase() },
    { name: 'oggetto', label: 'Oggetto della gara', stored: stored.oggetto, submitted: submitted.oggetto ?? '' },
    { name: 'data_generazione', label: 'Data generazione', stored: formatDateIt(stored.data_generazione), submitted: dateAsSent(submitted.data_generazione ?? '') },
    { name: 'data_scadenza_offerte', label: 'Scadenza offerte', stored: formatDateIt(stored.data_scadenza_offerte), submitted: dateAsSent(submitted.data_scadenza_offerte ?? '') },
    { name: 'importo', label: 'Importo', stored: storedValues.importo ?? '', submitted: submitted.importo ?? '' },
    { name: 'fornitore_id', label: 'Fornitore', stored: stored.fornitore ?? '', submitted: fornitoreName(submitted.fornitore_id ?? '') },
    { name: 'scelta_contraente', label: 'Scelta del contraente', stored: labelOf(SCELTE_CONTRAENTE, stored.scelta_contraente), submitted: labelOf(SCELTE_CONTRAENTE, submitted.scelta_contraente ?? '') },
    { name: 'stato', label: 'Stato', stored: statoLabel(stored.stato), submitted: statoLabel(submitted.stato ?? '') },
    { name: 'note', label: 'Note', stored: stored.note ?? '', submitted: submitted.note ?? '' },
  ];
  return {
    ...registroConflictParts(paths.cig, 'CIG', stored),
    rows: fields.map((f) => conflictRow(f.label, f.stored, f.submitted)),
    merge: conflictMerge({ action: paths.cig.update(stored.id), version: stored.version, storedValues, submitted, fields }),
  };
}

/** The label of a CIG in pickers and in the modal's answer. */
export function cigLabel(r: { codice: string; oggetto: string }): string {
  return `${r.codice} – ${shortened(r.oggetto, 80)}`;
}

export function cigListPage(input: {
  rows: CigRow[];
  total: number;
  params: ListParams<string>;
  search: CigSearch;
  fornitori: { id: number; denominazione: string }[];
  colonne: string[] | null;
}) {
  const { search } = input;
  return {
    title: 'Gestione CIG',
    ...registroListParts(CIG_COLUMNS, paths.cig, input),
    options: {
      stati: labelOptions(STATO_CIG_LABELS),
      famiglie: labelOptions(CIG_FAMILY_LABELS),
      fornitori: input.fornitori.map((f) => ({ value: String(f.id), label: f.denominazione })),
      campiData: [
        { value: 'data_generazione', label: 'Data generazione' },
        { value: 'data_scadenza_offerte', label: 'Data scadenza presentazione offerte' },
      ],
    },
    empty: input.total === 0 ? (search.active ? 'Nessun CIG corrisponde alla ricerca.' : 'Non c’è ancora nessun CIG registrato.') : null,
  };
}

/** The fields of the new CIG form that a link may pre-fill (from a received invoice: code, its object, supplier, a note). */
export const CIG_PREFILL_FIELDS = ['codice', 'oggetto', 'fornitore_id', 'note'] as const;
