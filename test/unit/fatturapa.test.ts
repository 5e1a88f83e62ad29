import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { MAX_LINEE, readFattura, xmlDecimalToCents, type Fattura } from '../../src/formats/fatturapa/fattura.js';
import { readMetadati } from '../../src/formats/fatturapa/metadati.js';

const DIR = 'test/fixtures/fatturapa/';
const SCHEMA_DIR = 'standards/fatturapa-1.2.2/';
const fixture = (name: string) => readFileSync(`${DIR}${name}`, 'utf8');
const schemaFile = (name: string) => ({ fileName: name, contents: readFileSync(`${SCHEMA_DIR}${name}`, 'utf8') });

function read(name: string | Buffer): Fattura {
  const r = readFattura(typeof name === 'string' ? readFileSync(`${DIR}${name}`) : name);
  if (!r.ok) throw new Error(r.motivo);
  return r.fattura;
}

function refusal(xml: string | Buffer): string {
  const r = readFattura(xml);
  if (r.ok) throw new Error('expected a refusal');
  return r.motivo;
}

const VALID_INVOICES = [
  'semplice.xml',
  'lotto.xml',
  'nota-credito.xml',
  'split-payment.xml',
  'righe-cig-cup.xml',
  'codici-sporchi.xml',
  'senza-cig.xml',
  'estero.xml',
  'privati-fpr12.xml',
];

