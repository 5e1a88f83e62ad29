/**
 * Small pure helpers for the demo seed: codes that are valid by construction
 * (CIG of the three ANAC families, partita IVA, codice fiscale, IBAN) and a
 * seeded pseudo-random generator, so the demo data is the same on every run.
 *
 * The CIG formulas are ANAC's (docs/dominio.md §2.2). They are written again here on
 * purpose, apart from the app's validator, so the seed does not depend on the
 * code it is meant to exercise. Partita IVA and codice fiscale check characters
 * come from the domain module, which has its own tests.
 */
import { codiceFiscaleCheckChar, partitaIvaCheckDigit } from '../src/domain/anagrafica.js';

/** Upper-case hexadecimal, left-padded with zeros to `width` characters. */
export function hexPad(value: number, width: number): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

function assertInteger(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} fuori intervallo: ${value}`);
  }
}

/** CIG ordinario (SIMOG): 7 decimal digits N + hex3((N × 211) mod 4091). */
export function cigOrdinario(n: number): string {
  assertInteger(n, 1, 9_999_999, 'Progressivo CIG ordinario');
  return String(n).padStart(7, '0') + hexPad((n * 211) % 4091, 3);
}

/** SmartCIG: X/Y/Z + hex2((C × 211) mod 251) + 7 hex digits C. */
export function cigSmart(prefix: 'X' | 'Y' | 'Z', c: number): string {
  assertInteger(c, 1, 0xfffffff, 'Progressivo SmartCIG');
  return prefix + hexPad((c * 211) % 251, 2) + hexPad(c, 7);
}

/** Position of a letter in the standard alphabet: A=1 … J=10 … U=21. */
export function ordLettera(letter: string): number {
  return letter.charCodeAt(0) - 64;
}

/** CIG PCP (since 2024): letter A–U + 6 hex digits N + hex3(((N + ord(letter)) × 211) mod 4091). */
export function cigPcp(letter: string, n: number): string {
  if (!/^[A-U]$/.test(letter)) throw new RangeError(`Lettera CIG PCP non ammessa: ${letter}`);
  assertInteger(n, 0, 0xffffff, 'Progressivo CIG PCP');
  return letter + hexPad(n, 6) + hexPad(((n + ordLettera(letter)) * 211) % 4091, 3);
}

/** The same code with a deliberately wrong check part (for invalid legacy values). */
export function conControlloErrato(code: string): string {
  const family = /^[XYZ]/.test(code) ? 'smart' : 'altro';
  if (family === 'smart') {
    const kk = parseInt(code.slice(1, 3), 16);
    return code[0] + hexPad((kk + 0x11) % 256, 2) + code.slice(3);
  }
  const kkk = parseInt(code.slice(7), 16);
  return code.slice(0, 7) + hexPad((kkk + 1) % 4096, 3);
}

/** The complete 11-digit partita IVA: the 10 given digits plus the check digit. */
export function partitaIva(first10: string): string {
  if (!/^[0-9]{10}$/.test(first10)) throw new RangeError(`Servono 10 cifre: ${first10}`);
  return first10 + String(partitaIvaCheckDigit(first10));
}

// Values of characters in odd positions, shared by the codice fiscale and the IBAN's CIN.
const ODD_VALUES = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

function oddEvenCheckLetter(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const index = /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? (ODD_VALUES[index] as number) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** A person's 16-character codice fiscale from its first 15 characters (adds the check letter). */
export function codiceFiscalePersona(first15: string): string {
  if (!/^[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}$/.test(first15)) {
    throw new RangeError(`Codice fiscale parziale non valido: ${first15}`);
  }
  return first15 + codiceFiscaleCheckChar(first15);
}

function mod97(digits: string): number {
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest;
}

/** An Italian IBAN from ABI (5), CAB (5) and account number (12): computes the CIN and the check digits. */
export function ibanItaliano(abi: string, cab: string, conto: string): string {
  if (!/^[0-9]{5}$/.test(abi) || !/^[0-9]{5}$/.test(cab) || !/^[0-9A-Z]{12}$/.test(conto)) {
    throw new RangeError('ABI, CAB o numero di conto non validi');
  }
  const bban = oddEvenCheckLetter(abi + cab + conto) + abi + cab + conto;
  const numeric = (bban + 'IT00').replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  const check = 98 - mod97(numeric);
  return `IT${String(check).padStart(2, '0')}${bban}`;
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). Same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
