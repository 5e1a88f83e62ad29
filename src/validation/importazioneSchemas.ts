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
