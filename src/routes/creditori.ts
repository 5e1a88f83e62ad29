import { Router, type Request, type Response } from 'express';
import type { CreditoriService } from '../services/creditoriService.js';
import { CREDITORI_SORTS, type CreditoreRow, type CreditoreSortKey } from '../repositories/creditoriRepository.js';
import { currentUser } from '../middleware/auth.js';
import { flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { parseListParams, queryText } from '../validation/listQuery.js';
import type { FormErrors } from '../validation/formErrors.js';
import {
  creditoreConflictPage, creditoreFormPage, creditoreFormValues, creditoreLabel, creditoriListPage, creditoreRecordPage,
} from '../presenters/creditoriPresenter.js';
import { parseId, wantsJson } from './helpers.js';
import { addQuery, paths, safeReturnPath } from '../paths.js';

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

  router.post(paths.creditori.create, async (req: Request, res: Response) => {
    // `ritorno`: the document whose + link opened this form (without JavaScript); it gets the new creditore_id.
    const { ritorno: ritornoField, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const ritorno = safeReturnPath(ritornoField);
    const result = await creditori.create(currentUser(req), fields);
    if (wantsJson(req)) {
      if (result.ok) return res.status(201).json({ id: result.record.id, codice: result.record.denominazione, label: creditoreLabel(result.record) });
      return res.status(422).json({
        errors: result.errors.fieldErrors,
        ...(result.duplicateOf ? { esistente: { id: result.duplicateOf.id, url: paths.creditori.show(result.duplicateOf.id) } } : {}),
      });
    }
    if (!result.ok) return renderForm(res, 422, { values: result.values, ritorno, errors: result.errors, duplicateOf: result.duplicateOf });
    flash(req, 'success', `Creditore ${result.record.denominazione} inserito.`);
    res.redirect(ritorno ? addQuery(ritorno, { creditore_id: result.record.id }) : paths.creditori.show(result.record.id));
  });

  router.get(paths.creditori.route.show, async (req, res) => {
    const id = parseId(req.params.id);
    const page = id === null ? undefined : await creditori.record(currentUser(req).scuolaId, id);
    if (!page) return notFound(req, res);
    res.render('creditori/show', creditoreRecordPage(page));
  });

  router.get(paths.creditori.route.edit, async (req, res) => {
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await creditori.find(currentUser(req).scuolaId, id);
    if (!record) return notFound(req, res);
    renderForm(res, 200, { record, values: creditoreFormValues(record) });
  });

  router.post(paths.creditori.route.show, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    const result = await creditori.update(user, id, req.body);
    if (result.ok) {
      flash(req, 'success', `Creditore ${result.record.denominazione} salvato.`);
      return res.redirect(paths.creditori.show(id));
    }
    if (result.kind === 'not_found') return notFound(req, res);
    if (result.kind === 'conflict') return res.status(409).render('documenti/conflitto', creditoreConflictPage(result.stored, result.values));
    const record = await creditori.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    return renderForm(res, 422, { record, values: result.values, errors: result.errors, duplicateOf: result.duplicateOf });
  });

  return router;
}
