import type { FattureFilters, ProblemaFattura } from '../repositories/fattureElencoRepository.js';
import type { StatoFattura } from '../repositories/fattureRepository.js';
import type { FieldErrors } from './formErrors.js';
import { queryList, searchPeriod, searchState, searchValues, type Query, type RegistroSearch } from './listQuery.js';

/** Gestisci → Fatture: the search panel of the register of received invoices. */

export const STATI_FATTURA = ['da_collegare', 'collegata', 'pagata_in_parte', 'pagata', 'nota_credito'] as const satisfies readonly StatoFattura[];
export const PROBLEMI_FATTURA = ['senza_cig', 'codici_da_verificare', 'senza_creditore'] as const satisfies readonly ProblemaFattura[];

type FattureCriterio = 'fornitore' | 'numero' | 'codice' | 'stato' | 'tipo_documento' | 'periodo' | 'problemi';
const SEARCH_FIELDS = ['fornitore', 'numero', 'codice', 'stato', 'tipo_documento', 'dal', 'al'] as const;

export type FattureSearch = RegistroSearch<FattureFilters, FattureCriterio, (typeof SEARCH_FIELDS)[number]> & { problemi: string[] };

/** The search panel's query string → filters. Never fails: a bad value is left out, with a message in the panel. */
export function parseFattureSearch(query: Query): FattureSearch {
  const values = searchValues(query, SEARCH_FIELDS);
  const problemi = queryList(query, 'problemi');
  const filters: FattureFilters = {};
  const errors: FieldErrors = {};
  const applied: FattureCriterio[] = [];
  const use = (c: FattureCriterio, applies: boolean) => applies && applied.push(c);

  if (values.fornitore) {
    filters.fornitore = values.fornitore;
    use('fornitore', true);
  }
  if (values.numero) {
    filters.numero = values.numero;
    use('numero', true);
  }
  if (values.codice) {
    const codice = values.codice.toUpperCase().replace(/\s+/g, '');
    if (/^[A-Z0-9]{1,15}$/.test(codice)) filters.codice = codice;
    else errors.codice = 'Codice non valido: un CIG o un CUP ha solo lettere e cifre (al massimo 15); scrivine anche solo una parte';
    use('codice', Boolean(filters.codice));
  }
  if (values.stato) {
    if ((STATI_FATTURA as readonly string[]).includes(values.stato)) filters.stato = values.stato as StatoFattura;
    else errors.stato = 'Stato non valido: scegli uno degli stati dall’elenco';
    use('stato', Boolean(filters.stato));
  }
  if (values.tipo_documento) {
    const tipo = values.tipo_documento.toUpperCase();
    if (/^TD[0-9]{2}$/.test(tipo)) filters.tipoDocumento = tipo;
    else errors.tipo_documento = 'Tipo documento non valido: è un codice come TD01 (fattura) o TD04 (nota di credito)';
    use('tipo_documento', Boolean(filters.tipoDocumento));
  }
  const periodo = searchPeriod(values, errors);
  if (periodo) {
    filters.dal = periodo.dal;
    filters.al = periodo.al;
  }
  use('periodo', periodo !== null);
  if (problemi.length > 0) {
    const known = problemi.filter((p): p is ProblemaFattura => (PROBLEMI_FATTURA as readonly string[]).includes(p));
    if (known.length < problemi.length) errors.problemi = 'Problema non valido: scegli tra senza CIG, codici da verificare e senza creditore';
    if (known.length) filters.problemi = [...new Set(known)];
    use('problemi', known.length > 0);
  }

  const state = searchState(filters, values, applied, errors);
  const chosen = filters.problemi ?? [];
  return { ...state, problemi: chosen, query: state.active ? { ...state.query, problemi: chosen } : {} };
}
