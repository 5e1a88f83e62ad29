import { z } from 'zod';

const KEY = /^[0-9a-f]{16}$/;

/**
 * The import's run: the confirmation, the proposals ticked (`accetta`, one per
 * checkbox) or `tutte` (the button that accepts every proposal). Keys that are
 * not a proposal's shape are dropped: the run only applies the keys it finds
 * again in a fresh preview.
 */
export const eseguiImportazioneSchema = z.object({
  conferma: z.literal('1', { error: 'Spunta la conferma per eseguire l’importazione.' }),
  accetta: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((k) => KEY.test(k)))),
  tutte: z.literal('1').optional(),
});

/** The right code for an invalid value, typed once for every document that carries it. */
export const correggiValoreSchema = z.object({
  campo: z.enum(['cig', 'cup'], { error: 'Campo non valido: ricarica la pagina.' }),
  valore: z.string({ error: 'Valore mancante: ricarica la pagina.' }).min(1, 'Valore mancante: ricarica la pagina.').max(2000),
  codice: z.string({ error: 'Scrivi il codice corretto.' }).trim().min(1, 'Scrivi il codice corretto.').max(40, 'Il codice è troppo lungo.'),
});
