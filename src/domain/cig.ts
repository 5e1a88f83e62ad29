/**
 * CIG (Codice Identificativo Gara): normalisation and validation.
 *
 * Rules: docs/dominio.md §2, i.e. ANAC's own algorithm (anticorruzione/npa,
 * "algoritmoValidazioneCIG.md"; same computation as SIMOG `CIGUtils`).
 *
 * | famiglia  | forma        | controllo                                   |
 * |-----------|--------------|---------------------------------------------|
 * | ordinario | `NNNNNNNKKK` | KKK = hex3((N × 211) mod 4091), N decimale  |
 * | smart     | `AKKCCCCCCC` | KK  = hex2((C × 211) mod 251), C esadecimale|
 * | pcp       | `ANNNNNNKKK` | KKK = hex3(((N + ord(A)) × 211) mod 4091)   |
 *
 * All intermediate values stay far below 2^53 (max ≈ 5.7e10 for SmartCIG),
 * so plain JS numbers are exact here.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

import { normalizeCode } from './text.js';

export type CigFamily = 'ordinario' | 'smart' | 'pcp';

export const CIG_FAMILY_LABELS: Record<CigFamily, string> = {
  ordinario: 'CIG ordinario',
  smart: 'SmartCIG',
  pcp: 'CIG PCP',
};

export const CIG_LENGTH = 10;

export type CigValidation =
  | { ok: true; codice: string; famiglia: CigFamily }
  | { ok: false; codice: string; reason: string };

const HEX_CHAR = /^[0-9A-F]$/;
const DIGIT_CHAR = /^[0-9]$/;
const SMART_LETTERS = new Set(['X', 'Y', 'Z']);

/**
 * Trim, upper-case, strip a leading "CIG:" / "CIG " / "CIG" prefix and remove
 * any whitespace left inside the code (users paste "9050626 CD6").
 * Stripping "CIG" is safe: no valid CIG starts with "CIG" ("I" and "G" are not hex).
 */
export function normalizeCig(input: string): string {
  return normalizeCode(input, 'CIG');
}