describe('the fixture corpus against the vendored XSD (xmllint-wasm, offline)', () => {
  it.each(VALID_INVOICES)('%s is valid FatturaPA 1.2.2', async (name) => {
    const result = await validateXML({
      xml: [{ fileName: name, contents: fixture(name) }],
      schema: [schemaFile('FatturaPA_v1.2.2.xsd')],
      preload: [schemaFile('xmldsig-core.xsd')],
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the SdI metadata file is a valid MetadatiInvioFile (MessaggiTypes 1.1)', async () => {
    const name = 'IT01234567897_A0001_MT_001.xml';
    const result = await validateXML({
      xml: [{ fileName: name, contents: fixture(name) }],
      schema: [schemaFile('MessaggiTypes_v1.1.xsd')],
      preload: [schemaFile('xmldsig-core-schema.xsd')],
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  });

  it('the validator does catch a violation (a CodiceDestinatario of 8 characters)', async () => {
    const result = await validateXML({
      xml: [{ fileName: 'x.xml', contents: fixture('semplice.xml').replace('UF7K2M', 'UF7K2M99') }],
      schema: [schemaFile('FatturaPA_v1.2.2.xsd')],
      preload: [schemaFile('xmldsig-core.xsd')],
    });
    expect(result.valid).toBe(false);
  });
});

describe('readFattura: the corpus', () => {
  it('simple FPA12 invoice: header, supplier, school, one body with CIG, CUP, lines and payment', () => {
    const f = read('semplice.xml');
    expect(f.formato).toBe('FPA12');
    expect(f.progressivoInvio).toBe('A0001');
    expect(f.codiceDestinatario).toBe('UF7K2M');
    expect(f.pecDestinatario).toBeNull();
    expect(f.cedente).toEqual({
      denominazione: 'Cartoleria Rossi & Figli S.r.l.',
      nome: null,
      cognome: null,
      idFiscaleIva: { idPaese: 'IT', idCodice: '01234567897' },
      codiceFiscale: '01234567897',
      regimeFiscale: 'RF01',
      sede: { indirizzo: 'Via Tiburtina', numeroCivico: '1020', cap: '00156', comune: 'Roma', provincia: 'RM', nazione: 'IT' },
    });
    expect(f.cessionario).toEqual({ codiceFiscale: '97812345011', idFiscaleIva: null, denominazione: 'Istituto Comprensivo Demo' });
    expect(f.corpi).toHaveLength(1);
    const [c] = f.corpi;
    expect(c).toMatchObject({
      tipoDocumento: 'TD01',
      divisa: 'EUR',
      data: '2025-03-14',
      numero: 'FPA 12/25',
      causale: 'Fornitura materiale di cancelleria per gli uffici di segreteria',
      importoTotaleDocumento: 36600,
      totaleDaRiepilogo: false,
      imponibile: 30000,
      imposta: 6600,
      esigibilitaIva: 'I',
    });
    expect(c?.riferimenti).toEqual([
      { blocco: 'DatiOrdineAcquisto', idDocumento: 'ODA 45/2025', data: '2025-02-20', righe: [], codiceCIG: '9050626CD6', codiceCUP: 'C44D22002780006' },
    ]);
    expect(c?.linee).toEqual([
      { numeroLinea: 1, descrizione: 'Risme carta A4 80 g/m², confezione da 500 fogli', quantita: '50.00', prezzoUnitario: '4.20', prezzoTotale: 21000, aliquotaIVA: '22.00' },
      { numeroLinea: 2, descrizione: 'Toner per stampante laser, nero', quantita: '2.00', prezzoUnitario: '45.00', prezzoTotale: 9000, aliquotaIVA: '22.00' },
    ]);
    expect(c?.pagamenti).toEqual([
      {
        condizioni: 'TP02',
        modalita: 'MP05',
        beneficiario: 'Cartoleria Rossi & Figli S.r.l.',
        iban: 'IT98Q0306903200100000012345',
        scadenza: '2025-04-13',
        importo: 36600,
      },
    ]);
  });

  it('a lotto (ns2: prefix) gives two bodies; a missing total is computed from the riepilogo', () => {
    const f = read('lotto.xml');
    expect(f.corpi).toHaveLength(2);
    const [a, b] = f.corpi;
    expect(a).toMatchObject({ numero: '101', importoTotaleDocumento: 122000, totaleDaRiepilogo: false, esigibilitaIva: 'S' });
    expect(b).toMatchObject({ numero: '102', importoTotaleDocumento: 61000, totaleDaRiepilogo: true, imponibile: 50000, imposta: 11000 });
    expect(b?.linee.map((l) => l.prezzoTotale)).toEqual([9750, 40250]); // 97.50000000 → 9750 cents
    expect(b?.pagamenti).toEqual([]);
    expect(a?.riferimenti[0]).toMatchObject({ blocco: 'DatiContratto', idDocumento: 'Contratto 3/2025', codiceCIG: 'B123456659', codiceCUP: null });
  });

  it('a Causale written on several lines (200 characters each at most) is read as one text', () => {
    const xml = fixture('semplice.xml').replace(
      /<Causale>[^<]*<\/Causale>/,
      '<Causale>Fornitura di materiale di cancelleria</Causale><Causale>  per gli uffici &amp; i laboratori </Causale><Causale></Causale>',
    );
    const r = readFattura(xml);
    expect(r.ok && r.fattura.corpi[0]!.causale).toBe('Fornitura di materiale di cancelleria per gli uffici & i laboratori');
    const none = readFattura(fixture('semplice.xml').replace(/<Causale>[^<]*<\/Causale>/, ''));
    expect(none.ok && none.fattura.corpi[0]!.causale).toBeNull();
  });

  it('nota di credito: TD04 with the invoice it corrects in DatiFattureCollegate', () => {
    const [c] = read('nota-credito.xml').corpi;
    expect(c).toMatchObject({ tipoDocumento: 'TD04', numero: 'NC 3/25', data: '2025-03-28', importoTotaleDocumento: 2562, imposta: 462 });
    expect(c?.riferimenti).toEqual([
      { blocco: 'DatiFattureCollegate', idDocumento: 'FPA 12/25', data: '2025-03-14', righe: [], codiceCIG: '9050626CD6', codiceCUP: 'C44D22002780006' },
    ]);
  });

  it('split payment: EsigibilitaIVA S, payment of the taxable part only', () => {
    const [c] = read('split-payment.xml').corpi;
    expect(c).toMatchObject({ esigibilitaIva: 'S', imponibile: 250000, imposta: 55000, importoTotaleDocumento: 305000 });
    expect(c?.pagamenti[0]).toMatchObject({ importo: 250000, scadenza: '2025-11-30', iban: 'IT13R0503411701000000004567' });
  });

  it('several CIG/CUP pairs tied to lines, and two payment instalments', () => {
    const [c] = read('righe-cig-cup.xml').corpi;
    expect(c?.riferimenti.map((r) => [r.blocco, r.righe, r.codiceCIG, r.codiceCUP])).toEqual([
      ['DatiOrdineAcquisto', [1, 2], '7312451974', 'C44D22002780006'],
      ['DatiOrdineAcquisto', [3], '81234578C7', 'J51B21004560007'],
      ['DatiContratto', [], '9050626CD6', null],
    ]);
    expect(c?.linee.map((l) => l.numeroLinea)).toEqual([1, 2, 3, 4]);
    expect(c?.pagamenti.map((p) => [p.scadenza, p.importo])).toEqual([
      ['2025-07-20', 350000],
      ['2025-08-19', 350000],
    ]);
  });

  it('codes are returned raw, as the supplier wrote them; a person as supplier', () => {
    const f = read('codici-sporchi.xml');
    expect(f.cedente).toMatchObject({ denominazione: null, nome: 'Mario', cognome: 'Rossi', codiceFiscale: 'RSSMRA75C12H501H', regimeFiscale: 'RF19' });
    expect(f.corpi[0]?.riferimenti.map((r) => [r.blocco, r.codiceCIG, r.codiceCUP])).toEqual([
      ['DatiOrdineAcquisto', 'cig: 9050626cd6', 'c44d22002780006'],
      ['DatiOrdineAcquisto', '9050626 CD6', null],
      ['DatiContratto', '731245l974', null],
      ['DatiConvenzione', '9050626CD7', null],
      ['DatiRicezione', 'J51B21004560007', 'B123456659'],
    ]);
    expect(f.corpi[0]?.esigibilitaIva).toBeNull();
  });

  it('invoice without CIG: the block is there, without codes', () => {
    const f = read('senza-cig.xml');
    expect(f.cedente.codiceFiscale).toBeNull();
    expect(f.corpi[0]?.riferimenti).toEqual([
      { blocco: 'DatiOrdineAcquisto', idDocumento: 'Buono 7/2025', data: '2025-09-15', righe: [], codiceCIG: null, codiceCUP: null },
    ]);
  });

  it('foreign supplier: IdPaese DE, no codice fiscale, no provincia, a German IBAN', () => {
    const f = read('estero.xml');
    expect(f.cedente).toMatchObject({
      denominazione: 'Lehrmittel Müller GmbH',
      idFiscaleIva: { idPaese: 'DE', idCodice: '123456789' },
      codiceFiscale: null,
      sede: { indirizzo: 'Hauptstraße', numeroCivico: '5', cap: '10115', comune: 'Berlin', provincia: null, nazione: 'DE' },
    });
    expect(f.corpi[0]?.pagamenti[0]?.iban).toBe('DE89370400440532013000');
  });

  it('FPR12 with a default namespace and PEC recipient', () => {
    const f = read('privati-fpr12.xml');
    expect(f).toMatchObject({ formato: 'FPR12', codiceDestinatario: '0000000', pecDestinatario: 'rmic8zz00q@pec.istruzione.it' });
    expect(f.corpi[0]).toMatchObject({ numero: 'V/2025/0133', importoTotaleDocumento: 132000, esigibilitaIva: 'I' });
  });
});

describe('readFattura: what suppliers really write', () => {
  const simple = fixture('semplice.xml');

  it('amounts with one decimal or none, and a date with a time zone', () => {
    const xml = simple
      .replace('<ImportoTotaleDocumento>366.00', '<ImportoTotaleDocumento>366.5')
      .replace('<PrezzoTotale>90.00', '<PrezzoTotale>90')
      .replace('<Data>2025-03-14</Data>', '<Data>2025-03-14+01:00</Data>');
    const [c] = read(Buffer.from(xml)).corpi;
    expect(c?.importoTotaleDocumento).toBe(36650);
    expect(c?.linee[1]?.prezzoTotale).toBe(9000);
    expect(c?.data).toBe('2025-03-14');
  });

  it('no namespace at all, and a file declared ISO-8859-1', () => {
    const bare = simple.replace(/<(\/?)p:FatturaElettronica/g, '<$1FatturaElettronica').replace(/ xmlns:p="[^"]+"/, '');
    expect(read(Buffer.from(bare)).corpi[0]?.numero).toBe('FPA 12/25');
    const latin = Buffer.from(simple.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    expect(read(latin).corpi[0]?.linee[0]?.descrizione).toContain('g/m²');
  });

  it('rounds amounts of eight decimals half away from zero', () => {
    expect(xmlDecimalToCents('12.34500000')).toBe(1235);
    expect(xmlDecimalToCents('-12.345')).toBe(-1235);
    expect(xmlDecimalToCents('0.004')).toBe(0);
    expect(xmlDecimalToCents('1.234')).toBe(123); // in XML the dot is always decimal
    expect(xmlDecimalToCents('12,50')).toBeNull();
  });

  it('reads a file of 5,000 lines in reasonable time', () => {
    const line = (n: number) =>
      `<DettaglioLinee><NumeroLinea>${n}</NumeroLinea><Descrizione>Articolo di cancelleria n. ${n}</Descrizione>` +
      '<Quantita>1.00</Quantita><PrezzoUnitario>1.00</PrezzoUnitario><PrezzoTotale>1.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>';
    const lines = Array.from({ length: 5000 }, (_, i) => line(i + 1)).join('\n');
    const xml = simple.replace(/<DettaglioLinee>[\s\S]*<\/DettaglioLinee>/, lines);
    const started = performance.now();
    const f = read(Buffer.from(xml));
    const elapsed = performance.now() - started;
    expect(f.corpi[0]?.linee).toHaveLength(5000);
    expect(f.corpi[0]?.linee[4999]).toMatchObject({ numeroLinea: 5000, prezzoTotale: 100 });
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('readFattura: refusals', () => {
  it('a DOCTYPE (external entity) is refused before parsing', () => {
    expect(refusal(fixture('doctype.xml'))).toMatch(/DOCTYPE o ENTITY.*non viene letto/);
  });

  it('a billion-laughs payload is refused at once', () => {
    const started = performance.now();
    expect(refusal(readFileSync(`${DIR}billion-laughs.xml`))).toMatch(/DOCTYPE o ENTITY/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('valid XML of another kind, and the SdI metadata file, are told apart', () => {
    expect(refusal(fixture('non-fattura.xml'))).toMatch(/non una fattura elettronica FatturaPA: l'elemento principale è «catalogo»/);
    expect(refusal(fixture('IT01234567897_A0001_MT_001.xml'))).toMatch(/file di metadati/);
  });

  it('not XML, empty, too big', () => {
    expect(refusal(Buffer.from('%PDF-1.7 binary'))).toMatch(/non è un XML leggibile/);
    expect(refusal('')).toMatch(/vuoto/);
    expect(refusal(Buffer.alloc(6 * 1024 * 1024, 0x20))).toMatch(/troppo grande/);
  });

  it('missing header, missing body, unknown version: distinct messages', () => {
    const simple = fixture('semplice.xml');
    expect(refusal(simple.replace(/<FatturaElettronicaHeader>[\s\S]*<\/FatturaElettronicaHeader>/, ''))).toMatch(/manca l'intestazione/);
    expect(refusal(simple.replace(/<FatturaElettronicaBody>[\s\S]*<\/FatturaElettronicaBody>/, ''))).toMatch(/manca il corpo/);
    expect(refusal(simple.replace('versione="FPA12"', 'versione="FSM10"'))).toMatch(/Versione della fattura non riconosciuta \(«FSM10»\)/);
    expect(refusal(simple.replace(/<CedentePrestatore>[\s\S]*<\/CedentePrestatore>/, ''))).toMatch(/manca il fornitore/);
    expect(refusal(simple.replace('<Numero>FPA 12/25</Numero>', ''))).toMatch(/fattura 1 del file manca il numero/);
    expect(refusal(simple.replace('<Data>2025-03-14</Data>', '<Data>14/03/2025</Data>'))).toMatch(/non è una data/);
  });

  it('more detail lines than the cap are refused with a message', () => {
    const line = '<DettaglioLinee><NumeroLinea>1</NumeroLinea><Descrizione>x</Descrizione><PrezzoUnitario>1.00</PrezzoUnitario><PrezzoTotale>1.00</PrezzoTotale><AliquotaIVA>22.00</AliquotaIVA></DettaglioLinee>';
    const xml = fixture('semplice.xml').replace(/<DettaglioLinee>[\s\S]*<\/DettaglioLinee>/, line.repeat(MAX_LINEE + 1));
    expect(refusal(xml)).toMatch(/righe di dettaglio/);
  });
});

describe('readMetadati: the SdI metadata file', () => {
  const mt = fixture('IT01234567897_A0001_MT_001.xml');

  it('reads IdentificativoSdI, NomeFile, CodiceDestinatario, Formato, TentativiInvio, MessageId', () => {
    expect(readMetadati(readFileSync(`${DIR}IT01234567897_A0001_MT_001.xml`))).toEqual({
      ok: true,
      metadati: {
        identificativoSdI: '9876543210',
        nomeFile: 'IT01234567897_A0001.xml',
        hash: null,
        codiceDestinatario: 'UF7K2M',
        formato: 'FPA12',
        tentativiInvio: 1,
        messageId: '2345678901',
      },
    });
  });

  it('reads a Hash when the file has one (not an element of MessaggiTypes 1.1)', () => {
    const hash = 'A3F1'.repeat(16);
    const r = readMetadati(mt.replace('<CodiceDestinatario>', `<Hash>${hash}</Hash>\n  <CodiceDestinatario>`));
    expect(r.ok && r.metadati.hash).toBe(hash.toLowerCase());
  });

  it('refuses a DTD, an invoice, a missing identifier', () => {
    const dtd = readMetadati(mt.replace('<ns3:', '<!DOCTYPE x [<!ENTITY a "b">]>\n<ns3:'));
    expect(dtd).toEqual({ ok: false, motivo: expect.stringMatching(/DOCTYPE o ENTITY/) });
    expect(readMetadati(fixture('semplice.xml'))).toEqual({ ok: false, motivo: expect.stringMatching(/non è un file di metadati.*È una fattura/) });
    expect(readMetadati(mt.replace('9876543210', ''))).toEqual({ ok: false, motivo: expect.stringMatching(/identificativo SdI/) });
  });
});
