/**
 * Text that a form field may hold: no control characters (tab, line feed and
 * carriage return excepted) and no lone UTF-16 surrogates. PostgreSQL refuses
 * NUL in text outright, and the others only corrupt exports and flows.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATE_ALL = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const TESTO_NON_AMMESSO = 'Il testo contiene caratteri non ammessi (caratteri di controllo): riscrivilo o incollalo di nuovo come testo semplice';

export function isPlainText(text: string): boolean {
  return !CONTROL.test(text) && !LONE_SURROGATE.test(text);
}

/** For lenient inputs such as search boxes: the same text without the characters isPlainText refuses. */
export function toPlainText(text: string): string {
  return text.replace(CONTROL_ALL, '').replace(LONE_SURROGATE_ALL, '');
}

/** At most `max` characters: a longer text is cut and ends with an ellipsis (labels of pickers). */
export function shortened(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * At most `max` characters, cut at a word boundary when one falls in the last
 * third (else mid-word), without trailing punctuation, ending with an ellipsis.
 */
export function shortenedAtWord(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  const cut = space >= Math.floor((max * 2) / 3) ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,;:.–-]+$/, '')}…`;
}

/** A code as users paste it: trimmed, upper-case, without a leading "CIG:" / "CUP " label, without white space inside. */
export function normalizeCode(input: string, label: 'CIG' | 'CUP'): string {
  return input
    .trim()
    .toUpperCase()
    .replace(new RegExp(`^${label}\\s*[:.]?\\s*`), '')
    .replace(/\s+/g, '');
}
