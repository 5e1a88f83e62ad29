import { Router, type NextFunction, type Request, type Response } from 'express';
import { currentUser } from '../middleware/auth.js';
import { notFound } from '../middleware/errors.js';
import { esercizioInUso, flash } from '../middleware/locals.js';
import type { FattureService } from '../services/fattureService.js';
import type { EsitoAzione, FattureCollegamentoService } from '../services/fattureCollegamento.js';
import { fatturaCollegamentoPart } from '../presenters/fattureCollegamentoPresenter.js';
import { fatturaRecordPage } from '../presenters/fatturePresenter.js';
import { fromFieldErrors } from '../validation/formErrors.js';
import { MOTIVO_MINIMO } from '../domain/fatturaCollegamento.js';
import { parseId, withId } from './helpers.js';
import { paths } from '../paths.js';

/**
 * The invoice page's actions (Gestisci → Fatture elettroniche): tie to an
 * impegno and untie, link or create the supplier's creditore. Mounted before
 * fattureRouter: it also gives the invoice page its `collegamento` part
 * (views/fatture/_collegamento.ejs) through res.locals.
 */
export function fattureAzioniRouter(service: FattureCollegamentoService, fatture: FattureService) {
  const router = Router();

  const part = async (req: Request, id: number, esito?: EsitoAzione) => {
    const page = await service.page(currentUser(req).scuolaId, id, esercizioInUso(req));
    return page ? fatturaCollegamentoPart(page, esito) : undefined;
  };

  router.get(paths.fatture.route.show, async (req: Request, res: Response, next: NextFunction) => {
    const id = parseId(req.params.id);
    if (id !== null) res.locals.collegamento = await part(req, id);
    next();
  });

  /** A refused action: the invoice page again, with the refusal in its part (422) or the news that it changed (409). */
  async function answer(req: Request, res: Response, id: number, esito: EsitoAzione) {
    if (esito.ok) {
      flash(req, 'success', esito.messaggio);
      for (const a of esito.avvisi) flash(req, 'warning', a);
      return res.redirect(paths.fatture.show(id));
    }
    if (esito.kind === 'not-found') return notFound(req, res);
    const record = await fatture.record(currentUser(req).scuolaId, id);
    const collegamento = await part(req, id, esito);
    if (!record || !collegamento) return notFound(req, res);
    const errors =
      esito.kind === 'conflict'
        ? fromFieldErrors({ collegamento: 'La fattura è stata modificata da un altro utente nel frattempo: controlla i dati aggiornati qui sotto e riprova.' })
        : esito.kind === 'conferma'
          ? fromFieldErrors({ conferma: esito.rifiuti.join(' '), ...(esito.errors.motivo ? { motivo: MOTIVO_MINIMO } : {}) })
          : fromFieldErrors(esito.errors);
    res.status(esito.kind === 'conflict' ? 409 : 422).render('fatture/show', { ...fatturaRecordPage(record), collegamento, ...errors });
  }

  router.post(paths.fatture.route.collega, withId(async (req, res, id) => answer(req, res, id, await service.collega(currentUser(req), id, req.body))));
  router.post(paths.fatture.route.scollega, withId(async (req, res, id) => answer(req, res, id, await service.scollega(currentUser(req), id, req.body))));
  router.post(paths.fatture.route.creditore, withId(async (req, res, id) => answer(req, res, id, await service.creditore(currentUser(req), id, req.body))));

  return router;
}
