import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import { draftValues, findBozza, withBozza } from '../domain/bozze.js';
import { currentUser } from '../middleware/auth.js';
import { notFound } from '../middleware/errors.js';
import { esercizioInUso, flash, todayOf } from '../middleware/locals.js';
import { bozzaMessage, cupConflictPanel, legacyResolvedMessage, nuovoLink } from '../presenters/documentiPresenter.js';
import type { CupConflict } from '../domain/documenti.js';
import type { Actor, CreateResult, Invalid, Result } from '../services/results.js';
import { safeReturnPath, type DocumentoPaths } from '../paths.js';
import { answerRefused, parseId, redirectSaved, splitReturn, withId, withRecord } from './helpers.js';

type Values = Record<string, string>;
type Numbered = { id: number; numero: number; esercizio: number };

/** What a document's service offers (Impegni, Mandati). */
export type DocumentService<R extends Numbered, P> = {
  find(scuolaId: number, id: number): Promise<R | undefined>;
  record(scuolaId: number, id: number): Promise<P | undefined>;
  create(actor: Actor, esercizio: number, body: unknown): Promise<CreateResult<R>>;
  update(actor: Actor, id: number, body: unknown): Promise<Result<R>>;
  resolveLegacyText(actor: Actor, id: number, body: unknown): Promise<Result<R>>;
  verifica(actor: Actor, esercizio: number, id: number | null, body: unknown): Promise<{ avvisi: string[]; cupConflict: CupConflict | null } | undefined>;
};

/** How a document's pages look and where they live; the form and the new page stay the document's own. */
export type DocumentPages<R extends Numbered, P> = {
  /** 'Impegno' or 'Mandato': the word in the saved message. */
  nome: string;
  /** Where the register's form comes back to: 'all’impegno', 'al mandato'. */
  alDocumento: string;
  /** The folder of the document's views (index, show). */
  views: string;
  paths: DocumentoPaths;
  recordPage(page: P): object;
  formValues(record: R): Values;
  /** The 409 page after a concurrent edit (the form's lists name the ids). */
  conflictPage(req: Request, stored: R, values: Values): Promise<object>;
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

const REGISTRI = ['cig', 'cup', 'creditore'] as const;
/**
 * The draft of the form the + without JavaScript left (`?bozza=` on the new or edit page), with
 * the page it came from; a token unknown to this session, school, document or record is said on the page.
 */
export function restoredDraft(req: Request, res: Response, documento: string, id: number | null): { values: Values; ritorno: string | null } | null {
  const token = req.query.bozza;
  if (token === undefined) return null;
  const bozza = findBozza(req.session.bozze, token, { scuolaId: currentUser(req).scuolaId, documento, id });
  if (!bozza) {
    (res.locals.flash as { tipo: string; testo: string }[]).push({ tipo: 'warning', testo: 'I dati inseriti prima non sono più disponibili (sessione scaduta o collegamento non valido): il modulo riparte da capo.' });
    return null;
  }
  const { ritorno, ...values } = bozza.values;
  return { values, ritorno: safeReturnPath(ritorno) };
}

/** Every page of a document of the esercizio in use but its list (listRoutes, registered first), in the router's order: new, create, record, edit, save. */
export function documentRoutes<R extends Numbered, P>(router: Router, service: DocumentService<R, P>, pages: DocumentPages<R, P>) {
  const { paths, nome, views, renderForm } = pages;
  const savedMessage = (r: R) => `${nome} n. ${r.numero}/${r.esercizio} salvato.`;

  router.get(paths.nuovo(), pages.nuovo);

  // The + of a picker without JavaScript: the form's values kept in the session, then the register's full form, which comes back here.
  router.post(paths.route.bozza, async (req, res) => {
    const user = currentUser(req);
    const registro = REGISTRI.find((r) => r === req.body?.nuovo_registro);
    const id = req.query.modifica === undefined ? null : parseId(req.query.modifica);
    if (!registro || (req.query.modifica !== undefined && id === null)) return void res.status(422).render('errors/400', { title: 'Richiesta non valida', message: 'Il pulsante + non ha indicato quale registro aprire: torna al modulo e riprova.' });
    if (id !== null && !(await service.find(user.scuolaId, id))) return notFound(req, res);
    const token = randomBytes(12).toString('base64url');
    req.session.bozze = withBozza(req.session.bozze, token, { scuolaId: user.scuolaId, documento: views, id, values: draftValues(req.body, ['nuovo_registro']), creata: Date.now() });
    const back = id === null ? paths.nuovo({ bozza: token }) : paths.edit(id, { bozza: token });
    flash(req, 'info', bozzaMessage(registro, pages.alDocumento));
    res.redirect(303, nuovoLink(registro, back).nuovoHref);
  });

  router.post(paths.create, async (req, res) => {
    const result = await service.create(currentUser(req), esercizioInUso(req), req.body);
    if (!result.ok) return renderForm(req, res, 422, { values: result.values, invalid: result });
    redirectSaved(req, res, result, savedMessage(result.record), paths.show(result.record.id));
  });

  router.get(paths.route.show, withRecord(service.record, (_req, res, page) => res.render(`${views}/show`, pages.recordPage(page))));

  // `ritorno`: the page the edit came from (a Flussi error), where the save goes back to.
  // What the save would warn about or ask (the form's script, as the user edits): the same rules as the save, nothing stored.
  router.post(paths.route.verifica, async (req, res) => {
    const id = req.query.modifica === undefined ? null : parseId(req.query.modifica);
    const found = req.query.modifica !== undefined && id === null ? undefined : await service.verifica(currentUser(req), esercizioInUso(req), id, req.body);
    if (!found) return void res.status(404).json({ error: 'Documento non trovato.' });
    res.json({ avvisi: found.avvisi, cupConflict: cupConflictPanel(found.cupConflict ?? undefined) });
  });

  // A draft (`?bozza=`, the + without JavaScript) brings back what was typed, the new code on top.
  router.get(paths.route.edit, withRecord(service.find, (req, res, record) => {
    const draft = restoredDraft(req, res, views, record.id);
    const values = { ...(draft?.values ?? pages.formValues(record)), ...pages.preselect(req.query) };
    return renderForm(req, res, 200, { record, values, ritorno: draft ? draft.ritorno : safeReturnPath(req.query.ritorno) });
  }));

  router.post(paths.route.show, withId(async (req, res, id) => {
    const { ritorno, fields } = splitReturn(req.body);
    const result = await service.update(currentUser(req), id, fields);
    if (result.ok) return redirectSaved(req, res, result, savedMessage(result.record), ritorno ?? paths.show(id));
    await answerRefused(req, res, result, {
      conflict: async (c) => res.status(409).render('shared/conflitto', await pages.conflictPage(req, c.stored, c.values)),
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
