import type { z } from 'zod';
import type { FormErrors } from '../validation/formErrors.js';
import { fromFieldErrors, toFormErrors, type FieldErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import type { ListParams } from '../validation/listQuery.js';

/**
 * The one result type of the services that write: a handler branches once on
 * `ok`, then on `kind` (`invalid` / `conflict` / `not-found`).
 */
export type Actor = { id: number; scuolaId: number };

/** What the form sent, as text, to draw it again. */
export type Values = Record<string, string>;

export type CupConflict = { voceCodice: string; cupVoce: string; cupDocumento: string };

/** A save done. `info`: what else it did (the CUP written on the voce); `warnings`: what to check, not blocking. */
export type Saved<R> = { ok: true; record: R; changed: boolean; warnings: string[]; info: string[] };

/**
 * A save refused for its content: everything the form page needs to be drawn
 * again (the values sent, the errors, the stored record when it was an edit),
 * so routes never re-read after a 422.
 */
export type Invalid<R = unknown> = {
  ok: false;
  kind: 'invalid';
  errors: FormErrors;
  values: Values;
  record?: R;
  /** The code is already in the register: the form links to it. */
  duplicateOf?: { id: number; codice: string };
  /** The voce has another CUP: the form asks whether to replace it (conferma_cup). */
  cupConflict?: CupConflict;
};

export type NotFound = { ok: false; kind: 'not-found' };

/**
 * The stored record moved on, or forbids the change: someone saved it meanwhile
 * (`values` holds what this user sent), or documents use it (`usi`, for a delete).
 */
export type Conflict<R> = { ok: false; kind: 'conflict'; stored: R; values: Values; usi?: number };

/** An action the user did not confirm (or may not do): nothing changed, `message` says why and what to do. */
export type Refused = { ok: false; kind: 'refused'; message: string };

export type Result<R> = Saved<R> | Invalid<R> | NotFound | Conflict<R>;
export type CreateResult<R> = Saved<R> | Invalid<R>;

export const NOT_FOUND: NotFound = { ok: false, kind: 'not-found' };

export function saved<R>(record: R, extra: Partial<Omit<Saved<R>, 'ok' | 'record'>> = {}): Saved<R> {
  return { ok: true, record, changed: true, warnings: [], info: [], ...extra };
}

export function invalid<R = unknown>(values: Values, errors: FieldErrors | FormErrors, extra: Partial<Invalid<R>> = {}): Invalid<R> {
  return { ok: false, kind: 'invalid', values, errors: 'errorList' in errors ? (errors as FormErrors) : fromFieldErrors(errors as FieldErrors), ...extra };
}

export function conflict<R>(stored: R, values: Values = {}, usi?: number): Conflict<R> {
  return { ok: false, kind: 'conflict', stored, values, ...(usi === undefined ? {} : { usi }) };
}

/**
 * A form body checked against its schema: the data, and the values as sent (with
 * `version` when an edit lists it among the fields). A body that fails gives the Invalid to answer with.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  fields: readonly string[],
): { ok: true; data: z.output<S>; submitted: Values } | { ok: false; submitted: Values; invalid: Invalid<never> } {
  const submitted = submittedValues(body, fields);
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data, submitted };
  return { ok: false, submitted, invalid: invalid(submitted, toFormErrors(parsed.error)) };
}

/** The page actually shown: a page past the end shows the last one. */
export function clampPage<K extends string>(params: ListParams<K>, total: number): ListParams<K> {
  const last = Math.max(1, Math.ceil(total / params.perPagina));
  return { ...params, pagina: Math.min(params.pagina, last) };
}

/** The rows of the page shown, for a repository's list: direction, size, offset. */
export const pageOf = (params: ListParams<string>) => ({ dir: params.verso, limit: params.perPagina, offset: (params.pagina - 1) * params.perPagina });
