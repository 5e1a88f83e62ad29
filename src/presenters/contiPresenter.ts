import { labelOf } from '../domain/opi.js';
import { NATURE_SPESA } from '../domain/siope.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { ContoListRow, ContoRow } from '../repositories/contiRepository.js';
import { paths, type QueryParams } from '../paths.js';
import { conflictRow } from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';

/** Impostazioni → Piano dei conti: the conti and their SIOPE classification. */
const LABELS = {
  codice_siope: 'Codice SIOPE (codice gestionale)',
  natura_spesa: 'Natura della spesa',
} as const;

const HISTORY_FIELDS: FieldLabel[] = [
  { key: 'codice_siope', label: LABELS.codice_siope },
  { key: 'natura_spesa', label: LABELS.natura_spesa, format: (v) => labelOf(NATURE_SPESA, String(v)) },
];

const codiceConto = (c: { tipo: number; conto: number; sottoconto: number }) => `${c.tipo}/${c.conto}/${c.sottoconto}`;

/** The list's filter as a query (kept by the edit form and the redirect after a save). */
export const filtroQuery = (senzaSiope: boolean): QueryParams => (senzaSiope ? { senza_siope: '1' } : {});

export function contiPage(input: { conti: ContoListRow[]; senzaSiope: boolean }) {
  const query = filtroQuery(input.senzaSiope);
  return {
    title: 'Piano dei conti',
    senzaSiope: input.senzaSiope,
    links: { tutti: paths.impostazioni.conti.list(), senzaSiope: paths.impostazioni.conti.list({ senza_siope: '1' }) },
    conti: input.conti.map((c) => ({
      id: c.id,
      codice: codiceConto(c),
      descrizione: c.descrizione,
      codiceSiope: c.codice_siope,
      natura: labelOf(NATURE_SPESA, c.natura_spesa),
      attivo: c.attivo,
      impegni: c.impegni,
      edit: paths.impostazioni.conti.edit(c.id, query),
    })),
  };
}

export function contoFormValues(r: ContoRow): Record<string, string> {
  return { codice_siope: r.codice_siope ?? '', natura_spesa: r.natura_spesa ?? '', version: String(r.version) };
}

/** The edit form: the conto, its values (as stored or as sent back with errors), the choices, the history. */
export function contoFormPage(input: { conto: ContoRow; values: Record<string, string>; history: AuditRow[]; senzaSiope: boolean }) {
  const c = input.conto;
  const query = filtroQuery(input.senzaSiope);
  return {
    title: `Conto ${codiceConto(c)}: classificazione SIOPE`,
    conto: { codice: codiceConto(c), descrizione: c.descrizione, attivo: c.attivo },
    labels: LABELS,
    values: input.values,
    nature: NATURE_SPESA.map((o) => ({ value: o.value, label: o.label })),
    action: paths.impostazioni.conti.update(c.id, query),
    back: paths.impostazioni.conti.list(query),
    history: presentHistory(input.history, HISTORY_FIELDS),
  };
}

export function contoConflictPage(stored: ContoRow, submitted: Record<string, string>, senzaSiope: boolean) {
  const query = filtroQuery(senzaSiope);
  return {
    title: `Conto ${codiceConto(stored)}: modificato da un altro utente`,
    cosa: `il conto ${codiceConto(stored)}`,
    rows: [
      conflictRow(LABELS.codice_siope, stored.codice_siope ?? '', (submitted.codice_siope ?? '').replace(/\s+/g, '')),
      conflictRow(LABELS.natura_spesa, labelOf(NATURE_SPESA, stored.natura_spesa), labelOf(NATURE_SPESA, submitted.natura_spesa ?? '')),
    ],
    links: { show: paths.impostazioni.conti.list(query), edit: paths.impostazioni.conti.edit(stored.id, query) },
  };
}
