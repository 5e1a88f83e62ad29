import { formatDateTimeIt } from '../domain/dates.js';
import type { AuditAzione, Snapshot } from '../repositories/auditRepository.js';
import { cellText, type ColumnKind } from './listPresenter.js';

/** How to show one field of a record's snapshot in its history. */
export type FieldLabel = { key: string; label: string; kind?: ColumnKind; format?: (value: unknown) => string };

const AZIONI: Record<AuditAzione, string> = {
  crea: 'Inserimento',
  modifica: 'Modifica',
  annulla: 'Annullamento',
  riattiva: 'Riattivazione',
  elimina: 'Eliminazione',
  collega: 'Collegamento',
  scollega: 'Scollegamento',
};

type HistoryRow = { azione: AuditAzione; prima: Snapshot | null; dopo: Snapshot | null; created_at: Date | string; utente_nome: string | null };

function show(field: FieldLabel, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field.format) return field.format(value) || '—';
  return cellText(field.kind ?? 'text', value as string | number) || '—';
}

/** Audit rows → who, when, what: one line per changed field (before → after). */
export function presentHistory(rows: readonly HistoryRow[], fields: readonly FieldLabel[]) {
  return rows.map((r) => {
    const prima = r.prima ?? {};
    const dopo = r.dopo ?? {};
    const changes = fields
      .filter((f) => r.azione !== 'crea' && r.azione !== 'elimina' && JSON.stringify(prima[f.key] ?? null) !== JSON.stringify(dopo[f.key] ?? null))
      .map((f) => ({ campo: f.label, prima: show(f, prima[f.key]), dopo: show(f, dopo[f.key]) }));
    return {
      quando: formatDateTimeIt(r.created_at),
      chi: r.utente_nome ?? 'Sistema',
      azione: AZIONI[r.azione] ?? r.azione,
      changes,
    };
  });
}
