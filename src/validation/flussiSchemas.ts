import { z } from 'zod';

const anno = z.coerce.number({ error: 'Esercizio non valido' }).int('Esercizio non valido').min(2000, 'Esercizio non valido').max(2100, 'Esercizio non valido');
const mese = z
  .union([z.literal(''), z.coerce.number().int().min(1).max(12)], { error: 'Scegli un mese da 1 a 12, oppure l’intero esercizio' })
  .optional()
  .transform((v) => (v === '' || v === undefined ? null : v));

/**
 * The period of the Flussi page and of its files: optionally, months 1..mese. The page's esercizio is
 * the header's (one year selector on screen); a file's is in its address.
 */
export const periodoSchema = z.object({ mese });
export const exportParamsSchema = z.object({ esercizio: anno, file: z.enum(['cig.csv', 'cup.csv', 'elenchi.xml']) });
