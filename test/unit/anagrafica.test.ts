import { describe, it, expect } from 'vitest';
import {
  codiceFiscaleCheckChar,
  ibanCheckDigits,
  partitaIvaCheckDigit,
  validateCodiceFiscale,
  validateIban,
  validatePartitaIva,
} from '../../src/domain/anagrafica.js';
import { itRejects, reasonOf } from '../helpers/validation.js';

/*
 * Vectors: well-known public examples (RSSMRA85T10A562S, the Agenzia delle
 * Entrate partita IVA 06363391001, IT60X0542811101000000123456, the ISO 13616
 * examples DE89… and GB29…) and others computed with an independent Python
 * implementation of the same algorithms.
 */

describe('validatePartitaIva', () => {
  it.each(['06363391001', '02116830213', '12345678903', '80000000002', '00000000018'])('accepts %s', (piva) => {
    expect(validatePartitaIva(piva)).toEqual({ ok: true, value: piva });
  });

  it('normalises spaces and the IT prefix', () => {
    expect(validatePartitaIva(' 063 633 910 01 ')).toEqual({ ok: true, value: '06363391001' });
    expect(validatePartitaIva('IT06363391001')).toEqual({ ok: true, value: '06363391001' });
    expect(validatePartitaIva('it 06363391001')).toEqual({ ok: true, value: '06363391001' });
  });

  itRejects(validatePartitaIva, [
    // a wrong check digit: the expected one is named
    ['06363391002', 'Cifra di controllo errata', '1'],
    ['12345678900', 'dovrebbe essere 3'],
    // wrong length, letters, zeros
    ['0636339100', 'Lunghezza errata', '10'],
    ['063633910011', 'Lunghezza errata'],
    ['0636339A001', 'posizione 8'],
    ['00000000000', 'zeri'],
  ]);

  it('computes the check digit', () => {
    expect(partitaIvaCheckDigit('0636339100')).toBe(1);
    expect(partitaIvaCheckDigit('1234567890')).toBe(3);
    expect(partitaIvaCheckDigit('8000000000')).toBe(2);
  });
});

describe('validateCodiceFiscale', () => {
  it.each([
    'RSSMRA85T10A562S',
    'BNCLRA90A41H501F', // woman: day + 40
    'VRDGPP80E50F205L',
    'MRNLCU00A01H501J',
    // omocodia: digits replaced by L M N P Q R S T U V
    'RSSMRA85T10A56NH',
    'RSSMRA85T10A5SNT',
    'RSSMRA85T1LA562V',
    'RSSMRAURTMLARSNL',
  ])('accepts %s', (cf) => {
    expect(validateCodiceFiscale(cf)).toEqual({ ok: true, value: cf });
  });

  it('normalises case and spaces', () => {
    expect(validateCodiceFiscale(' rssmra85t10a562s ')).toEqual({ ok: true, value: 'RSSMRA85T10A562S' });
    expect(validateCodiceFiscale('RSS MRA 85T10 A562S')).toEqual({ ok: true, value: 'RSSMRA85T10A562S' });
  });

  it('accepts the 11-digit numeric codice fiscale of enti and companies', () => {
    expect(validateCodiceFiscale('06363391001')).toEqual({ ok: true, value: '06363391001' });
    expect(validateCodiceFiscale('80000000002')).toEqual({ ok: true, value: '80000000002' });
    expect(reasonOf(validateCodiceFiscale('80000000003'))).toContain('dovrebbe essere 2');
  });

  itRejects(validateCodiceFiscale, [
    // a wrong check character: the expected one is named
    ['RSSMRA85T10A562T', 'Carattere di controllo errato', 'dovrebbe essere S'],
    ['RSSMRA85T10A56NS', 'dovrebbe essere H'],
    // bad shapes, each with its specific reason
    ['RSSMRA85T10A562', 'Lunghezza errata', '11 cifre'],
    ['RSSMRA85T10A562SS', '17'],
    ['R5SMRA85T10A562S', 'posizione 2'],
    ['RSSMRA8AT10A562S', 'posizione 8'],
    ['RSSMRA85T10A56-S', 'posizione 15'],
    ['RSSMRA85F10A562S', 'mese'],
    ['RSSMRA85T32A562S', 'giorno'],
    ['RSSMRA85T00A562S', 'giorno'],
    ['RSSMRA85T72A562S', 'giorno'],
    ['0636339100', 'Lunghezza errata'],
  ]);

  it('computes the check character', () => {
    expect(codiceFiscaleCheckChar('RSSMRA85T10A562')).toBe('S');
    expect(codiceFiscaleCheckChar('BNCLRA90A41H501')).toBe('F');
    expect(codiceFiscaleCheckChar('RSSMRAURTMLARSN')).toBe('L');
  });
});

