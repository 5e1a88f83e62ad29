import { Router, type NextFunction, type Request, type Response } from 'express';
import { currentUser } from '../middleware/auth.js';
import { notFound } from '../middleware/errors.js';
import { flash } from '../middleware/locals.js';
import type { FatturePagamentiService } from '../services/fatturePagamenti.js';
import { fatturaPagamentiPart } from '../presenters/pagamentiPresenter.js';
import { parseId, withId } from './helpers.js';
import { paths } from '../paths.js';

/**
 * The invoice page's payments (issue 15): the `pagamenti` part of the page
 * (views/fatture/_pagamenti.ejs, through res.locals, like the collegamento part)
 * and a credit note's "Storna dalla fattura…". Mounted before fattureRouter.
 */
export function fatturePagamentiRouter(service: FatturePagamentiService) {
  const router = Router();

  router.get(paths.fatture.route.show, async (req: Request, res: Response, next: NextFunction) => {
    const id = parseId(req.params.id);
    const part = id === null ? undefined : await service.part(currentUser(req).scuolaId, id);
    if (part) res.locals.pagamenti = fatturaPagamentiPart(part);
    next();
  });

  /** A refusal goes back to the note's page with the reason (the form is one select: nothing to keep). */
  router.post(paths.fatture.route.storna, withId(async (req, res, id) => {
    const esito = await service.storna(currentUser(req), id, req.body);
    if (esito.ok) flash(req, 'success', esito.messaggio);
    else if ('kind' in esito) return notFound(req, res);
    else flash(req, 'danger', esito.errore);
    res.redirect(303, `${paths.fatture.show(id)}#pagamenti`);
  }));

  return router;
}
