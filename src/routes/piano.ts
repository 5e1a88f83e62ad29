import { Router, type Request, type Response } from 'express';
import type { PianoService } from '../services/pianoService.js';
import type { Invalid } from '../services/results.js';
import type { VoceRow } from '../repositories/pianoRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso } from '../middleware/locals.js';
import { queryText } from '../validation/listQuery.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { pianoPage, voceConflictPage, voceFormPage, voceFormValues } from '../presenters/pianoPresenter.js';
import { answerRefused, redirectSaved, withId, withRecord } from './helpers.js';
import { formatVoceCodice } from '../domain/piano.js';
import { paths } from '../paths.js';

/**
 * The esercizio of the page: the header's; ?esercizio=YYYY (the links after saving a voce
 * of another year) still shows that year, saying which one the header has.
 */
function esercizioOf(req: Request): number {
  const text = queryText(req.query, 'esercizio');
  return /^(20\d\d|2100)$/.test(text) ? Number(text) : esercizioInUso(req);
}

/** Impostazioni → Bilancio → Piano delle destinazioni. */
export function pianoRouter(piano: PianoService) {
  const router = Router();

  router.get(paths.piano.list(), async (req, res) => {
    const esercizio = esercizioOf(req);
    const data = await piano.list(currentUser(req).scuolaId, esercizio);
    res.render('piano/index', pianoPage({ esercizio, esercizioInUso: esercizioInUso(req), ...data }));
  });

  async function renderForm(req: Request, res: Response, status: number, input: { record?: VoceRow; values: Record<string, string>; esercizio: number; invalid?: Invalid }) {
    const scuolaId = currentUser(req).scuolaId;
    const { cup, creditori } = await piano.formOptions(scuolaId, input.record?.cup_id ?? null);
    const history = input.record ? await piano.history(scuolaId, input.record.id) : undefined;
    const page = voceFormPage({ record: input.record, values: input.values, esercizio: input.esercizio, cup, creditori, history });
    res.status(status).render('piano/form', { ...page, ...(input.invalid?.errors ?? {}) });
  }

  router.get(paths.piano.nuova(), async (req, res) => {
    await renderForm(req, res, 200, { values: { ...preselected(req.query, ['cup_id']) }, esercizio: esercizioOf(req) });
  });

  router.post(paths.piano.create, async (req, res) => {
    const result = await piano.create(currentUser(req), req.body);
    if (!result.ok) {
      const text = result.values.esercizio ?? '';
      const esercizio = /^(20\d\d|2100)$/.test(text) ? Number(text) : esercizioInUso(req);
      return renderForm(req, res, 422, { values: result.values, esercizio, invalid: result });
    }
    redirectSaved(req, res, result, `Voce ${formatVoceCodice(result.record)} inserita.`, paths.piano.list({ esercizio: result.record.esercizio }));
  });

  router.get(paths.piano.route.edit, withRecord(piano.find, (req, res, record) =>
    renderForm(req, res, 200, { record, values: { ...voceFormValues(record), ...preselected(req.query, ['cup_id']) }, esercizio: record.esercizio })));

  router.post(paths.piano.route.update, withId(async (req, res, id) => {
    const result = await piano.update(currentUser(req), id, req.body);
    if (result.ok) return redirectSaved(req, res, result, 'Voce salvata.', paths.piano.list({ esercizio: result.record.esercizio }));
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', voceConflictPage(c.stored, c.values)),
      invalid: (i) => renderForm(req, res, 422, { record: i.record, values: i.values, esercizio: i.record?.esercizio ?? esercizioOf(req), invalid: i }),
    });
  }));

  return router;
}
