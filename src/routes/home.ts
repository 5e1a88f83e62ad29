import { Router } from 'express';
import type { HomeService } from '../services/homeService.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, flash } from '../middleware/locals.js';
import { esercizioSchema } from '../validation/authSchemas.js';
import { paths, safeReturnPath } from '../paths.js';
import { homePage } from '../presenters/homePresenter.js';

export function homeRouter(home: HomeService) {
  const router = Router();

  router.get(paths.home, async (req, res) => {
    const user = currentUser(req);
    const esercizio = esercizioInUso(req);
    const figures = await home.figures(user.scuolaId, esercizio);
    const daCompletare = await home.daCompletare(user.scuolaId);
    res.render('home', { title: 'Riepilogo', ...homePage(figures, esercizio, daCompletare) });
  });

  // The esercizio in use, changed from the header on any page, then back to that page.
  router.post(paths.esercizio, (req, res) => {
    const parsed = esercizioSchema.safeParse(req.body ?? {});
    if (parsed.success) {
      req.session.esercizio = parsed.data.esercizio;
      flash(req, 'info', `Esercizio in uso: ${parsed.data.esercizio}`);
    } else {
      flash(req, 'danger', 'Esercizio non valido: scegli un anno dall’elenco.');
    }
    const back = safeReturnPath(req.body?.ritorno) ?? paths.home;
    res.redirect(back);
  });

  return router;
}
