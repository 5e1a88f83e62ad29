import { z } from 'zod';
import { normalizeCig, validateCig, type CigFamily } from '../domain/cig.js';
import { SCELTE_CONTRAENTE } from '../domain/opi.js';
import type { CigFilters, CigStato } from '../repositories/cigRepository.js';
import type { FieldErrors } from './formErrors.js';
import { searchPeriod, searchState, searchValues, type Query, type RegistroSearch } from './listQuery.js';
import {
  choiceWithDefault, csrfField, optionalChoice, optionalDate, optionalEuro, optionalId, optionalText, requiredDate,
  requiredText, UNKNOWN_FIELDS, versionField,
} from './fields.js';

export const CIG_STATI = ['attivo', 'annullato'] as const satisfies readonly CigStato[];
export const CIG_FAMIGLIE = ['ordinario', 'smart', 'pcp'] as const satisfies readonly CigFamily[];

/** The fields of the CIG form, in order (names used by the form, the JSON modal and the tests). */
export const CIG_FIELDS = [
  'codice', 'oggetto', 'data_generazione', 'data_scadenza_offerte', 'importo', 'fornitore_id', 'scelta_contraente', 'stato', 'note',
] as const;

const codice = z.preprocess(
  (v) => (v === undefined || v === null ? '' : v),
  z.string({ error: 'Inserisci il codice CIG' }).max(60, 'Il codice CIG ha 10 caratteri: qui ce ne sono troppi').transform((s, ctx) => {
    const v = validateCig(s);
    if (!v.ok) {
      ctx.addIssue({ code: 'custom', message: v.reason });
      return z.NEVER;
    }
    return { codice: v.codice, famiglia: v.famiglia };
  }),
);

const shape = {
  codice,
  oggetto: requiredText('Inserisci l’oggetto della gara', 2000, 'L’oggetto della gara è troppo lungo: al massimo 2.000 caratteri'),
  data_generazione: requiredDate('Data di generazione'),
  data_scadenza_offerte: optionalDate('Data di scadenza presentazione offerte'),
  importo: optionalEuro('Importo'),
  fornitore_id: optionalId('Scegli il fornitore dall’elenco'),
  scelta_contraente: optionalChoice(SCELTE_CONTRAENTE.map((s) => s.value), 'Scegli la scelta del contraente dall’elenco'),
  stato: choiceWithDefault(CIG_STATI, 'attivo', 'Scegli lo stato: attivo o annullato'),
  note: optionalText(4000, 'Le note sono troppo lunghe: al massimo 4.000 caratteri'),
  _csrf: csrfField,
};

export const cigCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS });
export const cigUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS });

export type CigForm = z.output<typeof cigCreateSchema>;

/** The fields of a CIG the "Da completare" page edits, in a row's order; the rules are the edit form's. */
export const CIG_COMPLETA_FIELDS = ['data_generazione', 'data_scadenza_offerte', 'oggetto', 'importo'] as const;
export const cigCompletaSchema = cigUpdateSchema.pick({ data_generazione: true, data_scadenza_offerte: true, oggetto: true, importo: true, version: true });

/* ---------------------------------------------------------------- search */

export type CigCriterio = 'codice' | 'oggetto' | 'periodo' | 'stato' | 'fornitore' | 'famiglia' | 'da_completare';
const SEARCH_FIELDS = ['codice', 'oggetto', 'campo_data', 'dal', 'al', 'stato', 'fornitore_id', 'famiglia', 'da_completare'] as const;

export type CigSearch = RegistroSearch<CigFilters, CigCriterio, (typeof SEARCH_FIELDS)[number]>;

/** The search panel's query string → filters. Never fails: a bad value is ignored with a message. */
export function parseCigSearch(query: Query): CigSearch {
  const values = searchValues(query, SEARCH_FIELDS);
  const filters: CigFilters = {};
  const errors: FieldErrors = {};
  const applied: CigCriterio[] = [];

  if (values.codice) {
    filters.codice = normalizeCig(values.codice);
    applied.push('codice');
  }
  if (values.oggetto) {
    filters.oggetto = values.oggetto;
    applied.push('oggetto');
  }
  const periodo = searchPeriod(values, errors);
  if (periodo) {
    filters.periodo = { campo: values.campo_data === 'data_scadenza_offerte' ? 'data_scadenza_offerte' : 'data_generazione', ...periodo };
    applied.push('periodo');
  }
  if ((CIG_STATI as readonly string[]).includes(values.stato)) {
    filters.stato = values.stato as CigStato;
    applied.push('stato');
  }
  if (/^\d{1,9}$/.test(values.fornitore_id)) {
    filters.fornitoreId = Number(values.fornitore_id);
    applied.push('fornitore');
  }
  if ((CIG_FAMIGLIE as readonly string[]).includes(values.famiglia)) {
    filters.famiglia = values.famiglia as CigFamily;
    applied.push('famiglia');
  }

  // CIGs registered by the import without a data di generazione (the flows need it).
  if (values.da_completare === '1') {
    filters.daCompletare = true;
    applied.push('da_completare');
  }

  return searchState(filters, values, applied, errors);
}
