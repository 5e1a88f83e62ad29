import type { Request, RequestHandler, Response } from 'express';
import { currentUser } from '../middleware/auth.js';
import { notFound, wantsJson } from '../middleware/errors.js';
import { flash } from '../middleware/locals.js';
import type { Conflict, CreateResult, Invalid, NotFound, Saved } from '../services/results.js';
import { addQuery, safeReturnPath } from '../paths.js';

/**
 * What every handler repeats, once: the id of the URL, the school's record,
 * the answer to a refused save, the + modal's JSON, the return to a document.
 */

/** An id from the URL: a positive integer that fits the database's integer, or null (→ 404). */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}

type Handler<T> = (req: Request, res: Response, value: T) => unknown;

/** A page about one record: the id of the URL, then the user's school's record, or 404 for either. */
export function withRecord<R>(load: (scuolaId: number, id: number) => Promise<R | undefined>, handle: Handler<R>): RequestHandler {
  return async (req, res) => {
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await load(currentUser(req).scuolaId, id);
    if (record === undefined) return notFound(req, res);
    await handle(req, res, record);
  };
}

/** A POST on one record: the id of the URL, or 404 (the service says whether the school has it). */
export function withId(handle: Handler<number>): RequestHandler {
  return async (req, res) => {
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    await handle(req, res, id);
  };
}

/** After a save: its message, what else it did, what to check, then the page to go to. */
export function redirectSaved(req: Request, res: Response, result: Saved<unknown>, message: string, to: string) {
  flash(req, result.changed ? 'success' : 'info', message);
  for (const m of result.info) flash(req, 'info', m);
  for (const w of result.warnings) flash(req, 'warning', w);
  res.redirect(to);
}

/** After a refused edit: 404, the conflict page (409), or the form again with its errors (422). */
export async function answerRefused<R>(
  req: Request, res: Response, result: Invalid<R> | NotFound | Conflict<R>,
  pages: { conflict: (c: Conflict<R>) => unknown; invalid: (i: Invalid<R>) => unknown },
) {
  if (result.kind === 'not-found') return notFound(req, res);
  if (result.kind === 'conflict') return pages.conflict(result);
  return pages.invalid(result);
}

/** Reads a form's `ritorno` (the document whose + link opened it, without JavaScript) apart from its fields. */
export function splitReturn(body: unknown): { ritorno: string | null; fields: Record<string, unknown> } {
  const { ritorno, ...fields } = (body ?? {}) as Record<string, unknown>;
  return { ritorno: safeReturnPath(ritorno), fields };
}

/**
 * The create of a code or anagrafica that a document needs: from the + modal
 * (JSON: the new id and label, or the errors and the existing record's page), or
 * from the full form, back to the document with the new id in `idField`.
 */
export function createForDocument<R extends { id: number }>(spec: {
  create: (req: Request, fields: Record<string, unknown>) => Promise<CreateResult<R>>;
  json: { codice: (r: R) => string; label: (r: R) => string; show: (id: number) => string };
  idField: string;
  message: (r: R) => string;
  invalid: (req: Request, res: Response, result: Invalid<R>, ritorno: string | null) => unknown;
}): RequestHandler {
  return async (req, res) => {
    const { ritorno, fields } = splitReturn(req.body);
    const result = await spec.create(req, fields);
    if (wantsJson(req)) {
      if (result.ok) return res.status(201).json({ id: result.record.id, codice: spec.json.codice(result.record), label: spec.json.label(result.record) });
      const esistente = result.duplicateOf ? { esistente: { id: result.duplicateOf.id, url: spec.json.show(result.duplicateOf.id) } } : {};
      return res.status(422).json({ errors: result.errors.fieldErrors, ...esistente });
    }
    if (!result.ok) return spec.invalid(req, res, result, ritorno);
    const to = ritorno ? addQuery(ritorno, { [spec.idField]: result.record.id }) : spec.json.show(result.record.id);
    redirectSaved(req, res, result, spec.message(result.record), to);
  };
}

/** A hidden form field as a number, or null. */
export function bodyNumber(body: unknown, field: string): number | null {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  const text = typeof v === 'number' ? String(v) : v;
  return typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : null;
}

/** Every string value of a repeated form field (checkboxes). */
export function bodyList(body: unknown, field: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}