describe('validateIban', () => {
  it.each([
    'IT60X0542811101000000123456',
    'IT67A0306909606100000063155',
    'SM90X0306909606100000063155',
    'DE89370400440532013000',
    'GB29NWBK60161331926819',
  ])('accepts %s', (iban) => {
    expect(validateIban(iban)).toEqual({ ok: true, value: iban });
  });

  it('normalises spaces, case and an IBAN prefix', () => {
    const value = 'IT60X0542811101000000123456';
    expect(validateIban('IT60 X054 2811 1010 0000 0123 456')).toEqual({ ok: true, value });
    expect(validateIban('it60x0542811101000000123456')).toEqual({ ok: true, value });
    expect(validateIban('IBAN: IT60X0542811101000000123456')).toEqual({ ok: true, value });
    expect(validateIban('  it60 x054 2811 1010 0000 0123 456 ')).toEqual({ ok: true, value });
    expect(validateIban('de89 3704 0044 0532 0130 00')).toEqual({ ok: true, value: 'DE89370400440532013000' });
  });

  itRejects(validateIban, [
    // wrong check digits
    ['IT61X0542811101000000123456', 'cifre di controllo'],
    // Italian IBANs have 27 characters
    ['IT60X054281110100000012345', '27'],
    ['IT60X05428111010000001234567', '28'],
    // the Italian layout (CIN letter, ABI, CAB)
    ['IT6010542811101000000123456', 'CIN'],
    ['IT60X05428A1101000000123456', 'ABI'],
    // other malformed inputs
    ['1260X0542811101000000123456', 'sigla del paese'],
    ['ITX0X0542811101000000123456', 'cifre di controllo'],
    ['IT60X0542811101000000-23456', 'posizione 22'],
    ['DE8937040044', 'da 15 a 34'],
  ]);

  it('computes check digits', () => {
    expect(ibanCheckDigits('IT', 'X0542811101000000123456')).toBe('60');
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
    expect(ibanCheckDigits('GB', 'NWBK60161331926819')).toBe('29');
  });
});

describe('single-character typos, caught by the check digits', () => {
  it.each([
    ['partita IVA, two adjacent digits swapped', validatePartitaIva, '60363391001'],
    ['codice fiscale, a typo in the surname', validateCodiceFiscale, 'RSSMRB85T10A562S'],
    ['IBAN, last digit', validateIban, 'IT60X0542811101000000123457'],
    ['IBAN, two digits swapped', validateIban, 'IT60X0542811101000000124356'],
    ['IBAN, a German one', validateIban, 'DE88370400440532013000'],
  ] as const)('rejects the %s', (_what, validate, input) => {
    expect(validate(input).ok).toBe(false);
  });
});

describe('empty input', () => {
  it.each([
    ['partita IVA', validatePartitaIva, 'Inserisci la partita IVA.'],
    ['codice fiscale', validateCodiceFiscale, 'Inserisci il codice fiscale.'],
    ['IBAN', validateIban, "Inserisci l'IBAN."],
  ] as const)('asks for the %s', (_what, validate, reason) => {
    expect(reasonOf(validate(''))).toBe(reason);
  });
});
