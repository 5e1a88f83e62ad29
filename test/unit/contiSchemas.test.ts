import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODICE_SIOPE, NATURE_SPESA } from '../../src/domain/siope.js';
import { contoSchema } from '../../src/validation/contiSchemas.js';

/** Impostazioni → Piano dei conti: the rules of a conto's SIOPE classification, and the OPI schema they mirror. */
const GOOD = { codice_siope: '2301', natura_spesa: 'CORRENTE', version: '4' };

const parse = (change: Record<string, unknown>) => contoSchema.safeParse({ ...GOOD, ...change });
const messageOf = (change: Record<string, unknown>, field: string) => {
  const r = parse(change);
  expect(r.success, JSON.stringify(change)).toBe(false);
  return r.error!.issues.find((i) => i.path[0] === field)?.message ?? '';
};

describe('contoSchema', () => {
  it('accepts a codice and a natura, spaces removed, the version as a number', () => {
    const r = parse({ codice_siope: ' 23 01 ', natura_spesa: 'CAPITALE' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ codice_siope: '2301', natura_spesa: 'CAPITALE', version: 4 });
  });

  it('accepts the longest code the OPI allows (10 digits) and a number sent as JSON', () => {
    expect(parse({ codice_siope: '1030102001' }).data?.codice_siope).toBe('1030102001');
    expect(parse({ codice_siope: 1203 }).data?.codice_siope).toBe('1203');
  });

  it('accepts both empty (null): a conto not yet classified', () => {
    const r = parse({ codice_siope: '', natura_spesa: '' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ codice_siope: null, natura_spesa: null });
    expect(parse({ codice_siope: undefined, natura_spesa: null }).data).toMatchObject({ codice_siope: null, natura_spesa: null });
  });

  it.each([
    ['codice_siope', '230', 'di solito 4 per una scuola'],
    ['codice_siope', '12345678901', 'al massimo 10'],
    ['codice_siope', '23A1', 'Il codice SIOPE è fatto di sole cifre'],
    ['codice_siope', '-2301', 'per esempio 2301'],
    ['codice_siope', 'U.1.03.01.02.001', 'sole cifre'],
    ['codice_siope', ['2301', '2302'], 'sole cifre'],
    ['natura_spesa', 'corrente', 'Scegli la natura della spesa dall’elenco'],
    ['natura_spesa', 'MISTA', 'corrente o in conto capitale'],
  ])('refuses %s = %j: «%s»', (field, value, fragment) => {
    expect(messageOf({ [field]: value }, field)).toContain(fragment);
  });

  it('refuses unknown fields and a missing or wrong version', () => {
    expect(parse({ scuola_id: '2' }).success).toBe(false);
    expect(parse({ version: undefined }).success).toBe(false);
    expect(parse({ version: 'x' }).success).toBe(false);
  });
});

describe('the OPI schema the rules mirror (standards/opi-1.7.1)', () => {
  const flusso = readFileSync('standards/opi-1.7.1/OPI_FLUSSO_ORDINATIVI_V_1_7_1.xsd', 'utf8');
  const global = readFileSync('standards/opi-1.7.1/OPI_GLOBAL_V_1_6_1.xsd', 'utf8');

  it('codice_cgu is a stCodiceGestionaleSIOPE: digits, 4 to 10', () => {
    expect(flusso).toMatch(/name="codice_cgu" type="stCodiceGestionaleSIOPE"/);
    const start = global.indexOf('name="stCodiceGestionaleSIOPE"');
    const type = global.slice(start, global.indexOf('</xs:simpleType>', start));
    expect(type).toContain('<xs:pattern value="[0-9]{4,10}"/>');
    expect(type).toContain('<xs:minLength value="4"/>');
    expect(type).toContain('<xs:maxLength value="10"/>');
    expect(CODICE_SIOPE.source).toBe('^[0-9]{4,10}$');
  });

  it('natura: the values of natura_spesa_siope', () => {
    const start = flusso.indexOf('name="natura_spesa_siope"');
    const values = [...flusso.slice(start, flusso.indexOf('</xs:restriction>', start)).matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]);
    expect(NATURE_SPESA.map((o) => o.value).sort()).toEqual(values.sort());
  });
});
