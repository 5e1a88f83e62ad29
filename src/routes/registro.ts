import { Router, type Request } from 'express';
import { currentUser } from '../middleware/auth.js';
import { flash, nowOf, todayOf } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { columnPreference } from '../repositories/utentiRepository.js';
import type { Actor, Conflict, CreateResult, NotFound, Refused, Result, Saved } from '../services/results.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { fromFieldErrors } from '../validation/formErrors.js';
import { parseListParams, queryText, type ListParams, type SortDir } from '../validation/listQuery.js';
import { chosenColumnKeys, type Column } from '../presenters/listPresenter.js';
import { toCsv, toXlsx } from '../presenters/exportPresenter.js';
import { answerRefused, bodyList, bodyNumber, createForDocument, redirectSaved, splitReturn, withId, withRecord } from './helpers.js';
import { returnWithin, safeReturnPath, type RegistroPaths } from '../paths.js';

type Values = Record<string, string>;
type Coded = { id: number; codice: string; stato: string };

/** What a register's service offers (Gestione CIG, Gestione CUP). */
export type RegistroService<R extends Coded, S, K extends string, O, P> = {
  list(scuolaId: number, search: S, params: ListParams<K>): Promise<{ rows: R[]; total: number; params: ListParams<K> } & Partial<O>>;
  exportRows(scuolaId: number, search: S, params: ListParams<K>): Promise<R[]>;
  formOptions(scuolaId: number): Promise<O>;
  find(scuolaId: number, id: number): Promise<R | undefined>;
  record(scuolaId: number, id: number): Promise<P | undefined>;
  create(actor: Actor, body: unknown): Promise<CreateResult<R>>;
  update(actor: Actor, id: number, body: unknown): Promise<Result<R>>;
  /** Annulla needs `conferma` (the page's «Confermo l’annullamento» box), else it is refused. */
  changeStato(actor: Actor, id: number, azione: 'annulla' | 'riattiva', version: number | null, conferma: boolean): Promise<Result<R> | Refused>;
  remove(actor: Actor, id: number): Promise<Saved<R> | NotFound | Conflict<R>>;
  usageCount(scuolaId: number, id: number): Promise<number>;
  saveColumns(actor: Actor, colonne: string[]): Promise<unknown>;
};

/** How a register's pages look (its presenter) and where they live. */
export type RegistroPages<R extends Coded, S, K extends string, O, P> = {
  /** 'CIG' or 'CUP': the word in every message. */
  nome: string;
  /** The folder of the register's views (index, form, show). */
  views: string;
  paths: RegistroPaths;
  /** The document field that receives a code made from its + link. */
  idField: string;
  /**
   * The form's fields that GET nuovo may pre-fill from its query string (the
   * invoice's "Registra il CIG" link): only these, as plain trimmed text; nothing
   * is saved until the user presses Salva.
   */
  prefill: readonly string[];
  columns: readonly Column<R>[];
  sortKeys: readonly K[];
  parseSearch(query: Request['query']): S & { errors: FieldErrors };
  listPage(input: { rows: R[]; total: number; params: ListParams<string>; search: S; colonne: string[] | null } & Partial<O>): object;
  formPage(input: { record?: R; values: Values; duplicateOf?: { id: number; codice: string }; ritorno?: string | null; today: Date } & O): object;
  formValues(record: R): Values;
  recordPage(page: P & { today: Date }): object;
  conflictPage(stored: R, values: Values, options: O): object;
  label(record: R): string;
  /** What the delete page shows under the code. */
  descrizione(record: R): string;
};

/** What a searchable list needs from its service (a register's, or the invoices'). */
type ListService<R, S, K extends string, L extends { rows: R[]; total: number; params: ListParams<K> }> = {
  list(scuolaId: number, search: S, params: ListParams<K>): Promise<L>;
  exportRows(scuolaId: number, search: S, params: ListParams<K>): Promise<R[]>;
  saveColumns(actor: Actor, colonne: string[]): Promise<unknown>;
};

