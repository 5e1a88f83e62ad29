import { Router, type Response } from 'express';
import type { ImportazioneService } from '../services/importazioneService.js';
import { currentUser, requireRole } from '../middleware/auth.js';
import { flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { correggiValoreSchema, eseguiImportazioneSchema } from '../validation/importazioneSchemas.js';
import { toFormErrors } from '../validation/formErrors.js';
import { conteggiRighe, esitoMessage, nessunaNovita, pianoView, prossimiPassi, REPORT_COLUMNS, reportRows, storicoRighe, type Report } from '../presenters/importazionePresenter.js';
import { toCsv } from '../presenters/exportPresenter.js';
import type { Conteggi } from '../services/importazioneService.js';
import { paths } from '../paths.js';
import { parseId } from './helpers.js';

/** Impostazioni → Importazione CIG/CUP (admin only). */
export function importazioneRouter(importazione: ImportazioneService) {
  const router = Router();
  const base = paths.impostazioni.importazione;
  router.use(base, requireRole('admin'));

  async function renderPage(res: Response, scuolaId: number, extra: object = {}) {
    const [storico, piano] = [await importazione.runs(scuolaId), await importazione.preview(scuolaId)];
    res.render('impostazioni/importazione', {
      title: 'Importazione CIG/CUP',
      storico: storicoRighe(storico),
      anteprima: pianoView(piano),
      ...extra,
    });
  }

  router.get(base, async (req, res) => {
    await renderPage(res, currentUser(req).scuolaId);
  });

  router.post(base, async (req, res) => {
    const user = currentUser(req);
    const parsed = eseguiImportazioneSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(422);
      return renderPage(res, user.scuolaId, toFormErrors(parsed.error));
    }
    const { accetta, tutte } = parsed.data;
    if (!tutte && accetta.size === 0 && pianoView(await importazione.preview(user.scuolaId)).soloProposte) {
      res.status(422);
      return renderPage(res, user.scuolaId, { fieldErrors: { accetta: 'Restano solo proposte: spunta quelle da accettare, oppure usa «Esegui accettando tutte le proposte».' } });
    }
    const log = (stage: string) => req.log.info({ scuolaId: user.scuolaId }, `Importazione CIG/CUP: ${stage}`);
    log('avviata');
    const esito = await importazione.run(user.scuolaId, user.id, 'web', log, tutte ? 'tutte' : accetta);
    if (!esito.ok) {
      res.status(409);
      return renderPage(res, user.scuolaId, { inCorso: true });
    }
    flash(req, 'success', esitoMessage(esito.conteggi));
    res.redirect(paths.impostazioni.importazioneReport(esito.id));
  });

  // One invalid value corrected for all its documents; a refused code shows the page again with what was typed.
  router.post(paths.impostazioni.importazioneCorrezione, async (req, res) => {
    const user = currentUser(req);
    const parsed = correggiValoreSchema.safeParse(req.body ?? {});
    const esito = parsed.success ? await importazione.correct(user.scuolaId, user.id, parsed.data) : ({ ok: false, errore: parsed.error.issues[0]!.message } as const);
    if (esito.ok) {
      flash(req, 'success', `${parsed.data!.valore} corretto in ${esito.codice}: ${esito.collegati} tra documenti e voci collegati.`);
      return res.redirect(303, base);
    }
    res.status(422);
    return renderPage(res, user.scuolaId, { correzione: { valore: String(req.body?.valore ?? ''), codice: String(req.body?.codice ?? ''), errore: esito.errore } });
  });

  router.get(`${base}/:id`, async (req, res) => {
    const id = parseId(req.params.id);
    const run = id === null ? undefined : await importazione.findRun(currentUser(req).scuolaId, id);
    if (!run) return notFound(req, res);
    const report = run.report as Report;
    res.render('impostazioni/importazione-report', {
      title: `Report dell’importazione n. ${run.id}`,
      run: storicoRighe([run])[0],
      conteggi: conteggiRighe(run.conteggi as Conteggi),
      nessunaNovita: nessunaNovita(run.conteggi as Conteggi),
      report: pianoView(report, paths.impostazioni.importazioneReport(run.id)),
      csvHref: paths.impostazioni.importazioneCsv(run.id),
      passi: prossimiPassi(run.id),
    });
  });

  router.get(`${base}/:id/report.csv`, async (req, res) => {
    const id = parseId(req.params.id);
    const run = id === null ? undefined : await importazione.findRun(currentUser(req).scuolaId, id);
    if (!run) return notFound(req, res);
    const csv = toCsv(REPORT_COLUMNS, reportRows(run.report as Report, true));
    res
      .type('text/csv; charset=utf-8')
      .attachment(`importazione-cig-cup-${run.id}.csv`)
      .send(csv);
  });

  return router;
}
