import { z } from 'zod';

const anno = z.coerce.number({ error: 'Esercizio non valido' }).int('Esercizio non valido').min(2000, 'Esercizio non valido').max(2100, 'Esercizio non valido');
const mese = z
  .union([z.literal(''), z.coerce.number().int().min(1).max(12)], { error: 'Scegli un mese da 1 a 12, oppure l’intero esercizio' })
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

/** The period of the Flussi page and of its files: an esercizio and, optionally, months 1..mese. */
export const periodoSchema = z.object({ esercizio: anno.optional(), mese });
export const exportParamsSchema = z.object({ esercizio: anno, file: z.enum(['cig.csv', 'cup.csv', 'elenchi.xml']) });
