/**
 * CUP (Codice Unico di Progetto): normalisation and validation by shape.
 *
 * Rules: docs/dominio.md §3. No check character has ever been published, so the
 * only test is the shape `^[A-Z][0-9]{2}[A-Z][0-9]{11}$`. Positions 5–6 are the
 * last two digits of the year the project was decided; the year is NEVER a
 * reason to reject (real CUPs from 1995 exist), at most a warning.
 *
 * Pure module: no I/O, no imports from outside src/domain.
 */
import { todayIso, yearOf } from './dates.js';
import { normalizeCode } from './text.js';

export const CUP_LENGTH = 15;
/** Before this year a decision year is unusual (warning only). */

export type CupValidation =
  | { ok: true; codice: string; annoDecisione: number | null }
  | { ok: false; codice: string; reason: string };

const EXAMPLE = 'C44D22002780006';

/** Trim, upper-case, strip a leading "CUP:" / "CUP " prefix, remove inner whitespace. */
export function normalizeCup(input: string): string {
  return normalizeCode(input, 'CUP');
}

/** Expected kind of character at each 0-based position. */
function expectsLetter(index: number): boolean {
  return index === 0 || index === 3;
}

function describeChar(ch: string): string {
  return `«${ch}»`;
}

/** Current year in Rome (the app's reference clock). */
function currentYear(today: Date): number {
  return yearOf(todayIso(today));
}

/**
 * Decision year from the two digits at positions 5–6: 20yy when that is not
 * later than next year; otherwise unknown (null). Two digits cannot tell 19yy
 * from a future 20yy typed by mistake, so the app does not guess: the year stays
 * empty and cupWarnings says why.
 */
export function annoDecisioneFromYy(yy: number, today: Date = new Date()): number | null {
  return 2000 + yy <= currentYear(today) + 1 ? 2000 + yy : null;
}

export function validateCup(input: string, today: Date = new Date()): CupValidation {
  const codice = normalizeCup(input);
  if (codice === '') return { ok: false, codice, reason: 'Inserisci il codice CUP.' };

  if (codice.length !== CUP_LENGTH) {
    const n = codice.length;
    const found = n === 1 ? "qui ce n'è 1" : `qui ce ne sono ${n}`;
    return {
      ok: false,
      codice,
      reason: `Lunghezza errata: il CUP ha 15 caratteri, ${found}. Controlla di averlo copiato per intero, senza caratteri in più.`,
    };
  }

  for (let i = 0; i < CUP_LENGTH; i++) {
    const ch = codice.charAt(i);
    const letter = expectsLetter(i);
    const good = letter ? /^[A-Z]$/.test(ch) : /^[0-9]$/.test(ch);
    if (!good) {
      const want = letter ? 'una lettera (A-Z)' : 'una cifra (0-9)';
      let hint = '';
      if (!letter && ch === 'O') hint = ' Forse è uno zero (0) scritto come lettera O?';
      if (letter && ch === '0') hint = ' Forse è una lettera O scritta come zero (0)?';
      return {
        ok: false,
        codice,
        reason:
          `Carattere non ammesso in posizione ${i + 1}: ${describeChar(ch)}, qui ci vuole ${want}.${hint} ` +
          `Un CUP è fatto così: 1 lettera, 2 cifre, 1 lettera, 11 cifre (per esempio ${EXAMPLE}).`,
      };
    }
  }

  const yy = Number(codice.slice(4, 6));
  return { ok: true, codice, annoDecisione: annoDecisioneFromYy(yy, today) };
}

/** Convenience boolean form of {@link validateCup}. */
export function isValidCup(input: string): boolean {
  return validateCup(input).ok;
}

/**
 * Non-blocking remarks on a CUP (Italian, for the user). Empty for an invalid
 * code (its validation reason says what is wrong) and for ordinary codes. The
 * only remark: digits that would make a future year, so the year stays empty.
 */
export function cupWarnings(codice: string, today: Date = new Date()): string[] {
  const v = validateCup(codice, today);
  if (!v.ok || v.annoDecisione !== null) return [];
  const yy = v.codice.slice(4, 6);
  return [
    `Le cifre «${yy}» in 5ª e 6ª posizione indicherebbero il 20${yy}, un anno futuro: l’anno di decisione resta vuoto ` +
      `(può essere un progetto del 19${yy}, o un errore di battitura). Il CUP viene accettato; controlla il codice su OpenCUP.`,
  ];
}

/** Link to the project's page on OpenCUP (only useful when online). */
export function openCupUrl(codice: string): string {
  return `https://opencup.gov.it/portale/progetto/-/cup/${encodeURIComponent(normalizeCup(codice))}`;
}

/** Stored values are the labels themselves: they match the database's check constraint on cup.fonte_finanziamento. */
export const FONTI_FINANZIAMENTO = [
  { value: 'PNRR', label: 'PNRR' },
  { value: 'PON/FSE', label: 'PON/FSE' },
  { value: 'FESR', label: 'FESR' },
  { value: 'Stato', label: 'Stato' },
  { value: 'Enti locali', label: 'Enti locali' },
  { value: 'Privati', label: 'Privati' },
  { value: 'Altro', label: 'Altro' },
] as const;

export type FonteFinanziamento = (typeof FONTI_FINANZIAMENTO)[number]['value'];

export function isFonteFinanziamento(value: unknown): value is FonteFinanziamento {
  return typeof value === 'string' && FONTI_FINANZIAMENTO.some((f) => f.value === value);
}

/**
 * The description the import gives a CUP it found only as text, without a
 * project description nearby: such a CUP is "da completare" (cup.da_completare)
 * until someone writes its real description.
 */
export const CUP_DESCRIZIONE_IMPORTATA = 'CUP importato dai documenti precedenti';

/** A description that completes a CUP: anything but the import's placeholder. */
export const isRealCupDescription = (descrizione: string | null | undefined): descrizione is string =>
  typeof descrizione === 'string' && descrizione.trim() !== '' && descrizione.trim() !== CUP_DESCRIZIONE_IMPORTATA;
