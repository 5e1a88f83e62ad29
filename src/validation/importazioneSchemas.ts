import { z } from 'zod';

export const eseguiImportazioneSchema = z.object({
  conferma: z.literal('1', { error: 'Spunta la conferma per eseguire l’importazione.' }),
});
