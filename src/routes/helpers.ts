import type { Request } from 'express';

/** An id from the URL: a positive integer that fits the database's integer, or null (→ 404). */
export function parseId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}

/** The request asks for JSON (the modal's background posts), not a page. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
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