/** How a searchable list looks: its views' folder (also the export's name and the column preference's key), columns, sorts, search. */
type ListPages<R, S, K extends string, L> = {
  nome: string;
  views: string;
  paths: Pick<RegistroPaths, 'list' | 'exportCsv' | 'exportXlsx' | 'colonne'>;
  columns: readonly Column<R>[];
  sortKeys: readonly K[];
  defaults: { ordina: K; verso: SortDir };
  /** `req`: the header's esercizio, for the lists of one esercizio (impegni, mandati). */
  parseSearch(query: Request['query'], req: Request): S & { errors: FieldErrors };
  listPage(input: L & { search: S; colonne: string[] | null }): object;
};

/**
 * A list with its search in the query string, sortable columns, pages, CSV and
 * XLSX exports of every matching row, and the user's chosen columns.
 */
export function listRoutes<R, S, K extends string, L extends { rows: R[]; total: number; params: ListParams<K> }>(
  router: Router,
  service: ListService<R, S, K, L>,
  pages: ListPages<R, S, K, L>,
) {
  const { nome, views, paths } = pages;
  const base = paths.list();
  const listParams = (req: Request) => parseListParams(req.query, pages.sortKeys, pages.defaults);
  const exportRows = (req: Request) => service.exportRows(currentUser(req).scuolaId, pages.parseSearch(req.query, req), listParams(req));

  router.get(base, async (req, res) => {
    const user = currentUser(req);
    const search = pages.parseSearch(req.query, req);
    const list = await service.list(user.scuolaId, search, listParams(req));
    // A refused criterion: the list without it, its message next to the field, 422.
    const status = Object.keys(search.errors).length ? 422 : 200;
    res.status(status).render(`${views}/index`, { ...pages.listPage({ ...list, search, colonne: columnPreference(user.preferenze, views) }), ...fromFieldErrors(search.errors) });
  });

  router.get(paths.exportCsv(), async (req, res) => {
    res.attachment(`${views}-${todayOf(req)}.csv`).type('text/csv; charset=utf-8').send(toCsv(pages.columns, await exportRows(req)));
  });

  router.get(paths.exportXlsx(), async (req, res) => {
    res.attachment(`${views}-${todayOf(req)}.xlsx`).send(await toXlsx(nome, pages.columns, await exportRows(req)));
  });

  router.post(paths.colonne, async (req, res) => {
    await service.saveColumns(currentUser(req), chosenColumnKeys(pages.columns, bodyList(req.body, 'colonne')));
    flash(req, 'success', 'Colonne dell’elenco salvate.');
    res.redirect(returnWithin(base, req.body?.ritorno));
  });
}

/**
 * Every page of a register, the same for CIG and CUP: list with search,
 * exports, columns, new (also from a document's + link or modal), record, edit,
 * annulla/riattiva, delete.
 */
