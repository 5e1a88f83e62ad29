import { Router, type Response } from 'express';
import type { ScuolaService } from '../services/scuolaService.js';
import { currentUser, requireRole } from '../middleware/auth.js';
import { notFound } from '../middleware/errors.js';
import { flash } from '../middleware/locals.js';
import { scuolaConflictPage, scuolaPage } from '../presenters/scuolaPresenter.js';
import type { FormErrors } from '../validation/formErrors.js';
import { paths } from '../paths.js';
import { answerRefused } from './helpers.js';

/** Impostazioni → Scuola e cassiere (admin only): the school's OPI identity and the defaults of its mandati. */
export function scuolaRouter(scuola: ScuolaService) {
  const router = Router();
  const base = paths.impostazioni.scuola;
  router.use(base, requireRole('admin'));

  async function render(res: Response, scuolaId: number, status: number, extra: { values?: Record<string, string>; errors?: FormErrors } = {}) {
    const page = await scuola.page(scuolaId);
    if (!page) return notFound(res.req, res);
    res.status(status).render('impostazioni/scuola', { ...scuolaPage({ ...page, values: extra.values }), ...(extra.errors ?? {}) });
  }

  router.get(base, async (req, res) => {
    await render(res, currentUser(req).scuolaId, 200);
  });

  router.post(base, async (req, res) => {
    const user = currentUser(req);
    const result = await scuola.update(user, req.body);
    if (result.ok) {
      flash(req, 'success', 'Dati della scuola e del cassiere salvati.');
      return res.redirect(303, base);
    }
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', scuolaConflictPage(c.stored, c.values)),
      invalid: (i) => render(res, user.scuolaId, 422, { values: i.values, errors: i.errors }),
    });
  });

  return router;
}
