import { cupWarnings, FONTI_FINANZIAMENTO, openCupUrl, validateCup } from '../domain/cup.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf } from '../domain/opi.js';
import { shortened } from '../domain/text.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { CupRow } from '../repositories/cupRepository.js';
import { conflictRow } from './documentiPresenter.js';
import { conflictMerge, type ConflictField } from './conflittoPresenter.js';
import { paths } from '../paths.js';
import type { CupSearch } from '../validation/cupSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { modificatoDopoInvio } from './flussiPresenter.js';
import type { Column } from './listPresenter.js';
import { labelOptions, registroConflictParts, registroFormParts, registroListParts, registroRecordLinks } from './registroPresenter.js';
import { presentUses, type UsesInput } from './usesPresenter.js';
import { fattureConCodicePart, type FattureDelCodice } from './fatturePresenter.js';

export const STATO_CUP_LABELS: Record<string, string> = { attivo: 'Attivo', chiuso: 'Chiuso', annullato: 'Annullato' };
const statoLabel = (s: string) => STATO_CUP_LABELS[s] ?? s;
const fonteLabel = (f: string | null) => labelOf(FONTI_FINANZIAMENTO, f);

export const CUP_COLUMNS: Column<CupRow>[] = [
  { key: 'codice', label: 'Codice CUP', kind: 'codice', value: (r) => r.codice, fixed: true, badge: (r) => (r.da_completare ? 'da completare' : null) },
  { key: 'descrizione', label: 'Descrizione del progetto', kind: 'text', value: (r) => r.descrizione, byDefault: true },
  { key: 'anno_decisione', label: 'Anno di decisione', kind: 'int', value: (r) => r.anno_decisione, byDefault: true },
  { key: 'importo_finanziato', label: 'Importo finanziato', kind: 'euro', value: (r) => r.importo_finanziato_cents, byDefault: true },
  { key: 'fonte_finanziamento', label: 'Fonte di finanziamento', kind: 'text', value: (r) => fonteLabel(r.fonte_finanziamento), byDefault: true },
  { key: 'stato', label: 'Stato', kind: 'text', value: (r) => statoLabel(r.stato), byDefault: true },
];

export const CUP_HISTORY_FIELDS: FieldLabel[] = [
  { key: 'codice', label: 'Codice CUP' },
  { key: 'descrizione', label: 'Descrizione del progetto' },
  { key: 'anno_decisione', label: 'Anno di decisione', kind: 'int' },
  { key: 'importo_finanziato_cents', label: 'Importo finanziato', kind: 'euro' },
  { key: 'fonte_finanziamento', label: 'Fonte di finanziamento' },
  { key: 'stato', label: 'Stato', format: (v) => statoLabel(String(v)) },
  { key: 'note', label: 'Note' },
];

const options = {
  stati: labelOptions(STATO_CUP_LABELS),
  fonti: FONTI_FINANZIAMENTO.map((f) => ({ value: f.value, label: f.label })),
};

export function cupListPage(input: { rows: CupRow[]; total: number; params: ListParams<string>; search: CupSearch; colonne: string[] | null }) {
  const { search } = input;
  return {
    title: 'Gestione CUP',
    ...registroListParts(CUP_COLUMNS, paths.cup, input),
    options,
    empty: input.total === 0 ? (search.active ? 'Nessun CUP corrisponde alla ricerca.' : 'Non c’è ancora nessun CUP registrato.') : null,
  };
}

export function cupFormValues(r: CupRow): Record<string, string> {
  return {
    codice: r.codice,
    descrizione: r.descrizione,
    importo_finanziato: r.importo_finanziato_cents === null ? '' : centsToInputValue(r.importo_finanziato_cents),
    fonte_finanziamento: r.fonte_finanziamento ?? '',
    stato: r.stato,
    note: r.note ?? '',
    version: String(r.version),
  };
}

