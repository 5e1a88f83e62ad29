import { Router, type Request, type Response } from 'express';
import type { ImpegniService } from '../services/impegniService.js';
import type { Invalid } from '../services/results.js';
import type { ImpegnoRow } from '../repositories/impegniRepository.js';
import { IMPEGNI_SORTS, type ImpegnoSortKey } from '../repositories/impegniRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, todayOf } from '../middleware/locals.js';
import { parseListParams, queryText } from '../validation/listQuery.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { impegniListPage, impegnoConflictPage, impegnoFormPage, impegnoFormValues, impegnoRecordPage } from '../presenters/impegniPresenter.js';
import { answerRefused, redirectSaved, withId, withRecord } from './helpers.js';
import { paths } from '../paths.js';

const SORT_KEYS = Object.keys(IMPEGNI_SORTS) as ImpegnoSortKey[];
const PRESELECT = ['voce_id', 'conto_id', 'creditore_id', 'cig_id', 'cup_id'] as const;

/** Gestisci → Impegni. */
export function impegniRouter(impegni: ImpegniService) {
  const router = Router();

  router.get(paths.impegni.list(), async (req, res) => {
    const user = currentUser(req);
    const esercizio = esercizioInUso(req);
    const q = queryText(req.query, 'q');
    const requested = parseListParams(req.query, SORT_KEYS, { ordina: 'numero', verso: 'desc' });
    const { rows, totals, params } = await impegni.list(user.scuolaId, esercizio, q, requested);
    res.render('impegni/index', impegniListPage({ rows, totals, params, q, esercizio }));
  });

  async function renderForm(req: Request, res: Response, status: number, input: { record?: ImpegnoRow; values: Record<string, string>; invalid?: Invalid }) {
    const user = currentUser(req);
    const esercizio = input.record?.esercizio ?? esercizioInUso(req);
    const keep = input.record ? { conto_id: input.record.conto_id, cig_id: input.record.cig_id, cup_id: input.record.cup_id } : {};
    const opts = await impegni.formOptions(user.scuolaId, esercizio, keep);
    const page = impegnoFormPage({ record: input.record, values: input.values, esercizio, opts, cupConflict: input.invalid?.cupConflict });
    res.status(status).render('impegni/form', { ...page, ...(input.invalid?.errors ?? {}) });
  }

  router.get(paths.impegni.nuovo(), async (req, res) => {
    const esercizio = esercizioInUso(req);
    const today = todayOf(req);
    const values = { data: today.startsWith(`${esercizio}-`) ? today : '', ...preselected(req.query, PRESELECT) };
    await renderForm(req, res, 200, { values });
  });

  router.post(paths.impegni.create, async (req, res) => {
    const result = await impegni.create(currentUser(req), esercizioInUso(req), req.body);
    if (!result.ok) return renderForm(req, res, 422, { values: result.values, invalid: result });
    redirectSaved(req, res, result, `Impegno n. ${result.record.numero}/${result.record.esercizio} salvato.`, paths.impegni.show(result.record.id));
  });

  router.get(paths.impegni.route.show, withRecord(impegni.record, (_req, res, page) => res.render('impegni/show', impegnoRecordPage(page))));

  router.get(paths.impegni.route.edit, withRecord(impegni.find, (req, res, record) =>
    renderForm(req, res, 200, { record, values: { ...impegnoFormValues(record), ...preselected(req.query, PRESELECT) } })));

  router.post(paths.impegni.route.show, withId(async (req, res, id) => {
    const result = await impegni.update(currentUser(req), id, req.body);
    if (result.ok) return redirectSaved(req, res, result, `Impegno n. ${result.record.numero}/${result.record.esercizio} salvato.`, paths.impegni.show(id));
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', impegnoConflictPage(c.stored, c.values)),
      invalid: (i) => renderForm(req, res, 422, { record: i.record, values: i.values, invalid: i }),
    });
  }));

  return router;
}