export function registroRouter<R extends Coded, S, K extends string, O, P>(service: RegistroService<R, S, K, O, P>, pages: RegistroPages<R, S, K, O, P>) {
  const router = Router();
  const { nome, views, paths } = pages;
  const base = paths.list();
  const options = (req: Request) => service.formOptions(currentUser(req).scuolaId);
  listRoutes(router, service, { ...pages, defaults: { ordina: 'codice' as K, verso: 'asc' } });

  router.get(paths.nuovo, async (req, res) => {
    const prefilled = Object.fromEntries(pages.prefill.map((f) => [f, queryText(req.query, f, 2000)]).filter(([, v]) => v !== ''));
    const values = { stato: 'attivo', ...prefilled };
    res.render(`${views}/form`, pages.formPage({ values, ritorno: safeReturnPath(req.query.ritorno), today: nowOf(req), ...(await options(req)) }));
  });

  router.post(paths.create, createForDocument<R>({
    create: (req, fields) => service.create(currentUser(req), fields),
    json: { codice: (r) => r.codice, label: pages.label, show: paths.show },
    idField: pages.idField,
    message: (r) => `${nome} ${r.codice} inserito.`,
    invalid: async (req, res, result, ritorno) => {
      const page = pages.formPage({ values: result.values, duplicateOf: result.duplicateOf, ritorno, today: nowOf(req), ...(await options(req)) });
      res.status(422).render(`${views}/form`, { ...page, ...result.errors });
    },
  }));

  router.get(paths.route.show, withRecord(service.record, (req, res, page) => res.render(`${views}/show`, pages.recordPage({ ...page, today: nowOf(req) }))));

  router.get(paths.route.edit, withRecord(service.find, async (req, res, record) => {
    const ritorno = safeReturnPath(req.query.ritorno);
    res.render(`${views}/form`, pages.formPage({ record, values: pages.formValues(record), ritorno, today: nowOf(req), ...(await options(req)) }));
  }));

  router.post(paths.route.show, withId(async (req, res, id) => {
    // `ritorno`: the page the edit came from (a Flussi error), where the save goes back to.
    const { ritorno, fields } = splitReturn(req.body);
    const result = await service.update(currentUser(req), id, fields);
    if (result.ok) return redirectSaved(req, res, result, `${nome} ${result.record.codice} salvato.`, ritorno ?? paths.show(id));
    await answerRefused(req, res, result, {
      conflict: async (c) => res.status(409).render('shared/conflitto', pages.conflictPage(c.stored, c.values, await options(req))),
      invalid: async (i) => {
        const page = pages.formPage({ record: i.record, values: i.values, duplicateOf: i.duplicateOf, ritorno, today: nowOf(req), ...(await options(req)) });
        res.status(422).render(`${views}/form`, { ...page, ...i.errors });
      },
    });
  }));

  for (const azione of ['annulla', 'riattiva'] as const) {
    router.post(paths.route[azione], withId(async (req, res, id) => {
      const conferma = req.body?.conferma === '1';
      const result = await service.changeStato(currentUser(req), id, azione, bodyNumber(req.body, 'version'), conferma);
      if (!result.ok && result.kind === 'not-found') return notFound(req, res);
      if (!result.ok && result.kind === 'refused') {
        flash(req, 'danger', result.message);
        return res.redirect(303, paths.show(id));
      }
      if (!result.ok) {
        flash(req, 'warning', `Il ${nome} è stato modificato da un altro utente nel frattempo: controlla i dati aggiornati e riprova.`);
        return res.redirect(paths.show(id));
      }
      const { codice, stato } = result.record;
      const message = result.changed ? `${nome} ${codice} ${azione === 'annulla' ? 'annullato' : 'riattivato'}.` : `Il ${nome} ${codice} era già ${stato}.`;
      redirectSaved(req, res, result, message, paths.show(id));
    }));
  }

  router.get(paths.route.elimina, withRecord(service.find, async (req, res, record) => {
    res.render('registri/elimina', {
      title: `Elimina ${nome} ${record.codice}`,
      registro: nome,
      codice: record.codice,
      descrizione: pages.descrizione(record),
      usi: await service.usageCount(currentUser(req).scuolaId, record.id),
      links: { show: paths.show(record.id), elimina: paths.elimina(record.id) },
    });
  }));

  router.post(paths.route.elimina, withId(async (req, res, id) => {
    const result = await service.remove(currentUser(req), id);
    if (!result.ok && result.kind === 'not-found') return notFound(req, res);
    if (!result.ok) {
      flash(req, 'danger', `Il ${nome} ${result.stored.codice} è usato in ${result.usi} documenti: non si può eliminare, puoi annullarlo.`);
      return res.redirect(paths.show(id));
    }
    redirectSaved(req, res, result, `${nome} ${result.record.codice} eliminato.`, base);
  }));

  return router;
}
