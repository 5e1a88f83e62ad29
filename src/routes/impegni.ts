import { Router, type Request, type Response } from 'express';
import type { ImpegniService } from '../services/impegniService.js';
import type { Invalid } from '../services/results.js';
import type { ImpegnoRow } from '../repositories/impegniRepository.js';
import { IMPEGNI_SORTS, type ImpegnoSortKey } from '../repositories/impegniRepository.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso } from '../middleware/locals.js';
import { preselected } from '../presenters/documentiPresenter.js';
import { IMPEGNI_COLUMNS, impegniListPage, impegnoConflictPage, impegnoFormPage, impegnoFormValues, impegnoRecordPage } from '../presenters/impegniPresenter.js';
import { documentRoutes, restoredDraft, todayIn } from './documento.js';
import { listRoutes } from './registro.js';
import { parseDocumentiSearch } from '../validation/documentiSearch.js';
import { paths } from '../paths.js';

const SORT_KEYS = Object.keys(IMPEGNI_SORTS) as ImpegnoSortKey[];
const PRESELECT = ['voce_id', 'conto_id', 'creditore_id', 'cig_id', 'cup_id'] as const;

/** Gestisci → Impegni. */
export function impegniRouter(impegni: ImpegniService) {
  const router = Router();

  async function renderForm(req: Request, res: Response, status: number, input: { record?: ImpegnoRow; values: Record<string, string>; invalid?: Invalid; ritorno?: string | null }) {
    const user = currentUser(req);
    const esercizio = input.record?.esercizio ?? esercizioInUso(req);
    const keep = input.record ? { conto_id: input.record.conto_id, cig_id: input.record.cig_id, cup_id: input.record.cup_id } : {};
    const opts = await impegni.formOptions(user.scuolaId, esercizio, keep);
    const page = impegnoFormPage({ record: input.record, values: input.values, esercizio, opts, cupConflict: input.invalid?.cupConflict, ritorno: input.ritorno });
    res.status(status).render('impegni/form', { ...page, ...(input.invalid?.errors ?? {}) });
  }

  // The list first: its /impegni/export.csv must not be taken for a record's id.
  listRoutes(router, impegni, {
    nome: 'Impegni', views: 'impegni', paths: paths.impegni, columns: IMPEGNI_COLUMNS, sortKeys: SORT_KEYS,
    defaults: { ordina: 'numero', verso: 'desc' },
    parseSearch: (query, req) => parseDocumentiSearch(query, esercizioInUso(req)),
    listPage: impegniListPage,
  });

  documentRoutes(router, impegni, {
    nome: 'Impegno', alDocumento: 'all’impegno', views: 'impegni', paths: paths.impegni, recordPage: impegnoRecordPage, formValues: impegnoFormValues,
    conflictPage: async (req, stored, values) =>
      impegnoConflictPage(stored, values, await impegni.formOptions(currentUser(req).scuolaId, stored.esercizio, { conto_id: stored.conto_id, cig_id: stored.cig_id, cup_id: stored.cup_id })),
    preselect: (query) => preselected(query, PRESELECT),
    renderForm,
    nuovo: async (req, res) => {
      const draft = restoredDraft(req, res, 'impegni', null);
      if (draft) return renderForm(req, res, 200, { values: { ...draft.values, ...preselected(req.query, PRESELECT) }, ritorno: draft.ritorno });
      const values = { data: todayIn(req, esercizioInUso(req)), ...preselected(req.query, PRESELECT) };
      await renderForm(req, res, 200, { values });
    },
  });

  return router;
}
