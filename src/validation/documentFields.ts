import { z } from 'zod';
import { parseEuro } from '../domain/money.js';
import { MOTIVI_ESCLUSIONE_CIG } from '../domain/opi.js';
import { csrfField, optionalChoice, optionalId, optionalText } from './fields.js';

/**
 * Field builders of the documents' forms (impegni, mandati, voci) that the
 * registers' fields.ts does not have: required ids and required positive amounts.
 */
const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

/** An id chosen from a drop-down that must be there. */
export function requiredId(message: string) {
  return z.preprocess(
    asText,
    z.string({ error: message }).transform((s, ctx): number => {
      const t = s.trim();
      if (!/^[1-9]\d{0,8}$/.test(t)) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return Number(t);
    }),
  );
}

/** A required amount in euro, greater than zero → integer cents. */
export function requiredPositiveEuro(label: string) {
  return z.preprocess(
    asText,
    z.string({ error: `${label}: importo non valido` }).transform((s, ctx): number => {
      if (s.trim() === '') {
        ctx.addIssue({ code: 'custom', message: `Inserisci l’${label.toLowerCase()}` });
        return z.NEVER;
      }
      const cents = parseEuro(s);
      if (cents === null) {
        ctx.addIssue({ code: 'custom', message: `${label}: scrivi l’importo in euro, per esempio 1.234,56` });
        return z.NEVER;
      }
      if (cents <= 0) {
        ctx.addIssue({ code: 'custom', message: `${label}: deve essere maggiore di zero` });
        return z.NEVER;
      }
      return cents;
    }),
  );
}

/** A required value of a closed list. */
export function requiredChoice<T extends string>(values: readonly T[], empty: string, wrong: string) {
  return z.preprocess(
    asText,
    z.string({ error: wrong }).transform((s, ctx): T => {
      if (s === '') {
        ctx.addIssue({ code: 'custom', message: empty });
        return z.NEVER;
      }
      if (!(values as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message: wrong });
        return z.NEVER;
      }
      return s as T;
    }),
  );
}

/** The answer to "La voce ha già un altro CUP: sostituirlo?" — '1' yes, '0' no, absent: not asked yet. */
export const confermaCupField = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? null : v),
  z.enum(['0', '1'], { error: 'Scegli se sostituire il CUP della voce' }).nullable(),
);

export const MOTIVI = MOTIVI_ESCLUSIONE_CIG.map((m) => m.value);
export const ENTRAMBI_CIG_E_MOTIVO = 'Scegli il CIG oppure il motivo di esclusione, non entrambi';

/** The fields an impegno and a mandato form end with: CIG or its motivo di esclusione, CUP, note, the answer about the voce's CUP. */
export const codiciShape = {
  cig_id: optionalId('Scegli il CIG dall’elenco'),
  motivo_esclusione_cig: optionalChoice(MOTIVI, 'Scegli il motivo di esclusione dall’elenco'),
  cup_id: optionalId('Scegli il CUP dall’elenco'),
  note: optionalText(4000, 'Le note sono troppo lunghe: al massimo 4.000 caratteri'),
  conferma_cup: confermaCupField,
  /** '1' once the form was shown with the voce's CUP proposed (without JavaScript): an empty CUP is then the user's choice. */
  cup_dalla_voce: z.preprocess((v) => (v === undefined || v === null || v === '' ? null : v), z.enum(['1']).nullable()),
  _csrf: csrfField,
};

/** A document has a CIG or a motivo di esclusione, not both. */
export function refuseCigAndMotivo(v: { cig_id: number | null; motivo_esclusione_cig: string | null }, ctx: z.RefinementCtx): void {
  if (v.cig_id !== null && v.motivo_esclusione_cig !== null) {
    ctx.addIssue({ code: 'custom', path: ['motivo_esclusione_cig'], message: ENTRAMBI_CIG_E_MOTIVO });
  }
}
