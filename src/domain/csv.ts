/**
 * The one CSV writer of the app (register exports, Flussi lists): for Excel in
 * Italian, UTF-8 with BOM, ';' separator, CRLF.
 *
 * A cell that Excel would read as a formula (leading = + - @, tab or carriage
 * return: OWASP's list) gets a leading apostrophe and quotes, so a code or a
 * description typed by someone can never run as a formula. A plain number such
 * as -12,34 is left as it is: Excel reads it as a number, not as a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(,\d+)?$/;

export function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return /[";\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvDocument(rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(';')).join('\r\n') + '\r\n';
}
