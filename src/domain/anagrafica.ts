/**
 * Identifiers of creditori/beneficiari: codice fiscale, partita IVA, IBAN.
 * Each validator normalises the input (trim, upper-case, no spaces) and returns
 * the normalised value or an Italian reason for the user.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

export type IdValidation = { ok: true; value: string } | { ok: false; reason: string };

function compact(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, '');
}

function lengthReason(what: string, expected: string, n: number): string {
  const found = n === 1 ? "qui ce n'è 1" : `qui ce ne sono ${n}`;
  return `Lunghezza errata: ${what} deve avere ${expected} caratteri, ${found}.`;
}

// ---------------------------------------------------------------- partita IVA

/** Check digit (11th) of a partita IVA / numeric codice fiscale from its first 10 digits. */
export function partitaIvaCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(first10.charAt(i));
    if (i % 2 === 0) {
      sum += d; // 1st, 3rd, … digit (1-based odd)
    } else {
      const doubled = d * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

function checkNumeric11(value: string, what: string, withArticle: string): IdValidation {
  const bad = [...value].findIndex((c) => !/\d/.test(c));
  if (bad >= 0) {
    return {
      ok: false,
      reason: `Carattere non ammesso in posizione ${bad + 1}: «${value.charAt(bad)}». ${withArticle.charAt(0).toUpperCase()}${withArticle.slice(1)} contiene solo cifre.`,
    };
  }
  if (value.length !== 11) return { ok: false, reason: lengthReason(withArticle, '11', value.length) };
  if (/^0{11}$/.test(value)) return { ok: false, reason: `Un numero fatto solo di zeri non è valido come ${what}.` };
  const expected = partitaIvaCheckDigit(value.slice(0, 10));
  if (Number(value.charAt(10)) !== expected) {
    return {
      ok: false,
      reason: `Cifra di controllo errata: l'ultima cifra dovrebbe essere ${expected}. Controlla di aver copiato bene il numero.`,
    };
  }
  return { ok: true, value };
}

/** Partita IVA: 11 digits with the official (Luhn-style) check digit. An 'IT' prefix is accepted and removed. */
export function validatePartitaIva(piva: string): IdValidation {
  const value = compact(piva).replace(/^IT/, '');
  if (value === '') return { ok: false, reason: 'Inserisci la partita IVA.' };
  return checkNumeric11(value, 'partita IVA', 'la partita IVA');
}

// ------------------------------------------------------------ codice fiscale

/** Values of characters in odd positions (1st, 3rd, …) for the check character. */
const CF_ODD: Record<string, number> = {
  '0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};

/** Letters that replace digits in an omocodic codice fiscale: L=0, M=1 … V=9. */
const OMOCODIA = 'LMNPQRSTUV';
const CF_MONTHS = 'ABCDEHLMPRST';
/** 0-based positions that hold digits (or their omocodia letters). */
const CF_NUMERIC_POSITIONS = [6, 7, 9, 10, 12, 13, 14];

function cfEvenValue(ch: string): number {
  return /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
}

/** Check character (16th) of a persona-fisica codice fiscale from its first 15 characters. */
export function codiceFiscaleCheckChar(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const ch = first15.charAt(i);
    sum += i % 2 === 0 ? (CF_ODD[ch] ?? 0) : cfEvenValue(ch);
  }
  return String.fromCharCode(65 + (sum % 26));
}

function omocodiaDigit(ch: string): string {
  const idx = OMOCODIA.indexOf(ch);
  return idx >= 0 ? String(idx) : ch;
}

/**
 * Codice fiscale: 16 characters for a persona fisica (with the official check
 * character, omocodia letters allowed), or 11 digits for enti and companies
 * (checked like a partita IVA).
 */
export function validateCodiceFiscale(cf: string): IdValidation {
  const value = compact(cf);
  if (value === '') return { ok: false, reason: 'Inserisci il codice fiscale.' };
  if (/^\d+$/.test(value)) return checkNumeric11(value, 'codice fiscale numerico', 'il codice fiscale numerico');
  if (value.length !== 16) {
    return {
      ok: false,
      reason: `${lengthReason('il codice fiscale', '16', value.length)} Per enti e società si usa il codice fiscale numerico di 11 cifre.`,
    };
  }

  for (let i = 0; i < 16; i++) {
    const ch = value.charAt(i);
    const pos = i + 1;
    if (CF_NUMERIC_POSITIONS.includes(i)) {
      if (!/\d/.test(ch) && !OMOCODIA.includes(ch)) {
        return { ok: false, reason: `Carattere non ammesso in posizione ${pos}: «${ch}», qui ci vuole una cifra.` };
      }
    } else if (!/[A-Z]/.test(ch)) {
      return { ok: false, reason: `Carattere non ammesso in posizione ${pos}: «${ch}», qui ci vuole una lettera.` };
    }
  }

  const month = value.charAt(8);
  if (!CF_MONTHS.includes(month)) {
    return {
      ok: false,
      reason: `La 9ª lettera («${month}») indica il mese di nascita e deve essere una tra ${CF_MONTHS.split('').join(', ')}.`,
    };
  }
  const day = Number(omocodiaDigit(value.charAt(9)) + omocodiaDigit(value.charAt(10)));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) {
    return {
      ok: false,
      reason: `Il giorno di nascita (${String(day).padStart(2, '0')}, caratteri 10-11) non è valido: va da 01 a 31, o da 41 a 71 per le donne.`,
    };
  }

  const expected = codiceFiscaleCheckChar(value.slice(0, 15));
  if (value.charAt(15) !== expected) {
    return {
      ok: false,
      reason: `Carattere di controllo errato: l'ultima lettera dovrebbe essere ${expected}. Controlla di aver copiato bene il codice fiscale.`,
    };
  }
  return { ok: true, value };
}