export function cupFormPage(input: { record?: CupRow; values: Record<string, string>; duplicateOf?: { id: number; codice: string }; ritorno?: string | null; today?: Date }) {
  const { record, values } = input;
  const check = validateCup(values.codice ?? '', input.today);
  return {
    title: record ? `Modifica CUP ${record.codice}` : 'Nuovo CUP',
    record: record ? { id: record.id, codice: record.codice, daCompletare: record.da_completare } : null,
    ...registroFormParts(paths.cup, input),
    values,
    annoDecisione: check.ok && check.annoDecisione !== null ? String(check.annoDecisione) : '',
    warnings: check.ok ? cupWarnings(check.codice, input.today) : [],
    options,
  };
}

export function cupRecordPage(input: { cup: CupRow; usi: UsesInput; history: AuditRow[]; ultimoInvio?: Date | null; today?: Date; fatture: FattureDelCodice }) {
  const { cup } = input;
  return {
    title: `CUP ${cup.codice}`,
    cup: {
      id: cup.id,
      codice: cup.codice,
      version: cup.version,
      statoLabel: statoLabel(cup.stato),
      annullato: cup.stato === 'annullato',
      openCupUrl: openCupUrl(cup.codice),
    },
    campi: [
      { label: 'Codice CUP', value: cup.codice, cls: 'codice' },
      { label: 'Descrizione del progetto', value: cup.descrizione },
      { label: 'Anno di decisione', value: String(cup.anno_decisione ?? '—') },
      { label: 'Importo finanziato', value: cup.importo_finanziato_cents === null ? '—' : formatEuro(cup.importo_finanziato_cents) },
      { label: 'Fonte di finanziamento', value: fonteLabel(cup.fonte_finanziamento) || '—' },
      { label: 'Stato', value: statoLabel(cup.stato) },
      { label: 'Note', value: cup.note ?? '—' },
    ],
    warnings: [...cupWarnings(cup.codice, input.today), ...modificatoDopoInvio(cup.updated_at, input.ultimoInvio)],
    usi: presentUses(input.usi, cup.importo_finanziato_cents),
    fatture: fattureConCodicePart(input.fatture),
    history: presentHistory(input.history, CUP_HISTORY_FIELDS),
    links: registroRecordLinks(paths.cup, cup.id),
  };
}

/** The conflict page (409): every field that differs between the saved CUP and the user's, to keep field by field. */
export function cupConflictPage(stored: CupRow, submitted: Record<string, string>) {
  const values = cupFormValues(stored);
  const fields: ConflictField[] = [
    { name: 'codice', label: 'Codice CUP', stored: stored.codice, submitted: (submitted.codice ?? '').trim().toUpperCase() },
    { name: 'descrizione', label: 'Descrizione del progetto', stored: stored.descrizione, submitted: submitted.descrizione ?? '' },
    { name: 'importo_finanziato', label: 'Importo finanziato', stored: values.importo_finanziato ?? '', submitted: submitted.importo_finanziato ?? '' },
    { name: 'fonte_finanziamento', label: 'Fonte di finanziamento', stored: fonteLabel(stored.fonte_finanziamento), submitted: fonteLabel(submitted.fonte_finanziamento ?? '') },
    { name: 'stato', label: 'Stato', stored: statoLabel(stored.stato), submitted: statoLabel(submitted.stato ?? '') },
    { name: 'note', label: 'Note', stored: stored.note ?? '', submitted: submitted.note ?? '' },
  ];
  return {
    ...registroConflictParts(paths.cup, 'CUP', stored),
    rows: fields.map((f) => conflictRow(f.label, f.stored, f.submitted)),
    merge: conflictMerge({ action: paths.cup.update(stored.id), version: stored.version, storedValues: values, submitted, fields }),
  };
}

export function cupLabel(r: { codice: string; descrizione: string }): string {
  return `${r.codice} – ${shortened(r.descrizione, 80)}`;
}

/** The fields of the new CUP form that a link may pre-fill (from a received invoice: code, its object, supplier, a note). */
export const CUP_PREFILL_FIELDS = ['codice', 'descrizione', 'note'] as const;
