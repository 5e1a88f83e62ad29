import { Router, type Request, type Response } from 'express';
import type { MandatiService } from '../services/mandatiService.js';
import type { DocInvalid } from '../services/documenti.js';
import { MANDATI_SORTS, type MandatoRow, type MandatoSortKey } from '../repositories/mandatiRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { parseListParams, queryText } from '../validation/listQuery.js';
import { todayIso } from '../domain/dates.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { mandatiListPage, mandatoConflictPage, mandatoDefaults, mandatoFormPage, mandatoFormValues, mandatoRecordPage } from '../presenters/mandatiPresenter.js';
import { parseId } from './helpers.js';
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

  async function renderForm(req: Request, res: Response, status: number, input: { record?: MandatoRow; values: Record<string, string>; invalid?: DocInvalid }) {
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
    const today = todayIso();
    const impegnoId = parseId(req.query.impegno_id);
    const opts = impegnoId === null ? null : await mandati.formOptions(user.scuolaId, esercizio, { impegno_id: impegnoId });
    const impegno = opts?.impegni.find((i) => i.id === impegnoId);
    const values = { data: today.startsWith(`${esercizio}-`) ? today : '', ...mandatoDefaults(impegno), ...preselect(req.query) };
    await renderForm(req, res, 200, { values });
  });

  router.post(paths.mandati.create, async (req, res) => {
    const result = await mandati.create(currentUser(req), esercizioInUso(req), req.body);
    if (!result.ok) return renderForm(req, res, 422, { values: result.values, invalid: result });
    flash(req, 'success', `Mandato n. ${result.record.numero}/${result.record.esercizio} salvato.`);
    for (const m of result.info) flash(req, 'info', m);
    for (const w of result.warnings) flash(req, 'warning', w);
    res.redirect(paths.mandati.show(result.record.id));
  });

  router.get(paths.mandati.route.show, async (req, res) => {
    const id = parseId(req.params.id);
    const page = id === null ? undefined : await mandati.record(currentUser(req).scuolaId, id);
    if (!page) return notFound(req, res);
    res.render('mandati/show', mandatoRecordPage(page));
  });

  router.get(paths.mandati.route.edit, async (req, res) => {
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await mandati.find(currentUser(req).scuolaId, id);
    if (!record) return notFound(req, res);
    await renderForm(req, res, 200, { record, values: { ...mandatoFormValues(record), ...preselect(req.query) } });
  });

  router.post(paths.mandati.route.show, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    const result = await mandati.update(user, id, req.body);
    if (result.ok) {
      flash(req, 'success', `Mandato n. ${result.record.numero}/${result.record.esercizio} salvato.`);
      for (const m of result.info) flash(req, 'info', m);
      for (const w of result.warnings) flash(req, 'warning', w);
      return res.redirect(paths.mandati.show(id));
    }
    if (result.kind === 'not_found') return notFound(req, res);
    if (result.kind === 'conflict') return res.status(409).render('documenti/conflitto', mandatoConflictPage(result.stored, result.values));
    const record = await mandati.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    return renderForm(req, res, 422, { record, values: result.values, invalid: result });
  });

  return router;
}
