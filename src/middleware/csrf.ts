import { timingSafeEqual } from 'node:crypto';
import type { Express, Request } from 'express';
import { csrfSync } from 'csrf-sync';
import { paths } from '../paths.js';

/**
 * Synchroniser-token CSRF on every unsafe method: the token travels in the
 * hidden `_csrf` field of every form, or in the `x-csrf-token` header for the
 * modal's background posts. A missing or wrong token answers 403.
 */
const { csrfSynchronisedProtection, generateToken, getTokenFromState } = csrfSync({
  // The open-data upload is multipart: its body is streamed, never parsed here. Its route
  // reads the `_csrf` field (the form's first) and checks it with csrfTokenMatches
  // before reading a byte of the file; no other path skips the check.
  skipCsrfProtection: (req: Request) => req.method === 'POST' && req.path === paths.impostazioni.datiAperti && Boolean(req.is('multipart/form-data')),
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
