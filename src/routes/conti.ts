import { Router, type Request, type Response } from 'express';
import type { ContiService } from '../services/contiService.js';
import type { ContoRow } from '../repositories/contiRepository.js';
import type { FormErrors } from '../validation/formErrors.js';
import { queryText } from '../validation/listQuery.js';
import { currentUser, requireRole } from '../middleware/auth.js';
import { notFound } from '../middleware/errors.js';
import { contiPage, contoConflictPage, contoFormPage, contoFormValues, filtroQuery } from '../presenters/contiPresenter.js';
import { paths } from '../paths.js';
import { answerRefused, redirectSaved, withId, withRecord } from './helpers.js';

/** The list's filter from the query: `senza_siope=1` shows only the conti without a codice SIOPE. */
const senzaSiopeOf = (req: Request) => queryText(req.query, 'senza_siope') === '1';

/** Impostazioni → Piano dei conti (admin only): each conto's SIOPE classification for the mandati's OPI. */
export function contiRouter(conti: ContiService) {
  const router = Router();
  const p = paths.impostazioni.conti;
  router.use(p.list(), requireRole('admin'));

  router.get(p.list(), async (req, res) => {
    const senzaSiope = senzaSiopeOf(req);
    const rows = await conti.list(currentUser(req).scuolaId, { senzaSiope });
    res.render('impostazioni/conti', contiPage({ conti: rows, senzaSiope }));
  });

  async function renderForm(req: Request, res: Response, status: number, conto: ContoRow, values: Record<string, string>, errors?: FormErrors) {
    const history = await conti.history(currentUser(req).scuolaId, conto.id);
    res.status(status).render('impostazioni/conto', { ...contoFormPage({ conto, values, history, senzaSiope: senzaSiopeOf(req) }), ...(errors ?? {}) });
  }

  router.get(p.route.edit, withRecord(conti.find, (req, res, conto) => renderForm(req, res, 200, conto, contoFormValues(conto))));

  router.post(p.route.update, withId(async (req, res, id) => {
    const result = await conti.update(currentUser(req), id, req.body);
    const senzaSiope = senzaSiopeOf(req);
    if (result.ok) {
      const r = result.record;
      return redirectSaved(req, res, result, `Conto ${r.tipo}/${r.conto}/${r.sottoconto} salvato.`, p.list(filtroQuery(senzaSiope)));
    }
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', contoConflictPage(c.stored, c.values, senzaSiope)),
      invalid: (i) => (i.record ? renderForm(req, res, 422, i.record, i.values, i.errors) : notFound(req, res)),
    });
  }));

  return router;
}
