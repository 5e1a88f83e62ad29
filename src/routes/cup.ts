import { Router, type Request, type Response } from 'express';
import type { CupService } from '../services/cupService.js';
import { currentUser } from '../middleware/auth.js';
import { flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { columnPreference } from '../repositories/utentiRepository.js';
import { CUP_SORTS, type CupSortKey } from '../repositories/cupRepository.js';
import { parseCupSearch } from '../validation/cupSchemas.js';
import { fromFieldErrors } from '../validation/formErrors.js';
import { parseListParams } from '../validation/listQuery.js';
import { chosenColumnKeys } from '../presenters/listPresenter.js';
import { CUP_COLUMNS, cupConflictPage, cupFormPage, cupFormValues, cupLabel, cupListPage, cupRecordPage } from '../presenters/cupPresenter.js';
import { toCsv, toXlsx } from '../presenters/tableExport.js';
import { todayIso } from '../domain/dates.js';
import { bodyList, bodyNumber, parseId, wantsJson } from './helpers.js';
import { addQuery, paths, returnWithin, safeReturnPath } from '../paths.js';

const SORT_KEYS = Object.keys(CUP_SORTS) as CupSortKey[];
const listParams = (req: Request) => parseListParams(req.query, SORT_KEYS, { ordina: 'codice', verso: 'asc' });

/** Gestisci → Gestione CUP: the same pages as Gestione CIG ("simil CIG"). */
export function cupRouter(cup: CupService) {
  const router = Router();
  const base = paths.cup.list();

  router.get(base, async (req, res) => {
    const user = currentUser(req);
    const search = parseCupSearch(req.query);
    const { rows, total, params } = await cup.list(user.scuolaId, search, listParams(req));
    res.render('cup/index', {
      ...cupListPage({ rows, total, params, search, colonne: columnPreference(user.preferenze, 'cup') }),
      ...fromFieldErrors(search.errors),
    });
  });

  router.get(paths.cup.exportCsv(), async (req, res) => {
    const rows = await cup.exportRows(currentUser(req).scuolaId, parseCupSearch(req.query), listParams(req));
    res.attachment(`cup-${todayIso()}.csv`).type('text/csv; charset=utf-8').send(toCsv(CUP_COLUMNS, rows));
  });

  router.get(paths.cup.exportXlsx(), async (req, res) => {
    const rows = await cup.exportRows(currentUser(req).scuolaId, parseCupSearch(req.query), listParams(req));
    res.attachment(`cup-${todayIso()}.xlsx`).send(await toXlsx('CUP', CUP_COLUMNS, rows));
  });

  router.post(paths.cup.colonne, async (req, res) => {
    await cup.saveColumns(currentUser(req), chosenColumnKeys(CUP_COLUMNS, bodyList(req.body, 'colonne')));
    flash(req, 'success', 'Colonne dell’elenco salvate.');
    res.redirect(returnWithin(base, req.body?.ritorno));
  });

  router.get(paths.cup.nuovo, async (req, res) => {
    res.render('cup/form', cupFormPage({ values: { stato: 'attivo' }, ritorno: safeReturnPath(req.query.ritorno) }));
  });

  router.post(paths.cup.create, async (req, res) => {
    const user = currentUser(req);
    // `ritorno`: the document whose + link opened this form (without JavaScript); it gets the new cup_id.
    const { ritorno: ritornoField, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const ritorno = safeReturnPath(ritornoField);
    const result = await cup.create(user, fields);
    if (wantsJson(req)) {
      if (result.ok) return res.status(201).json({ id: result.record.id, codice: result.record.codice, label: cupLabel(result.record) });
      return res.status(422).json({
        errors: result.errors.fieldErrors,
        ...(result.duplicateOf ? { esistente: { id: result.duplicateOf.id, url: paths.cup.show(result.duplicateOf.id) } } : {}),
      });
    }
    if (!result.ok) return renderInvalid(req, res, result, undefined, ritorno);
    flash(req, 'success', `CUP ${result.record.codice} inserito.`);
    res.redirect(ritorno ? addQuery(ritorno, { cup_id: result.record.id }) : paths.cup.show(result.record.id));
  });

  async function renderInvalid(req: Request, res: Response, result: Extract<Awaited<ReturnType<CupService['create']>>, { ok: false }>, id?: number, ritorno: string | null = null) {
    const user = currentUser(req);
    const record = id === undefined ? undefined : await cup.find(user.scuolaId, id);
    res.status(422).render('cup/form', { ...cupFormPage({ record, values: result.values, duplicateOf: result.duplicateOf, ritorno }), ...result.errors });
  }

  router.get(paths.cup.route.show, async (req, res) => {
    const id = parseId(req.params.id);
    const page = id === null ? undefined : await cup.record(currentUser(req).scuolaId, id);
    if (!page) return notFound(req, res);
    res.render('cup/show', cupRecordPage(page));
  });

  router.get(paths.cup.route.edit, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await cup.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    res.render('cup/form', cupFormPage({ record, values: cupFormValues(record) }));
  });

  router.post(paths.cup.route.show, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    const result = await cup.update(user, id, req.body);
    if (result.ok) {
      flash(req, 'success', `CUP ${result.record.codice} salvato.`);
      return res.redirect(paths.cup.show(id));
    }
    if (result.kind === 'not_found') return notFound(req, res);
    if (result.kind === 'conflict') {
      return res.status(409).render('registri/conflitto', cupConflictPage(result.stored, result.values));
    }
    return renderInvalid(req, res, result, id);
  });

  for (const azione of ['annulla', 'riattiva'] as const) {
    router.post(paths.cup.route[azione], async (req, res) => {
      const id = parseId(req.params.id);
      const result = id === null ? null : await cup.changeStato(currentUser(req), id, azione, bodyNumber(req.body, 'version'));
      if (!result || (!result.ok && result.kind === 'not_found')) return notFound(req, res);
      if (!result.ok) {
        flash(req, 'warning', 'Il CUP è stato modificato da un altro utente nel frattempo: controlla i dati aggiornati e riprova.');
        return res.redirect(paths.cup.show(result.record.id));
      }
      const testo = azione === 'annulla' ? 'annullato' : 'riattivato';
      flash(req, result.changed ? 'success' : 'info', result.changed ? `CUP ${result.record.codice} ${testo}.` : `Il CUP ${result.record.codice} era già ${result.record.stato}.`);
      res.redirect(paths.cup.show(result.record.id));
    });
  }

  router.get(paths.cup.route.elimina, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await cup.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    res.render('registri/elimina', {
      title: `Elimina CUP ${record.codice}`,
      registro: 'CUP',
      codice: record.codice,
      descrizione: record.descrizione,
      usi: await cup.usageCount(user.scuolaId, record.id),
      links: { show: paths.cup.show(record.id), elimina: paths.cup.elimina(record.id) },
    });
  });

  router.post(paths.cup.route.elimina, async (req, res) => {
    const id = parseId(req.params.id);
    const result = id === null ? null : await cup.remove(currentUser(req), id);
    if (!result || (!result.ok && result.kind === 'not_found')) return notFound(req, res);
    if (!result.ok) {
      flash(req, 'danger', `Il CUP ${result.record.codice} è usato in ${result.usi} documenti: non si può eliminare, puoi annullarlo.`);
      return res.redirect(paths.cup.show(result.record.id));
    }
    flash(req, 'success', `CUP ${result.record.codice} eliminato.`);
    res.redirect(base);
  });

  return router;
}
