import { z } from 'zod';
import { csrfField, optionalId, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';
import { requiredChoice } from './documentFields.js';

export const VOCE_FIELDS = ['aggregato', 'voce', 'sottovoce', 'descrizione', 'cup_id'] as const;

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

function intField(label: string, min: number, max: number, required: boolean) {
  return z.preprocess(
    asText,
    z.string({ error: `${label}: numero non valido` }).transform((s, ctx): number | null => {
      const t = s.trim();
      if (t === '') {
        if (required) ctx.addIssue({ code: 'custom', message: `Inserisci il numero della ${label.toLowerCase()}` });
        return null;
      }
      if (!/^\d{1,4}$/.test(t) || Number(t) < min || Number(t) > max) {
        ctx.addIssue({ code: 'custom', message: `${label}: scrivi un numero intero da ${min} a ${max}` });
        return null;
      }
      return Number(t);
    }),
  );
}

const shape = {
  aggregato: requiredChoice(['A', 'P', 'G', 'R'] as const, 'Scegli l’aggregato', 'Scegli l’aggregato dall’elenco: A, P, G o R'),
  voce: intField('Voce', 1, 99, true),
  sottovoce: intField('Sottovoce', 1, 999, false),
  descrizione: requiredText('Inserisci la descrizione della voce', 500, 'La descrizione è troppo lunga: al massimo 500 caratteri'),
  cup_id: optionalId('Scegli il CUP dall’elenco'),
  _csrf: csrfField,
};

export const voceCreateSchema = z.strictObject(
  { ...shape, esercizio: z.preprocess(asText, z.string().regex(/^(20\d\d|2100)$/, 'Esercizio non valido: ricarica la pagina').transform(Number)) },
  { error: UNKNOWN_FIELDS },
);
export const voceUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS });
