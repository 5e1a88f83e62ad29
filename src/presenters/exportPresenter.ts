import type ExcelJS from 'exceljs';
import type { Column } from './listPresenter.js';
import { exportText } from './listPresenter.js';
import { csvDocument } from '../domain/csv.js';

/**
 * The registers' exports: the same columns as the list, every matching row.
 * CSV (domain/csv.ts): amounts
 * 1234,56 and dates dd/mm/yyyy. XLSX: amounts as numbers in euro format, dates
 * as real dates. exceljs is loaded at the first XLSX export, not at start: it is the largest
 * library the app imports (about 0.2 s of every start, bench/BENCHMARKS.md, issue 18).
 */
export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  return csvDocument([columns.map((c) => c.label), ...rows.map((row) => columns.map((c) => exportText(c.kind, c.value(row))))]);
}

function xlsxValue(kind: Column<unknown>['kind'], value: string | number | null): ExcelJS.CellValue {
  if (value === null || value === '') return null;
  if (kind === 'euro') return Number(value) / 100;
  if (kind === 'int') return Number(value);
  if (kind === 'date') {
    const [y, m, d] = String(value).split('-').map(Number);
    return new Date(Date.UTC(y ?? 1900, (m ?? 1) - 1, d ?? 1));
  }
  return String(value);
}

export async function toXlsx<R>(sheetName: string, columns: readonly Column<R>[], rows: readonly R[]): Promise<Buffer> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  workbook.creator = 'Bilancio Scuola';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    header: c.label,
    key: c.key,
    width: c.kind === 'text' ? 40 : c.kind === 'codice' ? 18 : 16,
    style: c.kind === 'euro' ? { numFmt: '#,##0.00 "€"' } : c.kind === 'date' ? { numFmt: 'dd/mm/yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    sheet.addRow(columns.map((c) => xlsxValue(c.kind, c.value(row))));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}
