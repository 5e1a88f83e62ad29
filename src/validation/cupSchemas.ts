import { z } from 'zod';
import { FONTI_FINANZIAMENTO, normalizeCup, validateCup } from '../domain/cup.js';
import type { CupFilters, CupStato } from '../repositories/cupRepository.js';
import type { FieldErrors } from './formErrors.js';
import { searchState, searchValues, type Query, type RegistroSearch } from './listQuery.js';
import { choiceWithDefault, csrfField, optionalChoice, optionalEuro, optionalText, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';

export const CUP_STATI = ['attivo', 'chiuso', 'annullato'] as const satisfies readonly CupStato[];
export const FONTI = FONTI_FINANZIAMENTO.map((f) => f.value);

/** The fields of the CUP form, in order. */
export const CUP_FIELDS = ['codice', 'descrizione', 'importo_finanziato', 'fonte_finanziamento', 'stato', 'note'] as const;

const codice = z.preprocess(
  (v) => (v === undefined || v === null ? '' : v),
  z.string({ error: 'Inserisci il codice CUP' }).max(60, 'Il codice CUP ha 15 caratteri: qui ce ne sono troppi').transform((s, ctx) => {
    const v = validateCup(s);
    if (!v.ok) {
      ctx.addIssue({ code: 'custom', message: v.reason });
      return z.NEVER;
    }
    return { codice: v.codice, annoDecisione: v.annoDecisione };
  }),
);

const shape = {
  codice,
  descrizione: requiredText('Inserisci la descrizione del progetto', 2000, 'La descrizione è troppo lunga: al massimo 2.000 caratteri'),
  importo_finanziato: optionalEuro('Importo finanziato'),
  fonte_finanziamento: optionalChoice(FONTI, 'Scegli la fonte di finanziamento dall’elenco'),
  stato: choiceWithDefault(CUP_STATI, 'attivo', 'Scegli lo stato: attivo, chiuso o annullato'),
  note: optionalText(4000, 'Le note sono troppo lunghe: al massimo 4.000 caratteri'),
  _csrf: csrfField,
};

export const cupCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS });
export const cupUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS });
export type CupForm = z.output<typeof cupCreateSchema>;

/** The fields of a CUP the "Da completare" page edits, in a row's order; the rules are the edit form's. */
export const CUP_COMPLETA_FIELDS = ['descrizione', 'importo_finanziato', 'fonte_finanziamento'] as const;
export const cupCompletaSchema = cupUpdateSchema.pick({ descrizione: true, importo_finanziato: true, fonte_finanziamento: true, version: true });

/* ---------------------------------------------------------------- search */

export type CupCriterio = 'codice' | 'descrizione' | 'anno' | 'fonte' | 'stato';
const SEARCH_FIELDS = ['codice', 'descrizione', 'anno', 'fonte', 'stato'] as const;

export type CupSearch = RegistroSearch<CupFilters, CupCriterio, (typeof SEARCH_FIELDS)[number]>;

export function parseCupSearch(query: Query): CupSearch {
  const values = searchValues(query, SEARCH_FIELDS);
  const filters: CupFilters = {};
  const errors: FieldErrors = {};
  const applied: CupCriterio[] = [];

  if (values.codice) {
    filters.codice = normalizeCup(values.codice);
    applied.push('codice');
  }
  if (values.descrizione) {
    filters.descrizione = values.descrizione;
    applied.push('descrizione');
  }
  if (values.anno) {
    if (/^\d{4}$/.test(values.anno)) {
      filters.anno = Number(values.anno);
      applied.push('anno');
    } else {
      errors.anno = 'Anno di decisione non valido: scrivi quattro cifre, per esempio 2022';
    }
  }
  if ((FONTI as readonly string[]).includes(values.fonte)) {
    filters.fonte = values.fonte;
    applied.push('fonte');
  }
  if ((CUP_STATI as readonly string[]).includes(values.stato)) {
    filters.stato = values.stato as CupStato;
    applied.push('stato');
  }
  return searchState(filters, values, applied, errors);
}
