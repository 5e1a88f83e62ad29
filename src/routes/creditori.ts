import { Router, type Response } from 'express';
import type { CreditoriService } from '../services/creditoriService.js';
import { CREDITORI_SORTS, type CreditoreRow, type CreditoreSortKey } from '../repositories/creditoriRepository.js';
import { currentUser } from '../middleware/auth.js';
import { parseListParams, queryText } from '../validation/listQuery.js';
import type { FormErrors } from '../validation/formErrors.js';
import {
  creditoreConflictPage, creditoreFormPage, creditoreFormValues, creditoreLabel, creditoriListPage, creditoreRecordPage,
} from '../presenters/creditoriPresenter.js';
import { answerRefused, createForDocument, redirectSaved, withId, withRecord } from './helpers.js';
import { paths, safeReturnPath } from '../paths.js';

const SORT_KEYS = Object.keys(CREDITORI_SORTS) as CreditoreSortKey[];

/** Gestisci → Creditori: the anagrafica, its JSON create for the + modal, its return to the document without JavaScript. */
export function creditoriRouter(creditori: CreditoriService) {
  const router = Router();

  router.get(paths.creditori.list(), async (req, res) => {
    const q = queryText(req.query, 'q');
    const requested = parseListParams(req.query, SORT_KEYS, { ordina: 'denominazione', verso: 'asc' });
    const { rows, total, params } = await creditori.list(currentUser(req).scuolaId, q, requested);
    res.render('creditori/index', creditoriListPage({ rows, total, params, q }));
  });

  function renderForm(res: Response, status: number, input: { record?: CreditoreRow; values: Record<string, string>; ritorno?: string | null; errors?: FormErrors; duplicateOf?: { id: number; codice: string } }) {
    res.status(status).render('creditori/form', { ...creditoreFormPage(input), ...(input.errors ?? {}) });
  }

  router.get(paths.creditori.nuovo(), (req, res) => {
    renderForm(res, 200, { values: {}, ritorno: safeReturnPath(req.query.ritorno) });
  });

  router.post(paths.creditori.create, createForDocument<CreditoreRow>({
    create: (req, fields) => creditori.create(currentUser(req), fields),
    json: { codice: (r) => r.denominazione, label: creditoreLabel, show: paths.creditori.show },
    idField: 'creditore_id',
    message: (r) => `Creditore ${r.denominazione} inserito.`,
    invalid: (_req, res, i, ritorno) => renderForm(res, 422, { values: i.values, ritorno, errors: i.errors, duplicateOf: i.duplicateOf }),
  }));

  router.get(paths.creditori.route.show, withRecord(creditori.record, (_req, res, page) => res.render('creditori/show', creditoreRecordPage(page))));

  router.get(paths.creditori.route.edit, withRecord(creditori.find, (_req, res, record) => renderForm(res, 200, { record, values: creditoreFormValues(record) })));

  router.post(paths.creditori.route.show, withId(async (req, res, id) => {
    const result = await creditori.update(currentUser(req), id, req.body);
    if (result.ok) return redirectSaved(req, res, result, `Creditore ${result.record.denominazione} salvato.`, paths.creditori.show(id));
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', creditoreConflictPage(c.stored, c.values)),
      invalid: (i) => renderForm(res, 422, { record: i.record, values: i.values, errors: i.errors, duplicateOf: i.duplicateOf }),
    });
  }));

  return router;
}
