import type { Express, Request } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser-token CSRF on every unsafe method: the token travels in the
 * hidden `_csrf` field of every form, or in the `x-csrf-token` header for the
 * modal's background posts. A missing or wrong token answers 403.
 */
const { csrfSynchronisedProtection, generateToken } = csrfSync({
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
