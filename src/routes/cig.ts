import type { CigService } from '../services/cigService.js';
import { CIG_SORTS, type CigSortKey } from '../repositories/cigRepository.js';
import { parseCigSearch } from '../validation/cigSchemas.js';
import { CIG_COLUMNS, CIG_PREFILL_FIELDS, cigConflictPage, cigFormPage, cigFormValues, cigLabel, cigListPage, cigRecordPage } from '../presenters/cigPresenter.js';
import { registroRouter } from './registro.js';
import { paths } from '../paths.js';

/** Gestisci → Gestione CIG: list, search, export, new, show, edit, annulla/riattiva, delete. */
export function cigRouter(cig: CigService) {
  return registroRouter(cig, {
    nome: 'CIG',
    views: 'cig',
    paths: paths.cig,
    idField: 'cig_id',
    prefill: CIG_PREFILL_FIELDS,
    columns: CIG_COLUMNS,
    sortKeys: Object.keys(CIG_SORTS) as CigSortKey[],
    parseSearch: parseCigSearch,
    listPage: cigListPage,
    formPage: cigFormPage,
    formValues: cigFormValues,
    recordPage: cigRecordPage,
    conflictPage: cigConflictPage,
    label: cigLabel,
    descrizione: (r) => r.oggetto,
  });
}
