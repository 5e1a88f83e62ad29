import type { z } from 'zod';
import { CIG_COMPLETA_FIELDS, cigCompletaSchema } from './cigSchemas.js';
import { CUP_COMPLETA_FIELDS, cupCompletaSchema } from './cupSchemas.js';

/**
 * The "Da completare" page posts every row in one urlencoded form (the app's
 * parser is not `extended`), with flat names: `cig_<id>_<field>` and
 * `cup_<id>_<field>`, plus `cig_<id>_version`. Each row is then checked with
 * the edit form's own schema, picked to the fields the page shows.
 */
export type Registro = 'cig' | 'cup';

export const COMPLETA = {
  cig: { fields: CIG_COMPLETA_FIELDS, schema: cigCompletaSchema },
  cup: { fields: CUP_COMPLETA_FIELDS, schema: cupCompletaSchema },
} as const;

/** The name of a row's field in the form (also the id of its input, with dashes). */
export const rowFieldName = (registro: Registro, id: number, field: string) => `${registro}_${id}_${field}`;

/** One row as posted: its fields as text (only the known ones), with `version`. */
export type PostedRow = { registro: Registro; id: number; values: Record<string, string> };

const NAME = /^(cig|cup)_([1-9]\d{0,9})_([a-z_]+)$/;
const MAX_ID = 2_147_483_647;

/** Groups the body's fields into rows, in the order they came; anything else (_csrf, unknown names) is left out. */
export function postedRows(body: unknown): PostedRow[] {
  const rows = new Map<string, PostedRow>();
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const match = NAME.exec(name);
    if (!match || typeof value !== 'string') continue;
    const registro = match[1] as Registro;
    const id = Number(match[2]);
    const field = match[3]!;
    if (id > MAX_ID || !([...COMPLETA[registro].fields, 'version'] as string[]).includes(field)) continue;
    const key = `${registro}_${id}`;
    const row = rows.get(key) ?? { registro, id, values: {} };
    row.values[field] = value;
    rows.set(key, row);
  }
  return [...rows.values()];
}

type Shape = Record<string, z.ZodType>;

/**
 * Whether a posted row changes nothing: each field, read by its own rule, gives
 * the stored value (an empty field for an empty value). '01/03/2026' and
 * '2026-03-01' are the same date; a row left as the page showed it is not saved.
 */
export function rowUnchanged(registro: Registro, values: Record<string, string>, stored: Record<string, unknown>): boolean {
  const shape = COMPLETA[registro].schema.shape as Shape;
  return COMPLETA[registro].fields.every((field) => {
    const text = values[field] ?? '';
    const current = stored[field] ?? null;
    if (text.trim() === '') return current === null || current === '';
    const parsed = shape[field]!.safeParse(text);
    return parsed.success && parsed.data === current;
  });
}
