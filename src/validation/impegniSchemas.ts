import { z } from 'zod';
import { MOTIVI_ESCLUSIONE_CIG } from '../domain/opi.js';
import { csrfField, optionalChoice, optionalId, optionalText, requiredDate, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';
import { confermaCupField, requiredId, requiredPositiveEuro } from './documentFields.js';

export const MOTIVI = MOTIVI_ESCLUSIONE_CIG.map((m) => m.value);
export const ENTRAMBI_CIG_E_MOTIVO = 'Scegli il CIG oppure il motivo di esclusione, non entrambi';

/** The fields of the impegno form, in order (names used by the form and the tests). */
export const IMPEGNO_FIELDS = [
  'data', 'voce_id', 'conto_id', 'creditore_id', 'oggetto', 'importo', 'cig_id', 'motivo_esclusione_cig', 'cup_id', 'note',
] as const;

const shape = {
  data: requiredDate('Data'),
  voce_id: requiredId('Scegli la voce del Piano delle destinazioni'),
  conto_id: optionalId('Scegli il conto dall’elenco'),
  creditore_id: optionalId('Scegli il creditore dall’elenco'),
  oggetto: requiredText('Inserisci l’oggetto dell’impegno', 2000, 'L’oggetto è troppo lungo: al massimo 2.000 caratteri'),
  importo: requiredPositiveEuro('Importo'),
  cig_id: optionalId('Scegli il CIG dall’elenco'),
  motivo_esclusione_cig: optionalChoice(MOTIVI, 'Scegli il motivo di esclusione dall’elenco'),
  cup_id: optionalId('Scegli il CUP dall’elenco'),
  note: optionalText(4000, 'Le note sono troppo lunghe: al massimo 4.000 caratteri'),
  conferma_cup: confermaCupField,
  _csrf: csrfField,
};

const bothRule = <T extends { cig_id: number | null; motivo_esclusione_cig: string | null }>(v: T, ctx: z.RefinementCtx) => {
  if (v.cig_id !== null && v.motivo_esclusione_cig !== null) {
    ctx.addIssue({ code: 'custom', path: ['motivo_esclusione_cig'], message: ENTRAMBI_CIG_E_MOTIVO });
  }
};

export const impegnoCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS }).superRefine(bothRule);
export const impegnoUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS }).superRefine(bothRule);
export type ImpegnoForm = z.output<typeof impegnoCreateSchema>;
