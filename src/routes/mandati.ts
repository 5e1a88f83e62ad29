import { Router, type Request, type Response } from 'express';
import type { MandatiService } from '../services/mandatiService.js';
import type { Invalid } from '../services/results.js';
import { MANDATI_SORTS, type MandatoRow, type MandatoSortKey } from '../repositories/mandatiRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso } from '../middleware/locals.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { MANDATI_COLUMNS, mandatiListPage, mandatoConflictPage, mandatoDefaults, mandatoFormPage, mandatoFormValues, mandatoRecordPage } from '../presenters/mandatiPresenter.js';
import { mandatoDaFattura, pagamentiFormPart, pagamentiValues } from '../presenters/pagamentiPresenter.js';
import { notFound } from '../middleware/errors.js';
import { flash } from '../middleware/locals.js';
import { parseId, withId } from './helpers.js';
import { documentRoutes, restoredDraft, todayIn } from './documento.js';
import { listRoutes } from './registro.js';
import { parseDocumentiSearch } from '../validation/documentiSearch.js';
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

  async function renderForm(req: Request, res: Response, status: number, input: { record?: MandatoRow; values: Record<string, string>; invalid?: Invalid; ritorno?: string | null }) {
    const user = currentUser(req);
    const esercizio = input.record?.esercizio ?? esercizioInUso(req);
    // The impegno the form is on stays in the list even when paid in full or of an older esercizio.
    const chosen = parseId(input.values.impegno_id);
    const keep = input.record ? { impegno_id: input.record.impegno_id, cig_id: input.record.cig_id, cup_id: input.record.cup_id } : { impegno_id: chosen };
    const opts = await mandati.formOptions(user.scuolaId, esercizio, keep);
    // The invoices offered follow the impegno chosen (the one sent, after a refusal); an edit first shows what the mandato pays.
    const inviate = Object.keys(input.values).flatMap((k) => (/^fe_\d{1,9}$/.test(k) && input.values[k]?.trim() ? [Number(k.slice(3))] : []));
    const pagamenti = await mandati.pagamentiForm(user.scuolaId, chosen ?? input.record?.impegno_id ?? null, input.record?.id ?? null, inviate);
    const values = input.record && !input.invalid ? { ...pagamentiValues(pagamenti.pagati), ...input.values } : input.values;
    const page = mandatoFormPage({ record: input.record, values, esercizio, opts, cupConflict: input.invalid?.cupConflict, ritorno: input.ritorno });
    const fatture = pagamentiFormPart({ ...pagamenti, values, impegnoScelto: chosen !== null });
    const trasmesso = input.record ? await mandati.inviato(user.scuolaId, input.record.id) : false;
    res.status(status).render('mandati/form', { ...page, fatture, trasmesso, ...(input.invalid?.errors ?? {}) });
  }

  // The list first: its /mandati/export.csv must not be taken for a record's id.
  listRoutes(router, mandati, {
    nome: 'Mandati', views: 'mandati', paths: paths.mandati, columns: MANDATI_COLUMNS, sortKeys: SORT_KEYS,
    defaults: { ordina: 'numero', verso: 'desc' },
    parseSearch: (query, req) => parseDocumentiSearch(query, esercizioInUso(req)),
    listPage: mandatiListPage,
  });

  documentRoutes(router, mandati, {
    nome: 'Mandato', alDocumento: 'al mandato', views: 'mandati', paths: paths.mandati, recordPage: mandatoRecordPage, formValues: mandatoFormValues,
    conflictPage: async (req, stored, values) =>
      mandatoConflictPage(stored, values, await mandati.formOptions(currentUser(req).scuolaId, stored.esercizio, { impegno_id: stored.impegno_id, cig_id: stored.cig_id, cup_id: stored.cup_id })),
    preselect,
    renderForm,
    /** A new mandato from an impegno's page starts from that impegno; Paga on an invoice's page, from the invoice. */
    nuovo: async (req, res) => {
      const draft = restoredDraft(req, res, 'mandati', null);
      if (draft) return renderForm(req, res, 200, { values: { ...draft.values, ...preselect(req.query) }, ritorno: draft.ritorno });
      const user = currentUser(req);
      const esercizio = esercizioInUso(req);
      const fatturaId = parseId(req.query.fattura);
      if (fatturaId !== null) {
        const da = await mandati.daFattura(user.scuolaId, fatturaId);
        if (!da) return notFound(req, res);
        return renderForm(req, res, 200, { values: { data: todayIn(req, esercizio), ...mandatoDaFattura(da) } });
      }
      const impegnoId = parseId(req.query.impegno_id);
      const opts = impegnoId === null ? null : await mandati.formOptions(user.scuolaId, esercizio, { impegno_id: impegnoId });
      const impegno = opts?.impegni.find((i) => i.id === impegnoId);
      const values = { data: todayIn(req, esercizio), ...mandatoDefaults(impegno), ...preselect(req.query) };
      await renderForm(req, res, 200, { values });
    },
  });

  // Elimina (the last mandato of its esercizio only): the list with the news, or the mandato's page with the reason.
  router.post(paths.mandati.route.elimina, withId(async (req, res, id) => {
    const result = await mandati.elimina(currentUser(req), id, req.body);
    if (result.ok) {
      flash(req, 'success', `Mandato n. ${result.record.numero}/${result.record.esercizio} eliminato: quanto pagava delle fatture è di nuovo da pagare.`);
      return res.redirect(303, paths.mandati.list());
    }
    if (result.kind === 'not-found') return notFound(req, res);
    flash(req, 'danger', result.kind === 'conflict' ? 'Il mandato è stato modificato da un altro utente: ricontrollalo e riprova.' : result.message);
    res.redirect(303, paths.mandati.show(id));
  }));

  // Annulla (a mandato already sent to the bank): its page, with the news or the reason.
  router.post(paths.cassiere.route.annulla, withId(async (req, res, id) => {
    const result = await mandati.annulla(currentUser(req), id, req.body);
    if (result.ok) {
      flash(req, 'success', `Mandato n. ${result.record.numero}/${result.record.esercizio} annullato: l’annullo partirà con la prossima distinta per il cassiere.`);
      return res.redirect(303, paths.mandati.show(id));
    }
    if (result.kind === 'not-found') return notFound(req, res);
    flash(req, 'danger', result.kind === 'conflict' ? 'Il mandato è stato modificato da un altro utente: ricontrollalo e riprova.' : result.message);
    res.redirect(303, paths.mandati.show(id));
  }));

  return router;
}
