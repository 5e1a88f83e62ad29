import { formatCentsPlain, formatEuro } from '../domain/money.js';
import { formatDateIt } from '../domain/dates.js';
import type { QueryParams } from '../paths.js';
import type { ListParams } from '../validation/listQuery.js';

/**
 * What the registers' lists share: column definitions (one list for the page,
 * the column chooser and the exports), sortable headers, pagination.
 */
export type ColumnKind = 'text' | 'codice' | 'euro' | 'date' | 'int';

export type Column<R> = {
  key: string;
  label: string;
  kind: ColumnKind;
  value: (row: R) => string | number | null;
  /** Always shown (the column that links to the record). */
  fixed?: boolean;
  /** Shown when the user has not chosen. */
  byDefault?: boolean;
  /** Short badges after the cell's text on the page (e.g. "da completare"); not exported. */
  badge?: (row: R) => string | readonly string[] | null;
  /** The cell's text on the page when it differs from the exported value (e.g. only badges). */
  cell?: (row: R) => string;
  /** Not a sort key of the list: its header is plain text. */
  unsortable?: boolean;
};

export type Cell = { text: string; cls: string; href?: string; badges?: string[] };
export type Header = { key: string; label: string; href: string | null; ariaSort: 'ascending' | 'descending' | 'none'; sorted: boolean };
export type Table = { headers: Header[]; rows: { cells: Cell[] }[] };

/** Text of a cell on the page: euro with symbol, dates dd/mm/yyyy. */
export function cellText(kind: ColumnKind, value: string | number | null): string {
  if (value === null || value === '') return '';
  switch (kind) {
    case 'euro':
      return formatEuro(Number(value));
    case 'date':
      return formatDateIt(String(value));
    default:
      return String(value);
  }
}

/** Text of a cell in a CSV file: amounts 1234,56 (no symbol, no grouping), dates dd/mm/yyyy. */
export function exportText(kind: ColumnKind, value: string | number | null): string {
  if (value === null || value === '') return '';
  if (kind === 'euro') return formatCentsPlain(Number(value));
  return cellText(kind, value);
}

/** The columns to show: the user's choice (known keys only), or the defaults; fixed ones always. */
export function visibleColumns<R>(columns: readonly Column<R>[], chosen: readonly string[] | null | undefined): Column<R>[] {
  const wanted = chosen && chosen.length > 0 ? new Set(chosen) : new Set(columns.filter((c) => c.byDefault).map((c) => c.key));
  return columns.filter((c) => c.fixed || wanted.has(c.key));
}

/** Keys the user may choose, from whatever arrived (unknown keys dropped). */
export function chosenColumnKeys<R>(columns: readonly Column<R>[], submitted: readonly string[]): string[] {
  const known = new Set(columns.filter((c) => !c.fixed).map((c) => c.key));
  return [...new Set(submitted.filter((k) => known.has(k)))];
}

export function columnChooser<R>(columns: readonly Column<R>[], visible: readonly Column<R>[]) {
  const shown = new Set(visible.map((c) => c.key));
  return columns.map((c) => ({ key: c.key, label: c.label, checked: shown.has(c.key), fixed: Boolean(c.fixed) }));
}

export type ListLinkContext = {
  params: ListParams<string>;
  /** The search part of the query string, kept by every link of the list. */
  search: QueryParams;
  href: (query: QueryParams) => string;
};

export function presentTable<R>(
  visible: readonly Column<R>[],
  rows: readonly R[],
  ctx: ListLinkContext & { rowHref: (row: R) => string },
): Table {
  const { params, search, href } = ctx;
  const headers = visible.map((c): Header => {
    const sorted = params.ordina === c.key;
    const verso = sorted && params.verso === 'asc' ? 'desc' : 'asc';
    return {
      key: c.key,
      label: c.label,
      href: c.unsortable ? null : href({ ...search, ordina: c.key, verso, per: perParam(params) }),
      ariaSort: sorted ? (params.verso === 'asc' ? 'ascending' : 'descending') : 'none',
      sorted,
    };
  });
  return {
    headers,
    rows: rows.map((row) => ({
      cells: visible.map((c, i) => ({
        text: c.cell ? c.cell(row) : cellText(c.kind, c.value(row)),
        cls: [c.kind === 'codice' ? 'codice' : '', c.kind === 'euro' || c.kind === 'int' ? 'text-end text-nowrap' : '', c.kind === 'date' ? 'text-nowrap' : '']
          .filter(Boolean)
          .join(' '),
        ...(i === 0 ? { href: ctx.rowHref(row) } : {}),
        ...badgesOf(c, row),
      })),
    })),
  };
}

function badgesOf<R>(c: Column<R>, row: R): { badges?: string[] } {
  const badge = c.badge?.(row);
  const badges = badge === null || badge === undefined ? [] : typeof badge === 'string' ? [badge] : [...badge];
  return badges.length ? { badges } : {};
}

const perParam = (params: ListParams<string>) => (params.perPagina === 25 ? undefined : params.perPagina);

// 'it' does not group 4-digit numbers by default; counts read better as 1.000.
const COUNT_FORMAT = new Intl.NumberFormat('it-IT', { useGrouping: 'always' });

/** 5000 → '5.000'. */
export const formatCount = (n: number) => COUNT_FORMAT.format(n);

export type PageLink = { n: number; href: string; current: boolean } | { gap: true };

/** `capped`: `total` is only where the count stopped (there are more). */
export function presentPagination(total: number, ctx: ListLinkContext, capped = false) {
  const { params, search, href } = ctx;
  const pages = Math.max(1, Math.ceil(total / params.perPagina));
  const current = Math.min(params.pagina, pages);
  const link = (n: number) => href({ ...search, ordina: params.ordina, verso: params.verso, per: perParam(params), pagina: n === 1 ? undefined : n });
  const wanted = [...new Set([1, current - 2, current - 1, current, current + 1, current + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const items: PageLink[] = [];
  let previous = 0;
  for (const n of wanted) {
    if (n - previous > 1) items.push({ gap: true });
    items.push({ n, href: link(n), current: n === current });
    previous = n;
  }
  const from = total === 0 ? 0 : (current - 1) * params.perPagina + 1;
  const to = Math.min(total, current * params.perPagina);
  return {
    total,
    from,
    to,
    pages: pages > 1 ? items : [],
    prev: current > 1 ? link(current - 1) : null,
    next: current < pages ? link(current + 1) : null,
    summary: capped
      ? `${from}–${to} di oltre ${COUNT_FORMAT.format(total)} risultati: restringi la ricerca, o esporta l’elenco per averli tutti`
      : total === 0 ? 'Nessun risultato' : total === 1 ? '1 risultato' : `${from}–${to} di ${COUNT_FORMAT.format(total)} risultati`,
  };
}
