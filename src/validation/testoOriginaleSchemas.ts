import { z } from 'zod';
import { versionField } from './fields.js';

/** One click on a document's legacy text: link the code read in it, set the motivo it names, or mark it «nessun codice». */
export const TESTO_ORIGINALE_FIELDS = ['campo', 'azione', 'codice', 'motivo', 'version'] as const;

export const testoOriginaleSchema = z.object({
  campo: z.enum(['cig', 'cup'], { error: 'Campo del testo originale non valido: ricarica la pagina.' }),
  azione: z.enum(['collega', 'motivo', 'nessun_codice'], { error: 'Scelta non valida: ricarica la pagina.' }),
  codice: z.string().max(40).optional(),
  motivo: z.string().max(60).optional(),
  version: versionField,
});

export type TestoOriginaleForm = z.output<typeof testoOriginaleSchema>;
