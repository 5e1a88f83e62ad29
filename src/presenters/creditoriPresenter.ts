import type { AuditRow } from '../repositories/auditRepository.js';
import type { CreditoreRow } from '../repositories/creditoriRepository.js';
import { formatIndirizzo } from '../domain/indirizzo.js';
import { paths } from '../paths.js';
import type { ListParams } from '../validation/listQuery.js';
import { conflictRow } from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { presentPagination, presentTable, type Column } from './listPresenter.js';

export const CREDITORI_COLUMNS: Column<CreditoreRow>[] = [
  { key: 'denominazione', label: 'Denominazione', kind: 'text', value: (r) => r.denominazione, fixed: true },
  { key: 'codice_fiscale', label: 'Codice fiscale', kind: 'codice', value: (r) => r.codice_fiscale },
  { key: 'partita_iva', label: 'Partita IVA', kind: 'codice', value: (r) => r.partita_iva },
  { key: 'localita', label: 'Località', kind: 'text', value: (r) => (r.localita ? [r.localita, r.provincia ? `(${r.provincia})` : null].filter(Boolean).join(' ') : null) },
  { key: 'documenti', label: 'Documenti', kind: 'int', value: (r) => r.documenti },
];

export function creditoriListPage(input: { rows: CreditoreRow[]; total: number; params: ListParams<string>; q: string }) {
  const search = input.q ? { q: input.q } : {};
  const ctx = { params: input.params, search, href: paths.creditori.list };
  return {
    title: 'Creditori',
    q: input.q,
    table: presentTable(CREDITORI_COLUMNS, input.rows, { ...ctx, rowHref: (r) => paths.creditori.show(r.id) }),
    pagination: presentPagination(input.total, ctx),
    links: { nuovo: paths.creditori.nuovo(), azzera: paths.creditori.list() },
    empty: input.total === 0 ? (input.q ? 'Nessun creditore corrisponde alla ricerca.' : 'Non c’è ancora nessun creditore.') : null,
  };
}

export function creditoreFormValues(r: CreditoreRow): Record<string, string> {
  return {
    denominazione: r.denominazione,
    codice_fiscale: r.codice_fiscale ?? '',
    partita_iva: r.partita_iva ?? '',
    indirizzo: r.indirizzo ?? '',
    cap: r.cap ?? '',
    localita: r.localita ?? '',
    provincia: r.provincia ?? '',
    stato: r.stato,
    iban: r.iban ?? '',
    version: String(r.version),
  };
}

export function creditoreFormPage(input: { record?: CreditoreRow; values: Record<string, string>; ritorno?: string | null; duplicateOf?: { id: number; codice: string } }) {
  const { record } = input;
  return {
    title: record ? `Modifica creditore: ${record.denominazione}` : 'Nuovo creditore',
    record: record ? { id: record.id } : null,
    action: record ? paths.creditori.update(record.id) : paths.creditori.create,
    back: input.ritorno ?? (record ? paths.creditori.show(record.id) : paths.creditori.list()),
    values: input.values,
    ritorno: input.ritorno ?? null,
    duplicate: input.duplicateOf ? { denominazione: input.duplicateOf.codice, href: paths.creditori.show(input.duplicateOf.id) } : null,
  };
}

const HISTORY_FIELDS: FieldLabel[] = [
  { key: 'denominazione', label: 'Denominazione' },
  { key: 'codice_fiscale', label: 'Codice fiscale' },
  { key: 'partita_iva', label: 'Partita IVA' },
  { key: 'indirizzo', label: 'Indirizzo (via e numero civico)' },
  { key: 'cap', label: 'CAP' },
  { key: 'localita', label: 'Località' },
  { key: 'provincia', label: 'Provincia' },
  { key: 'stato', label: 'Stato' },
  { key: 'iban', label: 'IBAN' },
];

export function creditoreRecordPage(input: { creditore: CreditoreRow; history: AuditRow[] }) {
  const c = input.creditore;
  return {
    title: c.denominazione,
    creditore: { id: c.id },
    campi: [
      { label: 'Denominazione', value: c.denominazione, cls: '' },
      { label: 'Codice fiscale', value: c.codice_fiscale ?? '—', cls: 'codice' },
      { label: 'Partita IVA', value: c.partita_iva ?? '—', cls: 'codice' },
      { label: 'Indirizzo', value: formatIndirizzo(c) ?? '—', cls: '' },
      { label: 'IBAN', value: c.iban ?? '—', cls: 'codice' },
      { label: 'Documenti (impegni e mandati)', value: String(c.documenti), cls: '' },
    ],
    history: presentHistory(input.history, HISTORY_FIELDS),
    links: { edit: paths.creditori.edit(c.id), list: paths.creditori.list() },
  };
}

/** The label of a creditore in pickers and in the modal's answer. */
export const creditoreLabel = (r: { denominazione: string }) => r.denominazione;

export function creditoreConflictPage(stored: CreditoreRow, submitted: Record<string, string>) {
  return {
    title: `${stored.denominazione}: modificato da un altro utente`,
    cosa: `il creditore ${stored.denominazione}`,
    rows: [
      conflictRow('Denominazione', stored.denominazione, submitted.denominazione ?? ''),
      conflictRow('Codice fiscale', stored.codice_fiscale ?? '', (submitted.codice_fiscale ?? '').trim().toUpperCase()),
      conflictRow('Partita IVA', stored.partita_iva ?? '', submitted.partita_iva ?? ''),
      conflictRow('Indirizzo (via e numero civico)', stored.indirizzo ?? '', submitted.indirizzo ?? ''),
      conflictRow('CAP', stored.cap ?? '', submitted.cap ?? ''),
      conflictRow('Località', stored.localita ?? '', submitted.localita ?? ''),
      conflictRow('Provincia', stored.provincia ?? '', (submitted.provincia ?? '').trim().toUpperCase()),
      conflictRow('Stato', stored.stato, (submitted.stato ?? '').trim().toUpperCase() || 'IT'),
      conflictRow('IBAN', stored.iban ?? '', submitted.iban ?? ''),
    ],
    links: { show: paths.creditori.show(stored.id), edit: paths.creditori.edit(stored.id) },
  };
}
