import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFattura } from '../../src/formats/fatturapa/fattura.js';
import { unwrapP7m } from '../../src/formats/fatturapa/p7m.js';
import { signP7m } from '../helpers/p7m.js';

const xml = readFileSync('test/fixtures/fatturapa/semplice.xml');
let signed: { der: Buffer; base64: Buffer };

beforeAll(async () => {
  signed = await signP7m(xml);
});

function opened(bytes: Buffer): Buffer {
  const r = unwrapP7m(bytes);
  if (!r.ok) throw new Error(r.motivo);
  return r.xml;
}

function refusal(bytes: Buffer): string {
  const r = unwrapP7m(bytes);
  if (r.ok) throw new Error('expected a refusal');
  return r.motivo;
}

describe('unwrapP7m', () => {
  it('opens a DER .p7m: the exact XML bytes, readable as an invoice', () => {
    const out = opened(signed.der);
    expect(out.equals(xml)).toBe(true);
    const f = readFattura(out);
    expect(f.ok && f.fattura.corpi[0]?.numero).toBe('FPA 12/25');
  });

  it('opens the base64 form, with line breaks, with a PEM header, and with a trailing newline after the DER', () => {
    expect(opened(signed.base64).equals(xml)).toBe(true);
    const oneLine = Buffer.from(signed.der.toString('base64'));
    expect(opened(oneLine).equals(xml)).toBe(true);
    const pem = Buffer.from(`-----BEGIN PKCS7-----\n${signed.base64.toString()}\n-----END PKCS7-----\n`);
    expect(opened(pem).equals(xml)).toBe(true);
    expect(opened(Buffer.concat([signed.der, Buffer.from('\r\n')])).equals(xml)).toBe(true);
  });

  it('opens a file signed twice (a signature around a signed file)', async () => {
    const twice = await signP7m(signed.der);
    expect(opened(twice.der).equals(xml)).toBe(true);
  });

  it('refuses a truncated file, in DER and in base64, without throwing', () => {
    for (const cut of [10, 200, signed.der.length - 1]) {
      expect(refusal(signed.der.subarray(0, cut))).toMatch(/^Busta di firma illeggibile: il file \.p7m è troncato o non è una firma CAdES/);
    }
    expect(refusal(signed.base64.subarray(0, 300))).toMatch(/Busta di firma illeggibile/);
  });

  it('refuses random bytes, an XML file, an empty file', () => {
    for (let i = 0; i < 20; i++) expect(refusal(randomBytes(512))).toMatch(/Busta di firma illeggibile|non è una busta di firma/);
    expect(refusal(Buffer.concat([Buffer.from([0x30]), randomBytes(300)]))).toMatch(/Busta di firma illeggibile/);
    expect(refusal(xml)).toMatch(/Busta di firma illeggibile/);
    expect(refusal(Buffer.alloc(0))).toMatch(/vuoto/);
  });
});
