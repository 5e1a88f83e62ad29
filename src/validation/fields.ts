import { z } from 'zod';
import { parseDateInput } from '../domain/dates.js';
import { parseEuro } from '../domain/money.js';
import { isPlainText, TESTO_NON_AMMESSO } from '../domain/text.js';

/**
 * Field builders shared by the register forms. Each takes what a form (or a
 * JSON body) sends and gives the value the service stores, with an Italian
 * message written for the person at the keyboard.
 */

/** Forms send strings; JSON may send numbers or null: both become text first. */
const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

const string = (message: string) => z.string({ error: message });

export function requiredText(empty: string, max: number, tooLong: string) {
  return z.preprocess(asText, string(empty).trim().min(1, empty).max(max, tooLong).refine(isPlainText, TESTO_NON_AMMESSO));
}

export function optionalText(max: number, tooLong: string) {
  return z.preprocess(
    asText,
    string('Testo non valido').trim().max(max, tooLong).refine(isPlainText, TESTO_NON_AMMESSO).transform((s) => (s === '' ? null : s)),
  );
}

const DATE_SHAPE = /^(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})$/;

function dateField(label: string, required: boolean) {
  return z.preprocess(
    asText,
    string(`${label}: data non valida`).transform((s, ctx): string | null => {
      const text = s.trim();
      if (text === '') {
        if (required) ctx.addIssue({ code: 'custom', message: `Inserisci la ${label.toLowerCase()}` });
        return null;
      }
      const iso = parseDateInput(text);
      if (iso) return iso;
      ctx.addIssue({
        code: 'custom',
        message: DATE_SHAPE.test(text)
          ? `${label}: il giorno ${text} non esiste nel calendario, controlla giorno e mese`
          : `${label}: scrivi la data come gg/mm/aaaa (per esempio 15/03/2025)`,
      });
      return null;
    }),
  );
}

export const requiredDate = (label: string) => dateField(label, true);
export const optionalDate = (label: string) => dateField(label, false);

/** Optional amount in euro ('1.234,56', '1234.56') → integer cents, never negative. */
export function optionalEuro(label: string) {
  return z.preprocess(
    asText,
    string(`${label}: importo non valido`).transform((s, ctx): number | null => {
      if (s.trim() === '') return null;
      const cents = parseEuro(s);
      if (cents === null) {
        ctx.addIssue({ code: 'custom', message: `${label}: scrivi l’importo in euro, per esempio 1.234,56` });
        return null;
      }
      if (cents < 0) {
        ctx.addIssue({ code: 'custom', message: `${label}: l’importo non può essere negativo` });
        return null;
      }
      return cents;
    }),
  );
}

/** Optional id chosen from a drop-down ('' = none). */
export function optionalId(message: string) {
  return z.preprocess(
    asText,
    string(message).transform((s, ctx): number | null => {
      if (s.trim() === '') return null;
      if (!/^\d{1,9}$/.test(s.trim())) {
        ctx.addIssue({ code: 'custom', message });
        return null;
      }
      return Number(s.trim());
    }),
  );
}

/** Optional value from a closed list ('' = none). */
export function optionalChoice<T extends string>(values: readonly T[], message: string) {
  return z.preprocess(
    asText,
    string(message).transform((s, ctx): T | null => {
      if (s === '') return null;
      if (!(values as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message });
        return null;
      }
      return s as T;
    }),
  );
}

/** A value from a closed list, with a default when nothing is sent (e.g. the modal omits stato). */
export function choiceWithDefault<T extends string>(values: readonly [T, ...T[]], fallback: T, message: string) {
  return z.preprocess((v) => (v === undefined || v === null || v === '' ? fallback : v), z.enum(values, { error: message }));
}

/** The hidden version of an edit form (optimistic locking). */
export const versionField = z.preprocess(asText, string('Versione mancante').regex(/^\d{1,9}$/, 'Versione non valida: ricarica la pagina').transform(Number));

/** The CSRF token travels in the body of a form: allowed, never used here. */
export const csrfField = z.unknown().optional();

export const UNKNOWN_FIELDS = 'Il modulo contiene campi non previsti: ricarica la pagina e riprova.';

/** What the user typed, as strings, to re-fill the form (only the form's own fields). */
export function submittedValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = (body ?? {}) as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const f of fields) {
    const v = source[f];
    values[f] = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  }
  return values;
}
