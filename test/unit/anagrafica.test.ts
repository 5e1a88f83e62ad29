import { describe, it, expect } from 'vitest';
import {
  codiceFiscaleCheckChar,
  ibanCheckDigits,
  partitaIvaCheckDigit,
  validateCodiceFiscale,
  validateIban,
  validatePartitaIva,
  type IdValidation,
} from '../../src/domain/anagrafica.js';

function reasonOf(v: IdValidation): string {
  if (v.ok) throw new Error(`expected invalid, got valid ${v.value}`);
  return v.reason;
}

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

  it('rejects a wrong check digit and says which one is expected', () => {
    const reason = reasonOf(validatePartitaIva('06363391002'));
    expect(reason).toContain('Cifra di controllo errata');
    expect(reason).toContain('1');
    expect(reasonOf(validatePartitaIva('12345678900'))).toContain('dovrebbe essere 3');
    // two adjacent digits swapped
    expect(validatePartitaIva('60363391001').ok).toBe(false);
  });

  it('rejects wrong length, letters, zeros, empty', () => {
    expect(reasonOf(validatePartitaIva('0636339100'))).toContain('Lunghezza errata');
    expect(reasonOf(validatePartitaIva('0636339100'))).toContain('10');
    expect(reasonOf(validatePartitaIva('063633910011'))).toContain('Lunghezza errata');
    expect(reasonOf(validatePartitaIva('0636339A001'))).toContain('posizione 8');
    expect(reasonOf(validatePartitaIva('00000000000'))).toContain('zeri');
    expect(reasonOf(validatePartitaIva(''))).toBe('Inserisci la partita IVA.');
  });

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

  it('rejects a wrong check character and names the expected one', () => {
    const reason = reasonOf(validateCodiceFiscale('RSSMRA85T10A562T'));
    expect(reason).toContain('Carattere di controllo errato');
    expect(reason).toContain('dovrebbe essere S');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T10A56NS'))).toContain('dovrebbe essere H');
    // a typo in the surname is caught by the check character
    expect(validateCodiceFiscale('RSSMRB85T10A562S').ok).toBe(false);
  });

  it('rejects bad shapes with specific reasons', () => {
    expect(reasonOf(validateCodiceFiscale(''))).toBe('Inserisci il codice fiscale.');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T10A562'))).toContain('Lunghezza errata');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T10A562'))).toContain('11 cifre');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T10A562SS'))).toContain('17');
    expect(reasonOf(validateCodiceFiscale('R5SMRA85T10A562S'))).toContain('posizione 2');
    expect(reasonOf(validateCodiceFiscale('RSSMRA8AT10A562S'))).toContain('posizione 8');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T10A56-S'))).toContain('posizione 15');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85F10A562S'))).toContain('mese');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T32A562S'))).toContain('giorno');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T00A562S'))).toContain('giorno');
    expect(reasonOf(validateCodiceFiscale('RSSMRA85T72A562S'))).toContain('giorno');
    expect(reasonOf(validateCodiceFiscale('0636339100'))).toContain('Lunghezza errata');
  });

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
  });

  it('rejects wrong check digits and single-character typos', () => {
    expect(reasonOf(validateIban('IT61X0542811101000000123456'))).toContain('cifre di controllo');
    expect(validateIban('IT60X0542811101000000123457').ok).toBe(false);
    expect(validateIban('IT60X0542811101000000124356').ok).toBe(false);
    expect(validateIban('DE88370400440532013000').ok).toBe(false);
  });

  it('requires 27 characters for Italian IBANs', () => {
    expect(reasonOf(validateIban('IT60X054281110100000012345'))).toContain('27');
    expect(reasonOf(validateIban('IT60X05428111010000001234567'))).toContain('28');
  });

  it('requires the Italian layout (CIN letter, ABI, CAB)', () => {
    expect(reasonOf(validateIban('IT6010542811101000000123456'))).toContain('CIN');
    expect(reasonOf(validateIban('IT60X05428A1101000000123456'))).toContain('ABI');
  });

  it('rejects other malformed inputs', () => {
    expect(reasonOf(validateIban(''))).toBe("Inserisci l'IBAN.");
    expect(reasonOf(validateIban('1260X0542811101000000123456'))).toContain('sigla del paese');
    expect(reasonOf(validateIban('ITX0X0542811101000000123456'))).toContain('cifre di controllo');
    expect(reasonOf(validateIban('IT60X0542811101000000-23456'))).toContain('posizione 22');
    expect(reasonOf(validateIban('DE8937040044'))).toContain('da 15 a 34');
  });

  it('computes check digits', () => {
    expect(ibanCheckDigits('IT', 'X0542811101000000123456')).toBe('60');
    expect(ibanCheckDigits('DE', '370400440532013000')).toBe('89');
    expect(ibanCheckDigits('GB', 'NWBK60161331926819')).toBe('29');
  });
});