// ----------------------------------------------------------------------- IBAN

/** Remainder mod 97 of the ISO 13616 rearranged IBAN (letters as 10–35), computed piecewise. */
function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const digit of v) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest;
}

/** The two check digits for a country code and BBAN (ISO 13616). */
export function ibanCheckDigits(country: string, bban: string): string {
  const rest = ibanMod97(`${country.toUpperCase()}00${bban.toUpperCase()}`);
  return String(98 - rest).padStart(2, '0');
}

const IT_IBAN_LENGTH = 27;

/**
 * IBAN: ISO 13616 mod-97 check; an Italian IBAN (IT…) must have 27 characters
 * with the Italian layout (CIN letter, ABI, CAB, 12-character account).
 */
export function validateIban(iban: string): IdValidation {
  const value = compact(iban).replace(/^IBAN:?/, '');
  if (value === '') return { ok: false, reason: "Inserisci l'IBAN." };
  const bad = [...value].findIndex((c) => !/[A-Z0-9]/.test(c));
  if (bad >= 0) {
    return { ok: false, reason: `Carattere non ammesso in posizione ${bad + 1}: «${value.charAt(bad)}». L'IBAN contiene solo lettere e cifre.` };
  }
  if (!/^[A-Z]{2}/.test(value)) {
    return { ok: false, reason: "L'IBAN deve iniziare con la sigla del paese (per esempio IT)." };
  }
  if (!/^[A-Z]{2}\d{2}/.test(value)) {
    return { ok: false, reason: "Il 3° e il 4° carattere dell'IBAN devono essere cifre (sono le cifre di controllo)." };
  }
  if (value.startsWith('IT')) {
    if (value.length !== IT_IBAN_LENGTH) {
      return { ok: false, reason: lengthReason("l'IBAN italiano", '27', value.length) };
    }
    if (!/^IT\d{2}[A-Z]\d{10}[A-Z0-9]{12}$/.test(value)) {
      return {
        ok: false,
        reason: "L'IBAN italiano è fatto così: IT, 2 cifre, 1 lettera (CIN), 5 cifre (ABI), 5 cifre (CAB), 12 caratteri del conto.",
      };
    }
  } else if (value.length < 15 || value.length > 34) {
    return { ok: false, reason: `Lunghezza errata: un IBAN ha da 15 a 34 caratteri, qui ce ne sono ${value.length}.` };
  }
  if (ibanMod97(value) !== 1) {
    return {
      ok: false,
      reason: "IBAN non valido: le cifre di controllo non corrispondono. Probabilmente c'è un errore di battitura: ricontrollalo carattere per carattere.",
    };
  }
  return { ok: true, value };
}
