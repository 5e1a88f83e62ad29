import type { NextFunction, Request, Response } from 'express';
import { paths } from '../paths.js';

/**
 * Until the one-time import has run for a school whose documents hold codes
 * written as text, pages show a banner: a link to the import for admins, a note
 * for secretaries. A school with nothing to import never sees it. Not on the
 * import page itself, and not for JSON or file responses. The fact comes with
 * the current user (loadCurrentUser), in the same query.
 */
export function importBanner(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'GET' || !req.user || req.path.startsWith(paths.impostazioni.importazione)) return next();
  res.locals.importazioneMancante = req.user.importazioneDaFare;
  next();
}
