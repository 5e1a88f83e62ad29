import { parseEuro } from '../domain/money.js';
import type { DocumentiFilters } from '../repositories/documentQuery.js';
import type { FieldErrors } from './formErrors.js';
import { searchPeriod, searchState, searchValues, type Query, type RegistroSearch } from './listQuery.js';

/**
 * Gestisci → Impegni and Mandati: the search panel, the registers' way (a filled
 * field is a criterion; the state lives in the query string). The esercizio is
 * always the header's: it is not a criterion of the panel.
 */
type Criterio = 'q' | 'periodo' | 'voce' | 'creditore' | 'cig' | 'cup' | 'importo';
const SEARCH_FIELDS = ['q', 'dal', 'al', 'voce_id', 'creditore_id', 'cig', 'cup', 'importo_min', 'importo_max'] as const;

export type DocumentiSearch = RegistroSearch<DocumentiFilters, Criterio, (typeof SEARCH_FIELDS)[number]>;

const ID = /^\d{1,9}$/;
/** A CIG or CUP code, or a part of it: letters and digits. */
const CODICE = /^[A-Z0-9]{1,15}$/;

function importo(text: string, label: string, errors: FieldErrors, field: string): number | null {
  if (!text) return null;
  const cents = parseEuro(text);
  if (cents === null || cents < 0) {
    errors[field] = `${label}: scrivi l’importo in euro, per esempio 1.234,56`;
    return null;
  }
  return cents;
}

/** The query string → the filters of the esercizio `esercizio`. Never fails: a bad value is left out, with its message next to the field. */
export function parseDocumentiSearch(query: Query, esercizio: number): DocumentiSearch {
  const values = searchValues(query, SEARCH_FIELDS);
  const filters: DocumentiFilters = { esercizio };
  const errors: FieldErrors = {};
  const applied: Criterio[] = [];

  if (values.q) {
    filters.q = values.q;
    applied.push('q');
  }
  const periodo = searchPeriod(values, errors);
  if (periodo) {
    filters.dal = periodo.dal;
    filters.al = periodo.al;
    applied.push('periodo');
  }
  if (values.voce_id) {
    if (ID.test(values.voce_id)) {
      filters.voceId = Number(values.voce_id);
      applied.push('voce');
    } else errors.voce_id = 'Voce non valida: scegli la voce dall’elenco';
  }
  if (values.creditore_id) {
    if (ID.test(values.creditore_id)) {
      filters.creditoreId = Number(values.creditore_id);
      applied.push('creditore');
    } else errors.creditore_id = 'Creditore non valido: sceglilo dall’elenco';
  }
  for (const [field, nome] of [['cig', 'CIG'], ['cup', 'CUP']] as const) {
    if (!values[field]) continue;
    const codice = values[field].toUpperCase().replace(/\s+/g, '');
    if (CODICE.test(codice)) {
      filters[field] = codice;
      applied.push(field);
    } else errors[field] = `Codice ${nome} non valido: ha solo lettere e cifre (al massimo 15); scrivine anche solo una parte`;
  }
  const min = importo(values.importo_min, 'Importo minimo', errors, 'importo_min');
  const max = importo(values.importo_max, 'Importo massimo', errors, 'importo_max');
  if (min !== null && max !== null && min > max) errors.importo_max = 'L’importo massimo è minore del minimo: correggi l’intervallo';
  else if (min !== null || max !== null) {
    if (min !== null) filters.importoMin = min;
    if (max !== null) filters.importoMax = max;
    applied.push('importo');
  }

  return searchState(filters, values, applied, errors);
}
