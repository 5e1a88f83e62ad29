import { describe, it, expect } from 'vitest';
import {
  FONTI_FINANZIAMENTO,
  annoDecisioneFromYy,
  cupWarnings,
  isFonteFinanziamento,
  isValidCup,
  normalizeCup,
  openCupUrl,
  validateCup,
} from '../../src/domain/cup.js';
import { expectGuard, reasonOf } from '../helpers/validation.js';

const JUNE_2025 = new Date('2025-06-15T10:00:00Z');

describe('validateCup: valid codes', () => {
  it.each([
    ['B31B95000000003', null], // real, from 1995: «95» would be 2095, so the year stays empty
    ['C44D22002780006', 2022], // real, PNRR Scuola 4.0
    ['J87G22000360002', 2022], // real
    ['J81J11001630007', 2011], // real
    ['H87H21003670005', 2021], // real
    ['G74I19000540002', 2019], // real
    ['E66C18001040006', 2018], // real
    ['B23B12000070003', 2012], // real
  ])('accepts %s (anno %s)', (code, anno) => {
    expect(validateCup(code, JUNE_2025)).toEqual({ ok: true, codice: code, annoDecisione: anno });
  });

  it('normalises case, spaces and the CUP prefix', () => {
    const expected = { ok: true, codice: 'C44D22002780006', annoDecisione: 2022 };
    expect(validateCup('c44d22002780006', JUNE_2025)).toEqual(expected);
    expect(validateCup('  C44D 2200 2780 006 ', JUNE_2025)).toEqual(expected);
    expect(validateCup('CUP: C44D22002780006', JUNE_2025)).toEqual(expected);
    expect(validateCup('cup C44D22002780006', JUNE_2025)).toEqual(expected);
    expect(validateCup('CUP:C44D22002780006', JUNE_2025)).toEqual(expected);
    expect(normalizeCup(' cup : b31b 95000000003 ')).toBe('B31B95000000003');
  });

  it('never rejects because of the year', () => {
    for (const yy of ['00', '26', '27', '50', '69', '95', '99']) {
      expect(validateCup(`C44D${yy}002780006`, JUNE_2025).ok).toBe(true);
    }
  });
});

describe('validateCup: invalid codes', () => {
  it('asks for the code when empty', () => {
    expect(reasonOf(validateCup(''))).toMatch(/^Inserisci il codice CUP/);
    expect(reasonOf(validateCup('CUP: '))).toMatch(/^Inserisci il codice CUP/);
  });

  it.each([
    ['C44D2200278000', 14],
    ['C44D220027800066', 16],
    ['C44D22', 6],
  ])('rejects %s for its length (%i)', (code, n) => {
    const v = validateCup(code);
    expect(v.codice).toBe(code);
    expect(reasonOf(v)).toContain(`Lunghezza errata: il CUP ha 15 caratteri, qui ce ne sono ${n}`);
  });

  it.each([
    ['144D22002780006', 1, '«1»', 'lettera'],
    ['CA4D22002780006', 2, '«A»', 'cifra'],
    ['C4AD22002780006', 3, '«A»', 'cifra'],
    ['C44D2200278000F', 15, '«F»', 'cifra'],
    ['C444D2002780006', 4, '«4»', 'lettera'],
    ['C44D2200278-006', 12, '«-»', 'cifra'],
  ])('rejects %s: position %i', (code, pos, ch, kind) => {
    const reason = reasonOf(validateCup(code));
    expect(reason).toContain(`posizione ${pos}:`);
    expect(reason).toContain(ch);
    expect(reason).toContain(kind);
    expect(reason).toContain('1 lettera, 2 cifre, 1 lettera, 11 cifre');
  });

  it('reports the first wrong position only', () => {
    expect(reasonOf(validateCup('1A4D22002780006'))).toContain('posizione 1:');
  });

  it('hints at O/0 confusion', () => {
    expect(reasonOf(validateCup('C44D22OO2780006'))).toContain('zero');
    expect(reasonOf(validateCup('C440220O2780006'))).toContain('lettera O');
  });

  it('isValidCup mirrors validateCup', () => {
    expect(isValidCup('C44D22002780006')).toBe(true);
    expect(isValidCup('C44D2200278000')).toBe(false);
  });
});

