import type { FormErrors } from '../validation/formErrors.js';
import type { ListParams } from '../validation/listQuery.js';

/**
 * Result types shared by the register services (CIG, CUP): the handler
 * branches once on `ok`, then on `kind`.
 */
export type Actor = { id: number; scuolaId: number };

export type Invalid = { ok: false; kind: 'invalid'; errors: FormErrors; values: Record<string, string>; duplicateOf?: { id: number; codice: string } };
export type NotFound = { ok: false; kind: 'not_found' };
export type Conflict<R> = { ok: false; kind: 'conflict'; stored: R; values: Record<string, string> };

export type CreateResult<R> = { ok: true; record: R } | Invalid;
export type UpdateResult<R> = { ok: true; record: R } | Invalid | NotFound | Conflict<R>;
export type StatoResult<R> = { ok: true; record: R; changed: boolean } | NotFound | { ok: false; kind: 'stale'; record: R };
export type DeleteResult<R> = { ok: true; record: R } | NotFound | { ok: false; kind: 'in_uso'; record: R; usi: number };

/** The page actually shown: a page past the end shows the last one. */
export function clampPage<K extends string>(params: ListParams<K>, total: number): ListParams<K> {
  const last = Math.max(1, Math.ceil(total / params.perPagina));
  return { ...params, pagina: Math.min(params.pagina, last) };
}

export const offsetOf = (params: ListParams<string>) => (params.pagina - 1) * params.perPagina;
