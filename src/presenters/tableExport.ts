import ExcelJS from 'exceljs';
import type { Column } from './listPresenter.js';
import { exportText } from './listPresenter.js';

/**
 * The registers' exports: the same columns as the list, every matching row.
 * CSV for Excel in Italian: UTF-8 with BOM, ';' separator, CRLF, amounts
 * 1234,56 and dates dd/mm/yyyy. XLSX: amounts as numbers in euro format, dates
 * as real dates.
 */
const BOM = '\uFEFF';

function csvCell(text: string): string {
  // Quote when needed; a leading = + - @ would be read by Excel as a formula: neutralise it.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(,\d+)?$/.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[]): string {
  const lines = [columns.map((c) => csvCell(c.label)).join(';')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(exportText(c.kind, c.value(row)))).join(';'));
  return BOM + lines.join('\r\n') + '\r\n';
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
  const workbook = new ExcelJS.Workbook();
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
