import { describe, expect, it } from 'vitest';
import { isSiglaProvincia, PROVINCE } from '../../src/domain/province.js';
import { formatIndirizzo, indirizzoProblems, type IndirizzoParts } from '../../src/domain/indirizzo.js';

describe('PROVINCE', () => {
  it('has the 107 current sigle, each two capital letters with its name', () => {
    const sigle = Object.keys(PROVINCE);
    expect(sigle).toHaveLength(107);
    for (const s of sigle) expect(s).toMatch(/^[A-Z]{2}$/);
    for (const nome of Object.values(PROVINCE)) expect(nome.trim()).not.toBe('');
    expect(PROVINCE.SU).toBe('Sud Sardegna');
    expect(PROVINCE.RM).toBe('Roma');
  });

  it('knows a sigla exactly as written; EE (abroad) and the abolished ones are not provinces', () => {
    for (const s of ['RM', 'MI', 'SU', 'BT', 'MB', 'FM', 'VB', 'AO', 'BZ', 'TN']) expect(isSiglaProvincia(s), s).toBe(true);
    for (const s of ['EE', 'XX', 'rm', 'Rm', 'ROMA', '', 'CI', 'VS', 'OG', 'OT', 'FO', 'PS', 'toString', 'constructor']) expect(isSiglaProvincia(s), s).toBe(false);
  });
});

describe('indirizzoProblems', () => {
  const parts = (o: Partial<Omit<IndirizzoParts, 'indirizzo'>> = {}) => ({ cap: '00186', localita: 'Roma', provincia: 'RM', stato: 'IT', ...o });

  it('accepts an Italian address, a bare street, a foreign one', () => {
    expect(indirizzoProblems(parts())).toEqual({});
    expect(indirizzoProblems(parts({ provincia: null }))).toEqual({});
    expect(indirizzoProblems(parts({ cap: null, localita: null, provincia: null }))).toEqual({});
    expect(indirizzoProblems(parts({ cap: '10115', localita: 'Berlin', provincia: null, stato: 'DE' }))).toEqual({});
    expect(indirizzoProblems(parts({ cap: null, localita: 'London', provincia: null, stato: 'GB' }))).toEqual({});
  });

  it('wants an Italian CAP of 5 digits', () => {
    for (const cap of ['0018', '001866', '00I86', '٠٠١٨٦', '00 186']) expect(indirizzoProblems(parts({ cap })).cap, cap).toMatch(/5 cifre/);
  });

  it('takes abroad only a CAP of 5 digits, pointing the others to the località', () => {
    expect(indirizzoProblems(parts({ cap: 'SW1A 1AA', localita: 'London', provincia: null, stato: 'GB' })).cap).toMatch(/nella località/);
  });

  it('wants a real Italian provincia in Italy, two letters abroad', () => {
    expect(indirizzoProblems(parts({ provincia: 'XX' })).provincia).toMatch(/«XX» non è la sigla di una provincia italiana/);
    expect(indirizzoProblems(parts({ provincia: 'EE' })).provincia).toMatch(/EE non è una provincia/);
    expect(indirizzoProblems(parts({ provincia: 'ROMA' })).provincia).toMatch(/non è la sigla/);
    expect(indirizzoProblems(parts({ cap: null, localita: 'Paris', provincia: 'IDF', stato: 'FR' })).provincia).toMatch(/due lettere/);
    expect(indirizzoProblems(parts({ cap: null, localita: 'New York', provincia: 'NY', stato: 'US' }))).toEqual({});
  });

  it('in Italy wants CAP and località together (and both with a provincia)', () => {
    expect(indirizzoProblems(parts({ cap: null }))).toEqual({ cap: expect.stringMatching(/serve anche il CAP/) });
    expect(indirizzoProblems(parts({ localita: null }))).toEqual({ localita: expect.stringMatching(/serve anche la località/) });
    expect(indirizzoProblems(parts({ cap: null, localita: null }))).toEqual({
      cap: expect.stringMatching(/serve anche il CAP/), localita: expect.stringMatching(/serve anche la località/),
    });
  });

  it('wants the stato as two capital letters', () => {
    for (const stato of ['I', 'ITA', 'it', '1T', '']) expect(indirizzoProblems(parts({ stato })).stato, stato).toMatch(/sigla di due lettere/);
  });
});

describe('formatIndirizzo', () => {
  const none = { indirizzo: null, cap: null, localita: null, provincia: null, stato: 'IT' };
  it('writes one line, the stato only abroad', () => {
    expect(formatIndirizzo({ indirizzo: 'Via Roma 1', cap: '00100', localita: 'Roma', provincia: 'RM', stato: 'IT' })).toBe('Via Roma 1, 00100 Roma (RM)');
    expect(formatIndirizzo({ ...none, indirizzo: 'Hauptstraße 5', cap: '10115', localita: 'Berlin', stato: 'DE' })).toBe('Hauptstraße 5, 10115 Berlin, DE');
    expect(formatIndirizzo({ ...none, indirizzo: 'Via del Corso 112, 00186 Roma (RM)' })).toBe('Via del Corso 112, 00186 Roma (RM)');
    expect(formatIndirizzo(none)).toBeNull();
  });
});
