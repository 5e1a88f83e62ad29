import type { CupService } from '../services/cupService.js';
import { CUP_SORTS, type CupSortKey } from '../repositories/cupRepository.js';
import { parseCupSearch } from '../validation/cupSchemas.js';
import { CUP_COLUMNS, CUP_PREFILL_FIELDS, cupConflictPage, cupFormPage, cupFormValues, cupLabel, cupListPage, cupRecordPage } from '../presenters/cupPresenter.js';
import { registroRouter } from './registro.js';
import { paths } from '../paths.js';

/** Gestisci → Gestione CUP: the same pages as Gestione CIG ("simil CIG"). */
export function cupRouter(cup: CupService) {
  return registroRouter(cup, {
    nome: 'CUP',
    views: 'cup',
    paths: paths.cup,
    idField: 'cup_id',
    prefill: CUP_PREFILL_FIELDS,
    columns: CUP_COLUMNS,
    sortKeys: Object.keys(CUP_SORTS) as CupSortKey[],
    parseSearch: parseCupSearch,
    listPage: cupListPage,
    formPage: cupFormPage,
    formValues: cupFormValues,
    recordPage: cupRecordPage,
    conflictPage: cupConflictPage,
    label: cupLabel,
    descrizione: (r) => r.descrizione,
  });
}
