import type { Request, RequestHandler, Response, Router } from 'express';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, flash, todayOf } from '../middleware/locals.js';
import { legacyResolvedMessage } from '../presenters/documentiPresenter.js';
import type { Actor, CreateResult, Invalid, Result } from '../services/results.js';
import { safeReturnPath, type DocumentoPaths } from '../paths.js';
import { answerRefused, redirectSaved, splitReturn, withId, withRecord } from './helpers.js';

type Values = Record<string, string>;
type Numbered = { id: number; numero: number; esercizio: number };

/** What a document's service offers (Impegni, Mandati). */
export type DocumentService<R extends Numbered, P> = {
  find(scuolaId: number, id: number): Promise<R | undefined>;
  record(scuolaId: number, id: number): Promise<P | undefined>;
  create(actor: Actor, esercizio: number, body: unknown): Promise<CreateResult<R>>;
  update(actor: Actor, id: number, body: unknown): Promise<Result<R>>;
  resolveLegacyText(actor: Actor, id: number, body: unknown): Promise<Result<R>>;
};

/** How a document's pages look and where they live; the form and the new page stay the document's own. */
export type DocumentPages<R extends Numbered, P> = {
  /** 'Impegno' or 'Mandato': the word in the saved message. */
  nome: string;
  /** The folder of the document's views (index, show). */
  views: string;
  paths: DocumentoPaths;
  recordPage(page: P): object;
  formValues(record: R): Values;
  conflictPage(stored: R, values: Values): object;
  /** The ids a register's + form sends back, as the form's fields. */
  preselect(query: Request['query']): Values;
  /** The new document's page. */
  nuovo: RequestHandler;
  /** `ritorno`: the page the edit came from (a Flussi error), where the form goes back to. */
  renderForm(req: Request, res: Response, status: number, input: { record?: R; values: Values; invalid?: Invalid; ritorno?: string | null }): Promise<void>;
};

/** The date a new document starts with: today (by the app's clock) when it falls in the esercizio in use, else none. */
export function todayIn(req: Request, esercizio: number): string {
  const today = todayOf(req);
  return today.startsWith(`${esercizio}-`) ? today : '';
}

/** Every page of a document of the esercizio in use but its list (listRoutes, registered first), in the router's order: new, create, record, edit, save. */
export function documentRoutes<R extends Numbered, P>(router: Router, service: DocumentService<R, P>, pages: DocumentPages<R, P>) {
  const { paths, nome, views, renderForm } = pages;
  const savedMessage = (r: R) => `${nome} n. ${r.numero}/${r.esercizio} salvato.`;

  router.get(paths.nuovo(), pages.nuovo);

  router.post(paths.create, async (req, res) => {
    const result = await service.create(currentUser(req), esercizioInUso(req), req.body);
    if (!result.ok) return renderForm(req, res, 422, { values: result.values, invalid: result });
    redirectSaved(req, res, result, savedMessage(result.record), paths.show(result.record.id));
  });

  router.get(paths.route.show, withRecord(service.record, (_req, res, page) => res.render(`${views}/show`, pages.recordPage(page))));

  // `ritorno`: the page the edit came from (a Flussi error), where the save goes back to.
  router.get(paths.route.edit, withRecord(service.find, (req, res, record) =>
    renderForm(req, res, 200, { record, values: { ...pages.formValues(record), ...pages.preselect(req.query) }, ritorno: safeReturnPath(req.query.ritorno) })));

  router.post(paths.route.show, withId(async (req, res, id) => {
    const { ritorno, fields } = splitReturn(req.body);
    const result = await service.update(currentUser(req), id, fields);
    if (result.ok) return redirectSaved(req, res, result, savedMessage(result.record), ritorno ?? paths.show(id));
    await answerRefused(req, res, result, {
      conflict: (c) => res.status(409).render('shared/conflitto', pages.conflictPage(c.stored, c.values)),
      invalid: (i) => renderForm(req, res, 422, { record: i.record, values: i.values, invalid: i, ritorno }),
    });
  }));

  // One click on the legacy CIG/CUP text shown in the form: back to the form, with what happened.
  router.post(paths.route.testoOriginale, withId(async (req, res, id) => {
    const { ritorno, fields } = splitReturn(req.body);
    const result = await service.resolveLegacyText(currentUser(req), id, fields);
    const back = paths.edit(id, ritorno ? { ritorno } : undefined);
    if (result.ok) {
      flash(req, 'success', legacyResolvedMessage(result.record, fields));
      return res.redirect(303, back);
    }
    await answerRefused(req, res, result, {
      conflict: () => {
        flash(req, 'warning', 'Il documento è stato modificato da un altro utente: ricontrolla il testo originale e riprova.');
        res.redirect(303, back);
      },
      invalid: (i) => {
        flash(req, 'danger', i.errors.errorList.map((e) => e.text).join(' '));
        res.redirect(303, back);
      },
    });
  }));
}