/** Upper-case hexadecimal, left-padded with zeros to `width` characters. */
function hex(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

/** Family of a normalised code from its first character, or null if not allowed. */
export function cigFamilyOf(codice: string): CigFamily | null {
  const first = codice.charAt(0);
  if (/^[0-9]$/.test(first)) return 'ordinario';
  if (SMART_LETTERS.has(first)) return 'smart';
  if (/^[A-U]$/.test(first)) return 'pcp';
  return null;
}

/** Check part (3 hex chars) of an ordinario CIG from its 7-digit progressive N. */
export function cigCheckOrdinario(progressivo: number): string {
  return hex((progressivo * 211) % 4091, 3);
}

/** Check part (2 hex chars) of a SmartCIG from the value C of its last 7 hex chars. */
export function cigCheckSmart(progressivo: number): string {
  return hex((progressivo * 211) % 251, 2);
}

/**
 * Position of a letter in the standard 26-letter alphabet (A=1 … J=10 … U=21).
 * NOT the 21-letter Italian alphabet.
 */
export function cigLetterOrdinal(letter: string): number {
  return letter.toUpperCase().charCodeAt(0) - 'A'.charCodeAt(0) + 1;
}

/** Check part (3 hex chars) of a PCP CIG from its letter and the value N of its 6 hex chars. */
export function cigCheckPcp(letter: string, progressivo: number): string {
  return hex(((progressivo + cigLetterOrdinal(letter)) * 211) % 4091, 3);
}

/**
 * The check part a well-formed code should carry, with the code it would
 * become. Returns null when the code does not have a valid shape.
 */
export function expectedCig(input: string): { check: string; codice: string } | null {
  const codice = normalizeCig(input);
  const shape = checkShape(codice);
  if (!shape.ok) return null;
  return computeExpected(codice, shape.famiglia);
}

function computeExpected(codice: string, famiglia: CigFamily): { check: string; codice: string } {
  switch (famiglia) {
    case 'ordinario': {
      const check = cigCheckOrdinario(Number.parseInt(codice.slice(0, 7), 10));
      return { check, codice: codice.slice(0, 7) + check };
    }
    case 'smart': {
      const check = cigCheckSmart(Number.parseInt(codice.slice(3), 16));
      return { check, codice: codice.charAt(0) + check + codice.slice(3) };
    }
    case 'pcp': {
      const check = cigCheckPcp(codice.charAt(0), Number.parseInt(codice.slice(1, 7), 16));
      return { check, codice: codice.slice(0, 7) + check };
    }
  }
}

function describeChar(ch: string): string {
  return ch === '' ? '(vuoto)' : `«${ch}»`;
}

type ShapeResult = { ok: true; famiglia: CigFamily } | { ok: false; reason: string };

/** Everything except the check part: length, first character, character classes, zero progressive. */
function checkShape(codice: string): ShapeResult {
  if (codice === '') return { ok: false, reason: 'Inserisci il codice CIG.' };

  if (codice.length !== CIG_LENGTH) {
    const n = codice.length;
    const found = n === 1 ? "qui ce n'è 1" : `qui ce ne sono ${n}`;
    return {
      ok: false,
      reason: `Lunghezza errata: il CIG ha 10 caratteri, ${found}. Controlla di averlo copiato per intero, senza caratteri in più.`,
    };
  }

  const first = codice.charAt(0);
  const famiglia = cigFamilyOf(codice);
  if (famiglia === null) {
    return {
      ok: false,
      reason:
        `Primo carattere non ammesso: ${describeChar(first)}. Un CIG inizia con una cifra (CIG ordinario), ` +
        'con X, Y o Z (SmartCIG) oppure con una lettera da A a U (CIG PCP, dal 2024). Controlla il codice.',
    };
  }

  const label = CIG_FAMILY_LABELS[famiglia];
  for (let i = 1; i < CIG_LENGTH; i++) {
    const ch = codice.charAt(i);
    const pos = i + 1;
    const hint = ch === 'O' ? ' Forse è uno zero (0) scritto come lettera O?' : '';
    if (famiglia === 'ordinario' && i < 7) {
      if (!DIGIT_CHAR.test(ch)) {
        return {
          ok: false,
          reason:
            `Carattere non ammesso in posizione ${pos}: ${describeChar(ch)}. ` +
            `Nel ${label} i primi 7 caratteri sono solo cifre (0-9).${hint}`,
        };
      }
    } else if (!HEX_CHAR.test(ch)) {
      const allowed =
        famiglia === 'ordinario'
          ? `Nel ${label} gli ultimi 3 caratteri sono cifre (0-9) o lettere da A a F.`
          : `Nel ${label}, dopo la lettera iniziale, ci sono solo cifre (0-9) o lettere da A a F.`;
      return {
        ok: false,
        reason: `Carattere non ammesso in posizione ${pos}: ${describeChar(ch)}. ${allowed}${hint}`,
      };
    }
  }

  if (famiglia === 'ordinario' && /^0{7}/.test(codice)) {
    return {
      ok: false,
      reason:
        'Il numero progressivo del CIG ordinario (le prime 7 cifre) non può essere tutto zeri: ' +
        'controlla di aver copiato il codice corretto.',
    };
  }
  if (famiglia === 'smart' && /^0{7}$/.test(codice.slice(3))) {
    return {
      ok: false,
      reason:
        'Il numero progressivo dello SmartCIG (gli ultimi 7 caratteri) non può essere tutto zeri: ' +
        'controlla di aver copiato il codice corretto.',
    };
  }

  return { ok: true, famiglia };
}

/**
 * Validate a CIG. `codice` in the result is always the normalised input, so the
 * caller can store it (when ok) or show it back to the user (when not).
 */
export function validateCig(input: string): CigValidation {
  const codice = normalizeCig(input);
  const shape = checkShape(codice);
  if (!shape.ok) return { ok: false, codice, reason: shape.reason };

  const { famiglia } = shape;
  const expected = computeExpected(codice, famiglia);
  const actual = famiglia === 'smart' ? codice.slice(1, 3) : codice.slice(7);
  if (actual !== expected.check) {
    const where = famiglia === 'smart' ? '2° e 3° carattere' : 'ultimi 3 caratteri';
    return {
      ok: false,
      codice,
      reason:
        `Carattere di controllo errato: atteso ${expected.check} (${where}), trovato ${actual}. ` +
        `Con questo progressivo il codice sarebbe ${expected.codice}. ` +
        'Probabilmente il CIG è stato copiato male: ricontrollalo sul documento o sul portale ANAC.',
    };
  }
  return { ok: true, codice, famiglia };
}

/** Convenience boolean form of {@link validateCig}. */
export function isValidCig(input: string): boolean {
  return validateCig(input).ok;
}

/** Link to ANAC's public page for the CIG (only useful when online). */
export function anacCigUrl(codice: string): string {
  return `https://dati.anticorruzione.it/superset/dashboard/dettaglio_cig/?cig=${encodeURIComponent(normalizeCig(codice))}`;
}

/**
 * Non-blocking remarks on a CIG's dates (Italian, for the user). Real ANAC
 * records break naive date rules (docs/dominio.md §2.5), so these are never errors.
 * Dates are 'YYYY-MM-DD' strings; `today` too.
 */
export function cigWarnings(
  cig: { famiglia: CigFamily | null; dataGenerazione: string | null; dataScadenzaOfferte: string | null },
  today: string,
): string[] {
  const warnings: string[] = [];
  const it = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const { famiglia, dataGenerazione: gen, dataScadenzaOfferte: scad } = cig;
  if (gen && scad && scad < gen) {
    warnings.push(
      `La scadenza delle offerte (${it(scad)}) è precedente alla data di generazione (${it(gen)}). ` +
        'Nei dati ANAC succede, ma controlla di aver scritto bene le date.',
    );
  }
  if (gen && gen > today) warnings.push(`La data di generazione (${it(gen)}) è nel futuro: controlla che sia giusta.`);
  if (gen && famiglia === 'pcp' && gen < '2024-01-01') {
    warnings.push(`I CIG PCP esistono dal 1° gennaio 2024, ma la data di generazione è il ${it(gen)}: controlla codice e data.`);
  }
  if (gen && (famiglia === 'ordinario' || famiglia === 'smart') && gen >= '2024-01-01') {
    warnings.push(
      `Dal 1° gennaio 2024 ANAC genera solo CIG PCP, ma questo ${CIG_FAMILY_LABELS[famiglia]} ha data di generazione ${it(gen)}: controlla codice e data.`,
    );
  }
  return warnings;
}
