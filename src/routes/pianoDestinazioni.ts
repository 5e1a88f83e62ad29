import { Router, type Request, type Response } from 'express';
import type { PianoService } from '../services/pianoService.js';
import type { DocInvalid } from '../services/documenti.js';
import type { VoceRow } from '../repositories/vociRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { queryText } from '../validation/listQuery.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { pianoPage, voceConflictPage, voceFormPage, voceFormValues } from '../presenters/pianoPresenter.js';
import { parseId } from './helpers.js';
import { paths } from '../paths.js';

/** The esercizio of the page: ?esercizio=YYYY (links from the registers), else the one in use. */
function esercizioOf(req: Request): number {
  const text = queryText(req.query, 'esercizio');
  return /^(20\d\d|2100)$/.test(text) ? Number(text) : esercizioInUso(req);
}

/** Impostazioni → Bilancio → Piano delle destinazioni. */
export function pianoDestinazioniRouter(piano: PianoService) {
  const router = Router();

  router.get(paths.impostazioni.pianoDestinazioni(), async (req, res) => {
    const esercizio = esercizioOf(req);
    const data = await piano.list(currentUser(req).scuolaId, esercizio);
    res.render('impostazioni/piano-destinazioni', pianoPage({ esercizio, ...data }));
  });

  async function renderForm(req: Request, res: Response, status: number, input: { record?: VoceRow; values: Record<string, string>; esercizio: number; invalid?: DocInvalid }) {
    const scuolaId = currentUser(req).scuolaId;
    const { cup, creditori } = await piano.formOptions(scuolaId, input.record?.cup_id ?? null);
    const history = input.record ? await piano.history(scuolaId, input.record.id) : undefined;
    const page = voceFormPage({ record: input.record, values: input.values, esercizio: input.esercizio, cup, creditori, history });
    res.status(status).render('impostazioni/voce-form', { ...page, ...(input.invalid?.errors ?? {}) });
  }

  router.get(paths.voci.nuova(), async (req, res) => {
    await renderForm(req, res, 200, { values: { ...preselected(req.query, ['cup_id']) }, esercizio: esercizioOf(req) });
  });

  router.post(paths.voci.create, async (req, res) => {
    const result = await piano.create(currentUser(req), req.body);
    if (!result.ok) {
      const text = result.values.esercizio ?? '';
      const esercizio = /^(20\d\d|2100)$/.test(text) ? Number(text) : esercizioInUso(req);
      return renderForm(req, res, 422, { values: result.values, esercizio, invalid: result });
    }
    flash(req, 'success', `Voce ${result.record.aggregato}${String(result.record.voce).padStart(2, '0')}${result.record.sottovoce === null ? '' : `/${result.record.sottovoce}`} inserita.`);
    res.redirect(paths.impostazioni.pianoDestinazioni({ esercizio: result.record.esercizio }));
  });

  router.get(paths.voci.route.edit, async (req, res) => {
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await piano.find(currentUser(req).scuolaId, id);
    if (!record) return notFound(req, res);
    await renderForm(req, res, 200, { record, values: { ...voceFormValues(record), ...preselected(req.query, ['cup_id']) }, esercizio: record.esercizio });
  });

  router.post(paths.voci.route.update, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    const result = await piano.update(user, id, req.body);
    if (result.ok) {
      flash(req, 'success', 'Voce salvata.');
      return res.redirect(paths.impostazioni.pianoDestinazioni({ esercizio: result.record.esercizio }));
    }
    if (result.kind === 'not_found') return notFound(req, res);
    if (result.kind === 'conflict') return res.status(409).render('documenti/conflitto', voceConflictPage(result.stored, result.values));
    const record = await piano.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    return renderForm(req, res, 422, { record, values: result.values, esercizio: record.esercizio, invalid: result });
  });

  return router;
}
