import { parseDateInput } from '../domain/dates.js';
import { toPlainText } from '../domain/text.js';
import type { QueryParams } from '../paths.js';
import type { FieldErrors } from './formErrors.js';
/**
 * The registers' list state lives in the query string (bookmarkable, Back works):
 * ordina / verso / pagina / per, plus each register's search fields. Parsing never
 * fails: an unknown or malformed value falls back to the default.
 */
export type SortDir = 'asc' | 'desc';
export type ListParams<K extends string> = { ordina: K; verso: SortDir; pagina: number; perPagina: number };
export type Query = Record<string, unknown>;

export const PAGE_SIZES = [25, 50, 100] as const;
const MAX_PAGE = 1_000_000;

/** The first string value of a query parameter, trimmed and bounded (never an array or object). */
export function queryText(query: Query, key: string, max = 200): string {
  const raw = query[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? toPlainText(value).trim().slice(0, max) : '';
}

/** Every string value of a repeated parameter (checkboxes). */
export function queryList(query: Query, key: string): string[] {
  const raw = query[key];
  const values = Array.isArray(raw) ? raw : [raw];
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);
}

function positiveInt(text: string): number | null {
  if (!/^\d{1,7}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_PAGE ? n : null;
}

export function parseListParams<K extends string>(
  query: Query,
  sortable: readonly K[],
  defaults: { ordina: K; verso: SortDir },
): ListParams<K> {
  const ordinaText = queryText(query, 'ordina');
  const ordina = (sortable as readonly string[]).includes(ordinaText) ? (ordinaText as K) : defaults.ordina;
  const versoText = queryText(query, 'verso');
  const verso: SortDir = versoText === 'asc' || versoText === 'desc' ? versoText : ordina === defaults.ordina ? defaults.verso : 'asc';
  const per = positiveInt(queryText(query, 'per'));
  const perPagina = per !== null && (PAGE_SIZES as readonly number[]).includes(per) ? per : PAGE_SIZES[0];
  const pagina = positiveInt(queryText(query, 'pagina')) ?? 1;
  return { ordina, verso, pagina, perPagina };
}

/** A register's search panel, read from the query string. */
export type RegistroSearch<F, C extends string, V extends string> = {
  filters: F;
  values: Record<V, string>;
  /** Criteria applied: a filled field is a criterion (there are no boxes to tick). */
  applied: C[];
  /** A search is applied (the panel opens). */
  active: boolean;
  errors: FieldErrors;
  /** The search part of the query string, for sort/page/export links. */
  query: QueryParams;
};

/** The search panel's fields as sent (plain text, trimmed; empty when absent). */
export function searchValues<V extends string>(query: Query, fields: readonly V[]): Record<V, string> {
  return Object.fromEntries(fields.map((f) => [f, queryText(query, f)])) as Record<V, string>;
}

/** The search once read: applied when a criterion applied or a value was refused, with the query string that repeats it. */
export function searchState<F, C extends string, V extends string>(filters: F, values: Record<V, string>, applied: C[], errors: FieldErrors): RegistroSearch<F, C, V> {
  const active = applied.length > 0 || Object.keys(errors).length > 0;
  const filled = Object.fromEntries(Object.entries<string>(values).filter(([, v]) => v !== ''));
  return { filters, values, applied, active, errors, query: active ? filled : {} };
}

/**
 * A search panel's period «dal … al …» (dd/mm/yyyy or yyyy-mm-dd), either bound optional:
 * the ISO bounds, or null when neither is usable; each refused bound, or «al» before «dal»,
 * gets its message next to its field.
 */
export function searchPeriod(values: { dal: string; al: string }, errors: FieldErrors): { dal: string | null; al: string | null } | null {
  if (!values.dal && !values.al) return null;
  const dal = values.dal ? parseDateInput(values.dal) : null;
  const al = values.al ? parseDateInput(values.al) : null;
  if (values.dal && !dal) errors.dal = 'Data “dal” non valida: scrivila come gg/mm/aaaa';
  if (values.al && !al) errors.al = 'Data “al” non valida: scrivila come gg/mm/aaaa';
  if (dal && al && dal > al) {
    errors.al = 'La data “al” viene prima della data “dal”: correggi il periodo';
    return null;
  }
  return dal || al ? { dal, al } : null;
}
