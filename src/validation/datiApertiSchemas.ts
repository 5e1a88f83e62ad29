import { z } from 'zod';
import { SCELTE_CONTRAENTE } from '../domain/opi.js';
import type { Campo, Scelta } from '../services/datiApertiService.js';
import { optionalChoice, optionalEuro, optionalText, requiredDate, requiredText } from './fields.js';

/**
 * The proposals page posts one checkbox per value chosen; its value carries the
 * record, the version shown, the field, the value and the file's column. Every
 * value is checked again here with the registers' own fields: the page is not trusted.
 */

const VALUE_OF: Record<Campo, z.ZodType<string | number | null>> = {
  oggetto: requiredText('Oggetto vuoto', 2000, 'Oggetto troppo lungo'),
  descrizione: requiredText('Descrizione vuota', 2000, 'Descrizione troppo lunga'),
  data_generazione: requiredDate('Data di generazione'),
  data_scadenza_offerte: requiredDate('Data di scadenza presentazione offerte'),
  importo_cents: optionalEuro('Importo'),
  importo_finanziato_cents: optionalEuro('Importo finanziato'),
  scelta_contraente: optionalChoice(SCELTE_CONTRAENTE.map((s) => s.value), 'Scelta del contraente non valida'),
  anno_decisione: z.coerce.number().int().min(1900).max(2100),
};

const sceltaSchema = z.strictObject({
  e: z.enum(['cig', 'cup']),
  id: z.number().int().positive().max(2_147_483_647),
  v: z.number().int().positive().max(2_147_483_647),
  c: z.enum(Object.keys(VALUE_OF) as [Campo, ...Campo[]]),
  x: z.string().max(4000),
  col: optionalText(200, 'Nome di colonna troppo lungo'),
});

/** What a checkbox of the page sends (the page writes it, the route reads it back). */
export function sceltaValue(s: { entita: string; id: number; version: number; campo: Campo; valore: string; colonna: string }): string {
  return JSON.stringify({ e: s.entita, id: s.id, v: s.version, c: s.campo, x: s.valore, col: s.colonna });
}

const applicaSchema = z.object({
  file: optionalText(255, 'Nome del file troppo lungo'),
  scelta: z.union([z.string(), z.array(z.string())]).optional(),
});

/** The values chosen, checked one by one: the good ones, and how many were refused. */
export function parseScelte(body: unknown): { file: string; scelte: Scelta[]; rifiutate: number } {
  const form = applicaSchema.safeParse(body ?? {});
  if (!form.success) return { file: '', scelte: [], rifiutate: 1 };
  const raw = form.data.scelta === undefined ? [] : Array.isArray(form.data.scelta) ? form.data.scelta : [form.data.scelta];
  const scelte: Scelta[] = [];
  let rifiutate = 0;
  for (const text of raw) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      rifiutate++;
      continue;
    }
    const s = sceltaSchema.safeParse(json);
    const valore = s.success ? VALUE_OF[s.data.c].safeParse(s.data.x) : null;
    if (!s.success || !valore?.success || valore.data === null || !s.data.col) {
      rifiutate++;
      continue;
    }
    scelte.push({ entita: s.data.e, id: s.data.id, version: s.data.v, campo: s.data.c, valore: valore.data, colonna: s.data.col });
  }
  return { file: form.data.file ?? 'file senza nome', scelte, rifiutate };
}
