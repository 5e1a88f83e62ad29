import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_ESITO_BYTES, readEsitoApplicativo, type EsitoApplicativo } from '../../src/formats/opi/esito.js';
import { opiEsitoViolations } from '../../src/formats/xsd.js';
import { esitoXml } from '../helpers/opiEsito.js';

const FIXTURE = readFileSync('test/fixtures/opi/esito-applicativo.xml');

function read(xml: Buffer): EsitoApplicativo {
  const r = readEsitoApplicativo(xml);
  if (!r.ok) throw new Error(r.reason);
  return r.esito;
}

function refusal(xml: Buffer | string): string {
  const r = readEsitoApplicativo(Buffer.isBuffer(xml) ? xml : Buffer.from(xml));
  if (r.ok) throw new Error('expected a refusal');
  return r.reason;
}

describe('the hand-written esito fixture', () => {
  it('is valid against OPI_MSG_ESITO_APPLICATIVO_V_1_6_1.xsd', async () => {
    expect(await opiEsitoViolations(FIXTURE)).toEqual([]);
  });

  it('is read: the flow answered, the message, one accepted and one refused mandato with the bank’s errors', () => {
    const e = read(FIXTURE);
    expect(e.identificativiFlusso).toEqual(['OPI_UFABC1_2026_000001']);
    expect(e.identificativoFlussoBt).toBe('BT20261208000123');
    expect(e.dataOra).toBe('2026-12-08T09:15:00');
    expect(e.codiceAbi).toBe('03069');
    expect(e.codiceEnte).toBe('UFABC1');
    expect(e.ordinativi).toHaveLength(2);
    expect(e.ordinativi[0]).toEqual({
      tipo: 'mandato',
      identificativoFlusso: 'OPI_UFABC1_2026_000001',
      esercizio: 2026,
      numero: 1,
      progressivo: null,
      esito: 'accettato',
      esitoOperazione: 'ACQUISITO',
      dataOra: '2026-12-08T09:10:00',
      errori: [],
    });
    const refused = e.ordinativi[1]!;
    expect(refused).toMatchObject({ tipo: 'mandato', numero: 2, esercizio: 2026, progressivo: 1, esito: 'rifiutato', esitoOperazione: 'NON ACQUISITO' });
    expect(refused.errori).toEqual([
      { progressivo: 1, codice: '212', descrizione: 'IBAN del beneficiario non valido <IT00>', elemento: 'iban' },
      { progressivo: null, codice: '305', descrizione: 'Codice CIG non coerente', elemento: null },
    ]);
  });
});

describe('esitoXml (test helper for integration tests)', () => {
  const opts = {
    identificativoFlusso: 'OPI_UFABC1_2026_000007',
    esercizio: 2026,
    codiceAbi: '03069',
    codiceEnte: 'UFABC1',
    esiti: [
      { numero: 10, accettato: true },
      { numero: 11, accettato: false, codice: '42', descrizione: 'Beneficiario & IBAN incoerenti' },
    ],
  };

  it('produces a schema-valid esito', async () => {
    expect(await opiEsitoViolations(Buffer.from(esitoXml(opts)))).toEqual([]);
  });

  it('is read back as given', () => {
    const e = read(Buffer.from(esitoXml(opts)));
    expect(e.identificativiFlusso).toEqual(['OPI_UFABC1_2026_000007']);
    expect(e.ordinativi.map((o) => [o.numero, o.esito, o.errori.map((x) => `${x.codice} ${x.descrizione}`)])).toEqual([
      [10, 'accettato', []],
      [11, 'rifiutato', ['42 Beneficiario & IBAN incoerenti']],
    ]);
  });
});

describe('readEsitoApplicativo refuses what is not a safe esito', () => {
  it('a DOCTYPE (entities are never expanded)', () => {
    const xml = FIXTURE.toString('utf8').replace(
      '<messaggi_esito_applicativo>',
      '<!DOCTYPE messaggi_esito_applicativo [<!ENTITY x "aaaaaaaaaa">]>\n<messaggi_esito_applicativo>',
    );
    expect(refusal(xml)).toMatch(/DOCTYPE o ENTITY/);
  });

  it('a file that is not XML', () => {
    expect(refusal('questo non è XML')).toMatch(/non è un XML leggibile/);
    expect(refusal(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d]))).toMatch(/non è un XML leggibile/);
  });

  it('an empty file', () => {
    expect(refusal(Buffer.alloc(0))).toMatch(/vuoto/);
  });

  it('another OPI document (wrong root)', () => {
    expect(refusal('<?xml version="1.0"?><flusso_ordinativi><esercizio>2026</esercizio></flusso_ordinativi>')).toMatch(
      /non è un esito applicativo OPI: l’elemento principale è flusso_ordinativi/,
    );
  });

  it('a file over the size cap', () => {
    const big = Buffer.concat([FIXTURE, Buffer.alloc(MAX_ESITO_BYTES, 0x20)]);
    expect(refusal(big)).toMatch(/troppo grande.*al massimo 10 MB/);
  });

  it('an esito without ordinativi or without a required element', () => {
    const noOrdinativi = FIXTURE.toString('utf8').replace(/<esito_mandati>[\s\S]*<\/esito_mandati>\n/, '');
    expect(refusal(noOrdinativi)).toMatch(/non contiene alcun mandato/);
    const noNumero = FIXTURE.toString('utf8').replace('<numero_mandato>1</numero_mandato>', '');
    expect(refusal(noNumero)).toMatch(/manca numero_mandato/);
  });
});
