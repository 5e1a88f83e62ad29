import { Router, type Request, type Response } from 'express';
import type { MandatiService } from '../services/mandatiService.js';
import type { Invalid } from '../services/results.js';
import { MANDATI_SORTS, type MandatoRow, type MandatoSortKey } from '../repositories/mandatiRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, todayOf } from '../middleware/locals.js';
import { parseListParams, queryText } from '../validation/listQuery.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { mandatiListPage, mandatoConflictPage, mandatoDefaults, mandatoFormPage, mandatoFormValues, mandatoRecordPage } from '../presenters/mandatiPresenter.js';
import { answerRefused, parseId, redirectSaved, withId, withRecord } from './helpers.js';
import { paths } from '../paths.js';

const SORT_KEYS = Object.keys(MANDATI_SORTS) as MandatoSortKey[];
const PRESELECT = ['beneficiario_id', 'cig_id', 'cup_id'] as const;

/** The id a register's full form sends back (creditore_id from Nuovo creditore) as the mandato's field. */
function preselect(query: Record<string, unknown>) {
  const p = preselected(query, [...PRESELECT, 'creditore_id']);
  if (p.creditore_id) {
    p.beneficiario_id = p.creditore_id;
    delete p.creditore_id;
  }
  return p;
}

/** Gestisci → Mandati. */
export function mandatiRouter(mandati: MandatiService) {
  const router = Router();

  router.get(paths.mandati.list(), async (req, res) => {
    const user = currentUser(req);
    const esercizio = esercizioInUso(req);
    const q = queryText(req.query, 'q');
    const requested = parseListParams(req.query, SORT_KEYS, { ordina: 'numero', verso: 'desc' });
    const { rows, totals, params } = await mandati.list(user.scuolaId, esercizio, q, requested);
    res.render('mandati/index', mandatiListPage({ rows, totals, params, q, esercizio }));
  });

  async function renderForm(req: Request, res: Response, status: number, input: { record?: MandatoRow; values: Record<string, string>; invalid?: Invalid }) {
    const user = currentUser(req);
    const esercizio = input.record?.esercizio ?? esercizioInUso(req);
    // The impegno the form is on stays in the list even when paid in full or of an older esercizio.
    const chosen = parseId(input.values.impegno_id);
    const keep = input.record ? { impegno_id: input.record.impegno_id, cig_id: input.record.cig_id, cup_id: input.record.cup_id } : { impegno_id: chosen };
    const opts = await mandati.formOptions(user.scuolaId, esercizio, keep);
    const page = mandatoFormPage({ record: input.record, values: input.values, esercizio, opts, cupConflict: input.invalid?.cupConflict });
    res.status(status).render('mandati/form', { ...page, ...(input.invalid?.errors ?? {}) });
  }

  router.get(paths.mandati.nuovo(), async (req, res) => {
    const user = currentUser(req);
    const esercizio = esercizioInUso(req);
    const today = todayOf(req);
    const impegnoId = parseId(req.query.impegno_id);
    const opts = impegnoId === null ? null : await mandati.formOptions(user.scuolaId, esercizio, { impegno_id: impegnoId });
    const impegno = opts?.impegni.find((i) => i.id === impegnoId);
    const values = { data: today.startsWith(`${esercizio}-`) ? today : '', ...mandatoDefaults(impegno), ...preselect(req.query) };
    await renderForm(req, res, 200, { values });
  });

  router.post(paths.mandati.create, async (req, res) => {
    const result = await mandati.create(currentUser(req), esercizioInUso(req), req.body);
    if (!result.ok) return renderForm(req, res, 422, { values: result.values, invalid: result });
    redirectSaved(req, res, result, `Mandato n. ${result.record.numero}/${result.record.esercizio} salvato.`, paths.mandati.show(result.record.id));
  });

  router.get(paths.mandati.route.show, withRecord(mandati.record, (_req, res, page) => res.render('mandati/show', mandatoRecordPage(page))));

  router.get(paths.mandati.route.edit, withRecord(mandati.find, (req, res, record) =>
    renderForm(req, res, 200, { record, values: { ...mandatoFormValues(record), ...preselect(req.query) } })));

  router.post(paths.mandati.route.show, withId(async (req, res, id) => {
    const result = await mandati.update(currentUser(req), id, req.body);
    if (result.ok) return redirectSaved(req, res, result, `Mandato n. ${result.record.numero}/${result.record.esercizio} salvato.`, paths.mandati.show(id));
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', mandatoConflictPage(c.stored, c.values)),
      invalid: (i) => renderForm(req, res, 422, { record: i.record, values: i.values, invalid: i }),
    });
  }));

  return router;
}
