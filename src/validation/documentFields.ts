import { z } from 'zod';
import { parseEuro } from '../domain/money.js';

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
