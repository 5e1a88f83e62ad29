import { Router } from 'express';
import type { DaCompletareService } from '../services/daCompletareService.js';
import { currentUser } from '../middleware/auth.js';
import { flash } from '../middleware/locals.js';
import { completatiMessage, daCompletarePage } from '../presenters/daCompletarePresenter.js';
import { paths, safeReturnPath } from '../paths.js';
import { splitReturn } from './helpers.js';

/** Gestisci → Da completare: every CIG and CUP of the school still to complete, saved together. */
export function daCompletareRouter(service: DaCompletareService) {
  const router = Router();
  const page = paths.daCompletare();

  router.get(page, async (req, res) => {
    const list = await service.worklist(currentUser(req).scuolaId);
    res.render('da-completare/index', daCompletarePage({ ...list, ritorno: safeReturnPath(req.query.ritorno) }));
  });

  router.post(page, async (req, res) => {
    const user = currentUser(req);
    const { ritorno, fields } = splitReturn(req.body);
    const esito = await service.saveAll(user, fields);
    if (esito.rifiutate.length === 0) {
      flash(req, esito.salvati.cig + esito.salvati.cup > 0 ? 'success' : 'info', completatiMessage(esito.salvati));
      return res.redirect(ritorno ?? paths.daCompletare());
    }
    // Saved rows are gone from the list; the refused ones keep what was typed, with their errors.
    const list = await service.worklist(user.scuolaId);
    res.status(422).render('da-completare/index', daCompletarePage({ ...list, ritorno, esito }));
  });

  return router;
}
