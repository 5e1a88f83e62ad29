/**
 * Money as INTEGER CENTS (number, always a safe integer). Never floats.
 *
 * Parsing rules (Italian users, `parseEuro`):
 * - the comma is ALWAYS the decimal separator: '1234,56', '1.234,56';
 *   at most 2 decimals, so '12,345' (3 decimals) is rejected, not read as 12345;
 * - a dot followed by exactly 3 digits is a thousands separator: '1.234' = 1234 €,
 *   '1.234.567,8' = 1 234 567,80 €; the groups must be well formed (1–3 digits, then 3-digit groups);
 * - a single dot followed by 1–2 digits at the end, with no comma, is a decimal
 *   point (pasted from a spreadsheet/English source): '1234.56', '1.5';
 * - optional '€' (before or after) and spaces (also non-breaking), optional leading '-'
 *   (returned as a negative number: the caller decides whether it is allowed);
 * - '1234' is whole euros; ',50' is 50 cents;
 * - anything else (letters, '1,2,3', '1.2345', '12.34.56', trailing comma,
 *   values beyond Number.MAX_SAFE_INTEGER cents, empty) → null.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

/** '1.234.567' (dotted thousands) with optional ',d' / ',dd'. */
const DOTTED_THOUSANDS = /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/;
/** '1234567', '1234,5', ',50'. */
const PLAIN_COMMA = /^(\d*)(?:,(\d{1,2}))?$/;
/** '1234.56', '1.5' — a single dot as decimal point. */
const PLAIN_DOT = /^(\d*)\.(\d{1,2})$/;

const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

export function parseEuro(input: string): number | null {
  let s = input.replace(/[\s\u00A0\u202F]/g, '').replace(/€/g, '');
  if (s === '') return null;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('\u2212')) {
    negative = true;
    s = s.slice(1);
  }

  let intDigits: string;
  let decDigits: string;
  const dotted = DOTTED_THOUSANDS.exec(s);
  const comma = dotted ? null : PLAIN_COMMA.exec(s);
  const dot = dotted || comma ? null : PLAIN_DOT.exec(s);
  if (dotted) {
    intDigits = (dotted[1] ?? '').replace(/\./g, '');
    decDigits = dotted[2] ?? '';
  } else if (comma) {
    intDigits = comma[1] ?? '';
    decDigits = comma[2] ?? '';
  } else if (dot) {
    intDigits = dot[1] ?? '';
    decDigits = dot[2] ?? '';
  } else {
    return null;
  }
  if (intDigits === '' && decDigits === '') return null;

  const cents = BigInt(intDigits === '' ? '0' : intDigits) * 100n + BigInt(decDigits.padEnd(2, '0'));
  if (cents > MAX_CENTS) return null;
  const value = Number(cents);
  return negative && value !== 0 ? -value : value;
}

function assertCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`Amount must be an integer number of cents, got ${String(cents)}`);
  }
}

/** Split |cents| into integer-euro digits and the 2 decimal digits, exactly (string arithmetic). */
function splitCents(cents: number): { negative: boolean; euros: string; dec: string } {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return { negative: cents < 0, euros: digits.slice(0, -2), dec: digits.slice(-2) };
}

const EURO_FORMAT = new Intl.NumberFormat('it-IT', {
  style: 'currency',
  currency: 'EUR',
  // 'it' does not group 4-digit numbers by default (1234,56 €); users expect 1.234,56 €.
  useGrouping: 'always',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * 123456 → '1.234,56 €' (the space before € is U+00A0, as Intl produces it).
 * Formats from an exact decimal string, so large amounts do not lose cents.
 */
export function formatEuro(cents: number): string {
  assertCents(cents);
  const { negative, euros, dec } = splitCents(cents);
  const decimal = `${negative ? '-' : ''}${euros}.${dec}` as `${number}`;
  return EURO_FORMAT.format(decimal);
}

/** 123456 → '1234,56' (CSV cells: no thousands separator, comma decimal, no symbol). */
export function formatCentsPlain(cents: number): string {
  assertCents(cents);
  const { negative, euros, dec } = splitCents(cents);
  return `${negative ? '-' : ''}${euros},${dec}`;
}

/** 123456 → '1.234,56' (to re-fill a form input; `parseEuro` reads it back). */
export function centsToInputValue(cents: number): string {
  assertCents(cents);
  const { negative, euros, dec } = splitCents(cents);
  const grouped = euros.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${negative ? '-' : ''}${grouped},${dec}`;
}
