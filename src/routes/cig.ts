import { Router, type Request, type Response } from 'express';
import type { CigService } from '../services/cigService.js';
import { currentUser } from '../middleware/auth.js';
import { flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { columnPreference } from '../repositories/utentiRepository.js';
import { CIG_SORTS, type CigSortKey } from '../repositories/cigRepository.js';
import { parseCigSearch } from '../validation/cigSchemas.js';
import { fromFieldErrors } from '../validation/formErrors.js';
import { parseListParams } from '../validation/listQuery.js';
import { chosenColumnKeys } from '../presenters/listPresenter.js';
import { CIG_COLUMNS, cigConflictPage, cigFormPage, cigFormValues, cigLabel, cigListPage, cigRecordPage } from '../presenters/cigPresenter.js';
import { toCsv, toXlsx } from '../presenters/tableExport.js';
import { todayIso } from '../domain/dates.js';
import { bodyList, bodyNumber, parseId, wantsJson } from './helpers.js';
import { addQuery, paths, returnWithin, safeReturnPath } from '../paths.js';

const SORT_KEYS = Object.keys(CIG_SORTS) as CigSortKey[];
const listParams = (req: Request) => parseListParams(req.query, SORT_KEYS, { ordina: 'codice', verso: 'asc' });

/** Gestisci → Gestione CIG: list, search, export, new, show, edit, annulla/riattiva, delete. */
export function cigRouter(cig: CigService) {
  const router = Router();
  const base = paths.cig.list();

  router.get(base, async (req, res) => {
    const user = currentUser(req);
    const search = parseCigSearch(req.query);
    const { rows, total, params, fornitori } = await cig.list(user.scuolaId, search, listParams(req));
    res.render('cig/index', {
      ...cigListPage({ rows, total, params, search, fornitori, colonne: columnPreference(user.preferenze, 'cig') }),
      ...fromFieldErrors(search.errors),
    });
  });

  router.get(paths.cig.exportCsv(), async (req, res) => {
    const rows = await cig.exportRows(currentUser(req).scuolaId, parseCigSearch(req.query), listParams(req));
    res.attachment(`cig-${todayIso()}.csv`).type('text/csv; charset=utf-8').send(toCsv(CIG_COLUMNS, rows));
  });

  router.get(paths.cig.exportXlsx(), async (req, res) => {
    const rows = await cig.exportRows(currentUser(req).scuolaId, parseCigSearch(req.query), listParams(req));
    res.attachment(`cig-${todayIso()}.xlsx`).send(await toXlsx('CIG', CIG_COLUMNS, rows));
  });

  router.post(paths.cig.colonne, async (req, res) => {
    await cig.saveColumns(currentUser(req), chosenColumnKeys(CIG_COLUMNS, bodyList(req.body, 'colonne')));
    flash(req, 'success', 'Colonne dell’elenco salvate.');
    res.redirect(returnWithin(base, req.body?.ritorno));
  });

  router.get(paths.cig.nuovo, async (req, res) => {
    const { fornitori } = await cig.formOptions(currentUser(req).scuolaId);
    res.render('cig/form', cigFormPage({ values: { stato: 'attivo' }, fornitori, ritorno: safeReturnPath(req.query.ritorno) }));
  });

  router.post(paths.cig.create, async (req, res) => {
    const user = currentUser(req);
    // `ritorno`: the document whose + link opened this form (without JavaScript); it gets the new cig_id.
    const { ritorno: ritornoField, ...fields } = (req.body ?? {}) as Record<string, unknown>;
    const ritorno = safeReturnPath(ritornoField);
    const result = await cig.create(user, fields);
    if (wantsJson(req)) {
      if (result.ok) return res.status(201).json({ id: result.record.id, codice: result.record.codice, label: cigLabel(result.record) });
      return res.status(422).json({
        errors: result.errors.fieldErrors,
        ...(result.duplicateOf ? { esistente: { id: result.duplicateOf.id, url: paths.cig.show(result.duplicateOf.id) } } : {}),
      });
    }
    if (!result.ok) return renderInvalid(req, res, result, undefined, ritorno);
    flash(req, 'success', `CIG ${result.record.codice} inserito.`);
    res.redirect(ritorno ? addQuery(ritorno, { cig_id: result.record.id }) : paths.cig.show(result.record.id));
  });

  async function renderInvalid(req: Request, res: Response, result: Extract<Awaited<ReturnType<CigService['create']>>, { ok: false }>, id?: number, ritorno: string | null = null) {
    const user = currentUser(req);
    const { fornitori } = await cig.formOptions(user.scuolaId);
    const record = id === undefined ? undefined : await cig.find(user.scuolaId, id);
    res.status(422).render('cig/form', { ...cigFormPage({ record, values: result.values, fornitori, duplicateOf: result.duplicateOf, ritorno }), ...result.errors });
  }

  router.get(paths.cig.route.show, async (req, res) => {
    const id = parseId(req.params.id);
    const page = id === null ? undefined : await cig.record(currentUser(req).scuolaId, id);
    if (!page) return notFound(req, res);
    res.render('cig/show', cigRecordPage(page));
  });

  router.get(paths.cig.route.edit, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await cig.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    const { fornitori } = await cig.formOptions(user.scuolaId);
    res.render('cig/form', cigFormPage({ record, values: cigFormValues(record), fornitori }));
  });

  router.post(paths.cig.route.show, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    if (id === null) return notFound(req, res);
    const result = await cig.update(user, id, req.body);
    if (result.ok) {
      flash(req, 'success', `CIG ${result.record.codice} salvato.`);
      return res.redirect(paths.cig.show(id));
    }
    if (result.kind === 'not_found') return notFound(req, res);
    if (result.kind === 'conflict') {
      const { fornitori } = await cig.formOptions(user.scuolaId);
      return res.status(409).render('registri/conflitto', cigConflictPage(result.stored, result.values, fornitori));
    }
    return renderInvalid(req, res, result, id);
  });

  for (const azione of ['annulla', 'riattiva'] as const) {
    router.post(paths.cig.route[azione], async (req, res) => {
      const id = parseId(req.params.id);
      const result = id === null ? null : await cig.changeStato(currentUser(req), id, azione, bodyNumber(req.body, 'version'));
      if (!result || (!result.ok && result.kind === 'not_found')) return notFound(req, res);
      if (!result.ok) {
        flash(req, 'warning', 'Il CIG è stato modificato da un altro utente nel frattempo: controlla i dati aggiornati e riprova.');
        return res.redirect(paths.cig.show(result.record.id));
      }
      const testo = azione === 'annulla' ? 'annullato' : 'riattivato';
      flash(req, result.changed ? 'success' : 'info', result.changed ? `CIG ${result.record.codice} ${testo}.` : `Il CIG ${result.record.codice} era già ${result.record.stato}.`);
      res.redirect(paths.cig.show(result.record.id));
    });
  }

  router.get(paths.cig.route.elimina, async (req, res) => {
    const user = currentUser(req);
    const id = parseId(req.params.id);
    const record = id === null ? undefined : await cig.find(user.scuolaId, id);
    if (!record) return notFound(req, res);
    res.render('registri/elimina', {
      title: `Elimina CIG ${record.codice}`,
      registro: 'CIG',
      codice: record.codice,
      descrizione: record.oggetto,
      usi: await cig.usageCount(user.scuolaId, record.id),
      links: { show: paths.cig.show(record.id), elimina: paths.cig.elimina(record.id) },
    });
  });

  router.post(paths.cig.route.elimina, async (req, res) => {
    const id = parseId(req.params.id);
    const result = id === null ? null : await cig.remove(currentUser(req), id);
    if (!result || (!result.ok && result.kind === 'not_found')) return notFound(req, res);
    if (!result.ok) {
      flash(req, 'danger', `Il CIG ${result.record.codice} è usato in ${result.usi} documenti: non si può eliminare, puoi annullarlo.`);
      return res.redirect(paths.cig.show(result.record.id));
    }
    flash(req, 'success', `CIG ${result.record.codice} eliminato.`);
    res.redirect(base);
  });

  return router;
}
