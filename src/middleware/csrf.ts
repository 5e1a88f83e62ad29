import { timingSafeEqual } from 'node:crypto';
import type { Express, Request } from 'express';
import { csrfSync } from 'csrf-sync';
import { paths } from '../paths.js';

/**
 * Synchroniser-token CSRF on every unsafe method: the token travels in the
 * hidden `_csrf` field of every form, or in the `x-csrf-token` header for the
 * modal's background posts. A missing or wrong token answers 403.
 */
const MULTIPART_UPLOADS: ReadonlySet<string> = new Set([paths.impostazioni.datiAperti, paths.fatture.carica, paths.cassiere.esiti]);

const { csrfSynchronisedProtection, generateToken, getTokenFromState } = csrfSync({
  // The uploads (open data, invoices) are multipart: their bodies are streamed, never parsed
  // here. Their routes read the `_csrf` field (the form's first) and check it with
  // csrfTokenMatches before reading a byte of a file; no other path skips the check.
  skipCsrfProtection: (req: Request) => req.method === 'POST' && MULTIPART_UPLOADS.has(req.path) && Boolean(req.is('multipart/form-data')),
  getTokenFromRequest: (req: Request) => {
    const header = req.headers['x-csrf-token'];
    if (typeof header === 'string') return header;
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
  errorConfig: { statusCode: 403, message: 'Token CSRF non valido', code: 'EBADCSRFTOKEN' },
});

export function setUpCsrf(app: Express) {
  app.use(csrfSynchronisedProtection);
  app.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    next();
  });
}

/** The token of a multipart form (read by its route) against the session's, in constant time. */
export function csrfTokenMatches(req: Request, token: string | undefined): boolean {
  const expected = getTokenFromState(req);
  if (typeof expected !== 'string' || typeof token !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
