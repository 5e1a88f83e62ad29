import { paths, type QueryParams, type RegistroPaths } from '../paths.js';
import { PAGE_SIZES, type ListParams } from '../validation/listQuery.js';
import { columnChooser, presentPagination, presentTable, visibleColumns, type Column } from './listPresenter.js';

/**
 * What the registers' pages (Gestione CIG, Gestione CUP) share: the list with
 * its search, columns and exports, the form's way in and out, the record's actions.
 */

type Search = { query: QueryParams; values: Record<string, string>; active: boolean };

/** A closed list's labels as select options. */
export const labelOptions = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The list page but its title, options and empty message: the table, pages, column chooser, search panel, links. */
export function registroListParts<R extends { id: number }>(
  columns: readonly Column<R>[],
  paths: Pick<RegistroPaths, 'list' | 'show' | 'nuovo' | 'exportCsv' | 'exportXlsx' | 'colonne'>,
  input: { rows: R[]; total: number; capped?: boolean; params: ListParams<string>; search: Search; colonne: string[] | null },
) {
  const { params, search } = input;
  const visible = visibleColumns(columns, input.colonne);
  const ctx = { params, search: search.query, href: paths.list };
  const sorted = { ...search.query, ordina: params.ordina, verso: params.verso };
  return {
    table: presentTable(visible, input.rows, { ...ctx, rowHref: (r) => paths.show(r.id) }),
    pagination: presentPagination(input.total, ctx, input.capped),
    chooser: columnChooser(columns, visible),
    /** Rows per page: links keeping the search and the order, back to the first page. */
    perPagina: PAGE_SIZES.map((n) => ({ n, href: paths.list({ ...sorted, per: n === 25 ? undefined : n }), current: n === params.perPagina })),
    search: { values: search.values, active: search.active },
    links: {
      nuovo: paths.nuovo,
      azzera: paths.list(),
      csv: paths.exportCsv(sorted),
      xlsx: paths.exportXlsx(sorted),
      colonne: paths.colonne,
      ritorno: paths.list({ ...sorted, per: params.perPagina === 25 ? undefined : params.perPagina, pagina: params.pagina === 1 ? undefined : params.pagina }),
    },
  };
}

/**
 * Where a form goes back to, after saving or on Annulla: the page that opened it
 * (`ritorno`), else `fallback`; its button says so when that is the Flussi page.
 */
export function returnParts(ritorno: string | null | undefined, fallback: string) {
  return { back: ritorno ?? fallback, ritorno: ritorno ?? null, salva: saveLabel(ritorno) };
}

/** The save button names the page it returns to, when that is a worklist. */
function saveLabel(ritorno: string | null | undefined): string {
  if (ritorno?.startsWith(paths.flussi())) return 'Salva e torna ai flussi';
  if (ritorno?.startsWith(`${paths.impostazioni.importazione}/`)) return 'Salva e torna al report';
  if (ritorno?.startsWith(paths.impostazioni.importazione)) return 'Salva e torna all’importazione';
  return 'Salva';
}

/**
 * Where the form posts and goes back to: the page that opened it (`ritorno`: a
 * document's +, or the Flussi error it fixes), else the record when editing or
 * the list; the existing record when the code is a duplicate.
 */
export function registroFormParts(paths: RegistroPaths, input: { record?: { id: number }; duplicateOf?: { id: number; codice: string }; ritorno?: string | null }) {
  const { record } = input;
  return {
    action: record ? paths.update(record.id) : paths.create,
    ...returnParts(input.ritorno, record ? paths.show(record.id) : paths.list()),
    duplicate: input.duplicateOf ? { codice: input.duplicateOf.codice, href: paths.show(input.duplicateOf.id) } : null,
  };
}

/** The record page's actions. */
export function registroRecordLinks(paths: RegistroPaths, id: number) {
  return { edit: paths.edit(id), annulla: paths.annulla(id), riattiva: paths.riattiva(id), elimina: paths.elimina(id), list: paths.list() };
}

/** The conflict page but its rows: the record someone else saved meanwhile, its page and its form. */
export function registroConflictParts(paths: RegistroPaths, nome: 'CIG' | 'CUP', stored: { id: number; codice: string }) {
  return {
    title: `${nome} ${stored.codice}: modificato da un altro utente`,
    cosa: `il ${nome} ${stored.codice}`,
    links: { show: paths.show(stored.id), edit: paths.edit(stored.id) },
  };
}
