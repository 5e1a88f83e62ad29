import type { NextFunction, Request, Response } from 'express';
import type { ImportazioneService } from '../services/importazioneService.js';
import { paths } from '../routes/paths.js';

/**
 * Until the one-time import has run for the school, pages show a banner: a
 * link to the import for admins, a note for secretaries. Not on the import
 * page itself, and not for JSON or file responses.
 */
export function importBanner(importazione: ImportazioneService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.user || req.path.startsWith(paths.impostazioni.importazione)) return next();
    res.locals.importazioneMancante = !(await importazione.eseguita(req.user.scuolaId));
    next();
  };
}
