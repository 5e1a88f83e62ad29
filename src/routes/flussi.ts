import { Router } from 'express';
import type { FlussiService, Formato } from '../services/flussiService.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { exportParamsSchema, periodoSchema } from '../validation/flussiSchemas.js';
import { toFormErrors } from '../validation/formErrors.js';
import { bloccatoPage, flussiPage } from '../presenters/flussiPresenter.js';
import { paths } from '../paths.js';

const FORMATO: Record<'cig.csv' | 'cup.csv' | 'elenchi.xml', Formato> = { 'cig.csv': 'cig.csv', 'cup.csv': 'cup.csv', 'elenchi.xml': 'xml' };

/** Flussi: verifica, Elenco CIG, Elenco CUP, exports and their history. */
export function flussiRouter(flussi: FlussiService) {
  const router = Router();

  router.get(paths.flussi(), async (req, res) => {
    const user = currentUser(req);
    const parsed = periodoSchema.safeParse(req.query);
    // The esercizio chosen in the header: the page has no year selector of its own.
    const esercizio = esercizioInUso(req);
    const mese = parsed.success ? parsed.data.mese : null;
    const data = await flussi.page({ scuolaId: user.scuolaId, esercizio, mese });
    // The errors of the period as last seen, to say what the fixes since then changed.
    const periodo = `${esercizio}/${mese ?? ''}`;
    const prima = req.session.flussiVisti?.periodo === periodo ? req.session.flussiVisti.errori : null;
    req.session.flussiVisti = { periodo, errori: data.verifica.errori };
    res.status(parsed.success ? 200 : 422).render('flussi/index', {
      ...flussiPage(esercizio, mese, data, prima),
      ...(parsed.success ? {} : toFormErrors(parsed.error)),
    });
  });

  router.get('/flussi/:esercizio/:file', async (req, res) => {
    const params = exportParamsSchema.safeParse(req.params);
    const query = periodoSchema.safeParse(req.query);
    if (!params.success || !query.success) return notFound(req, res);
    const user = currentUser(req);
    const p = { scuolaId: user.scuolaId, esercizio: params.data.esercizio, mese: query.data.mese };
    const result = await flussi.export(user, p, FORMATO[params.data.file]);
    if (!result.ok) return res.status(409).render('flussi/bloccato', bloccatoPage(p.esercizio, p.mese, result.verifica));
    res.type(result.contentType).attachment(result.nomeFile).send(result.contenuto);
  });

  return router;
}
