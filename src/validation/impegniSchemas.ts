import { z } from 'zod';
import { optionalId, requiredDate, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';
import { refuseCigAndMotivo, codiciShape, requiredId, requiredPositiveEuro } from './documentFields.js';

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
  ...codiciShape,
};

export const impegnoCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS }).superRefine(refuseCigAndMotivo);
export const impegnoUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS }).superRefine(refuseCigAndMotivo);
export type ImpegnoForm = z.output<typeof impegnoCreateSchema>;