describe('anno di decisione', () => {
  it('reads yy as 20yy up to next year, and never guesses 19yy for a future one', () => {
    expect(annoDecisioneFromYy(0, JUNE_2025)).toBe(2000);
    expect(annoDecisioneFromYy(25, JUNE_2025)).toBe(2025);
    expect(annoDecisioneFromYy(26, JUNE_2025)).toBe(2026);
    expect(annoDecisioneFromYy(27, JUNE_2025)).toBeNull();
    expect(annoDecisioneFromYy(95, JUNE_2025)).toBeNull();
    expect(annoDecisioneFromYy(99, JUNE_2025)).toBeNull();
  });

  it('depends on today', () => {
    const june2024 = new Date('2024-06-15T10:00:00Z');
    expect(validateCup('C44D26002780006', june2024)).toMatchObject({ ok: true, annoDecisione: null });
    expect(validateCup('C44D26002780006', JUNE_2025)).toMatchObject({ ok: true, annoDecisione: 2026 });
  });

  it('uses the year in Rome: 31/12 23:30 UTC is already next year', () => {
    const newYearInRome = new Date('2025-12-31T23:30:00Z');
    expect(validateCup('C44D27002780006', newYearInRome)).toMatchObject({ ok: true, annoDecisione: 2027 });
    const stillOld = new Date('2025-12-31T22:30:00Z');
    expect(validateCup('C44D27002780006', stillOld)).toMatchObject({ ok: true, annoDecisione: null });
  });
});

describe('cupWarnings', () => {
  it('has nothing to say on an ordinary CUP', () => {
    expect(cupWarnings('C44D22002780006', JUNE_2025)).toEqual([]);
    expect(cupWarnings('C44D26002780006', JUNE_2025)).toEqual([]);
  });

  it('warns (without blocking) when the digits would be a future year: the year stays empty', () => {
    for (const [code, yy] of [['B31B95000000003', '95'], ['C44D30002780006', '30'], ['C44D97002780006', '97']] as const) {
      const w = cupWarnings(code, JUNE_2025);
      expect(w, code).toHaveLength(1);
      expect(w[0]).toContain(`«${yy}»`);
      expect(w[0]).toContain(`20${yy}, un anno futuro`);
      expect(w[0]).toContain(`19${yy}`);
      expect(w[0]).toContain('resta vuoto');
      expect(validateCup(code, JUNE_2025)).toMatchObject({ ok: true, annoDecisione: null });
    }
  });

  it('returns no warnings for an invalid code (the validation reason is enough)', () => {
    expect(cupWarnings('XYZ', JUNE_2025)).toEqual([]);
  });

  it('normalises its input', () => {
    expect(cupWarnings('cup: b31b95000000003', JUNE_2025)).toHaveLength(1);
  });
});

describe('links and lists', () => {
  it('builds the OpenCUP link with the normalised code', () => {
    expect(openCupUrl('C44D22002780006')).toBe('https://opencup.gov.it/portale/progetto/-/cup/C44D22002780006');
    expect(openCupUrl(' cup: c44d22002780006')).toBe('https://opencup.gov.it/portale/progetto/-/cup/C44D22002780006');
  });

  it('lists the fonti di finanziamento of docs/dominio.md §3', () => {
    expect(FONTI_FINANZIAMENTO.map((f) => f.label)).toEqual([
      'PNRR',
      'PON/FSE',
      'FESR',
      'Stato',
      'Enti locali',
      'Privati',
      'Altro',
    ]);
    expect(new Set(FONTI_FINANZIAMENTO.map((f) => f.value)).size).toBe(7);
    // Values are what the database's check constraint on cup.fonte_finanziamento accepts.
    expect(FONTI_FINANZIAMENTO.map((f) => f.value)).toEqual(['PNRR', 'PON/FSE', 'FESR', 'Stato', 'Enti locali', 'Privati', 'Altro']);
    expectGuard(isFonteFinanziamento, { accepts: ['PNRR', 'PON/FSE'], rejects: ['PON_FSE', 3] });
  });
});
