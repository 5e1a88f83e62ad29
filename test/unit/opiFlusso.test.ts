import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buildFlussoOrdinativi,
  centsToDecimal,
  identificativoFlusso,
  nomeFileFlusso,
  type BeneficiarioOpi,
  type ClassificazioneOpi,
  type FatturaOpi,
  type FlussoOpi,
  type MandatoOpi,
  type TestataOpi,
} from '../../src/formats/opi/flusso.js';
import { opiFlussoViolations } from '../../src/formats/xsd.js';

// ---------------------------------------------------------------------------
// A plausible school's flow, changed piece by piece by each test
// ---------------------------------------------------------------------------

const testata = (over: Partial<TestataOpi> = {}): TestataOpi => ({
  codiceAbi: '03069',
  codiceEnte: 'UFABC1',
  codiceEnteBt: '1234567',
  codiceTramiteEnte: 'A2A-12345678',
  codiceTramiteBt: 'A2A-87654321',
  identificativoFlusso: 'OPI_UFABC1_2026_000001',
  dataOraCreazione: '2026-12-07T10:15:00',
  codiceIpa: 'istsc_rmic81200x',
  codiceIstat: '000712345',
  codiceFiscale: '80012345678',
  descrizioneEnte: 'Istituto Comprensivo Via Roma',
  ...over,
});

const fatturaElettronica = (over: Partial<FatturaOpi> = {}): FatturaOpi => ({
  codiceIpaEnte: 'UFABC1',
  tipo: 'ELETTRONICO',
  identificativoSdi: '4567891234',
  tipoAnalogico: null,
  codiceFiscaleEmittente: null,
  annoEmissione: null,
  numero: 'FT/2026/118',
  importoCents: 12_200,
  dataScadenza: '2026-12-31',
  motivoScadenza: null,
  naturaSpesa: 'CORRENTE',
  ...over,
});

const commerciale = (over: Partial<ClassificazioneOpi> = {}): ClassificazioneOpi => ({
  codiceCgu: '2201',
  codiceCup: null,
  importoCents: 12_200,
  debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: null, fatture: [fatturaElettronica()] },
  ...over,
});

const beneficiario = (over: Partial<BeneficiarioOpi> = {}): BeneficiarioOpi => ({
  progressivo: 1,
  importoCents: 12_200,
  tipoPagamento: 'SEPA CREDIT TRANSFER',
  classificazioni: [commerciale()],
  bollo: { assoggettamento: 'ESENTE BOLLO', causaleEsenzione: 'Esente ai sensi del DPR 642/1972' },
  spese: 'A CARICO ENTE',
  anagrafica: 'Cartoleria Rossi S.r.l.',
  codiceFiscale: '01234567890',
  partitaIva: '01234567890',
  indirizzo: 'Via Garibaldi 12',
  cap: '00100',
  localita: 'Roma',
  provincia: 'RM',
  stato: 'IT',
  iban: 'IT60X0542811101000000123456',
  causale: 'Saldo fattura FT/2026/118 materiale di cancelleria',
  ...over,
});

const mandato = (over: Partial<MandatoOpi> = {}): MandatoOpi => ({
  tipoOperazione: 'INSERIMENTO',
  numero: 1,
  data: '2026-12-07',
  importoCents: 12_200,
  beneficiari: [beneficiario()],
  miur: { aggregato: 'A', descrizioneAggregato: 'Attività', voce: 2, descrizioneVoce: 'Funzionamento amministrativo', annoProvenienza: 2026, numeroImpegno: 12 },
  ...over,
});

const flusso = (mandati: MandatoOpi[] = [mandato()], over: Partial<TestataOpi> = {}): FlussoOpi => ({ testata: testata(over), esercizio: 2026, mandati });

// ---------------------------------------------------------------------------
// Reading the result back
// ---------------------------------------------------------------------------

const parser = new XMLParser({ parseTagValue: false, trimValues: true, isArray: (name) => ['mandato', 'informazioni_beneficiario', 'classificazione', 'fattura_siope'].includes(name) });

/** A parsed element: the tests walk it by the XSD's names. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

/** The XML built, checked against the schema (every flow of these tests must be valid), and parsed. */
async function built(f: FlussoOpi): Promise<{ xml: string; root: Node }> {
  const xml = buildFlussoOrdinativi(f);
  expect(await opiFlussoViolations(Buffer.from(xml))).toEqual([]);
  return { xml, root: (parser.parse(xml) as Node).flusso_ordinativi as Node };
}

const firstBeneficiario = (root: Node): Node => root.mandato[0].informazioni_beneficiario[0] as Node;
const firstDebito = (root: Node): Node => firstBeneficiario(root).classificazione[0].classificazione_dati_siope_uscite as Node;

/** The texts of all elements `name` (no attributes in the flow). */
const values = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]!);

// ---------------------------------------------------------------------------

describe('buildFlussoOrdinativi: the document', () => {
  it('has the XML declaration and the root the XSD wants (no namespace), testata in schema order', async () => {
    const { xml, root } = await built(flusso());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<flusso_ordinativi>\n')).toBe(true);
    expect(Object.keys(root.testata_flusso as Node)).toEqual([
      'codice_ABI_BT',
      'identificativo_flusso',
      'data_ora_creazione_flusso',
      'codice_ente',
      'descrizione_ente',
      'codice_istat_ente',
      'codice_fiscale_ente',
      'codice_tramite_ente',
      'codice_tramite_BT',
      'codice_ente_BT',
    ]);
    expect(root.testata_flusso.codice_ABI_BT).toBe('03069');
    expect(root.testata_flusso.data_ora_creazione_flusso).toBe('2026-12-07T10:15:00');
    expect(root.esercizio).toBe('2026');
    expect(xml).not.toContain('istsc_rmic81200x'); // no element for the IPA amministrazione code
    expect(xml).not.toContain('Signature'); // added by the signing step
  });

  it('writes the MIUR block with a six-digit numero_impegno', async () => {
    const { root } = await built(flusso());
    expect(root.mandato[0].dati_a_disposizione_ente_mandato_MIUR).toEqual({
      aggregato: 'A',
      descrizione_aggregato: 'Attività',
      voce: '2',
      descrizione_voce: 'Funzionamento amministrativo',
      anno_provenienza: '2026',
      numero_impegno: '000012',
    });
  });

  it('an unsigned flow is reported when the signature is required (the file about to be sent)', async () => {
    const violations = await opiFlussoViolations(Buffer.from(buildFlussoOrdinativi(flusso())), { requireSignature: true });
    expect(violations[0]).toBe('Il flusso non è firmato: manca la firma digitale dell’ente (ds:Signature).');
  });
});

describe('buildFlussoOrdinativi: debts', () => {
  it('commercial with CIG: tipo_debito_siope_c, the CIG, no motivo di esclusione, the electronic invoice', async () => {
    const { xml, root } = await built(flusso());
    const d = firstDebito(root);
    expect(d.tipo_debito_siope_c).toBe('COMMERCIALE');
    expect(d.codice_cig_siope).toBe('Z1A2B3C4D5');
    expect(xml).not.toContain('motivo_esclusione_cig_siope');
    expect(d.fattura_siope[0]).toEqual({
      codice_ipa_ente_siope: 'UFABC1',
      tipo_documento_siope_e: 'ELETTRONICO',
      identificativo_lotto_sdi_siope: '4567891234',
      dati_fattura_siope: { numero_fattura_siope: 'FT/2026/118', importo_siope: '122.00', data_scadenza_pagam_siope: '2026-12-31', natura_spesa_siope: 'CORRENTE' },
    });
  });

  it.each(['AMMINISTRAZIONE DIRETTA', 'SPESE_ECONOMALI'])('commercial with motivo di esclusione %s and no CIG', async (motivo) => {
    const c = commerciale({ debito: { tipo: 'COMMERCIALE', cig: null, motivoEsclusione: motivo, fatture: [fatturaElettronica()] } });
    const { xml } = await built(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [c] })] })]));
    expect(values(xml, 'motivo_esclusione_cig_siope')).toEqual([motivo]);
    expect(xml).not.toContain('codice_cig_siope');
  });

  it('commercial with two invoices: one electronic (SdI id, IPA), one analog FATT_ANALOGICA (issuer CF, year)', async () => {
    const analogica = fatturaElettronica({
      codiceIpaEnte: 'UFXYZ9',
      tipo: 'ANALOGICO',
      identificativoSdi: null,
      tipoAnalogico: 'FATT_ANALOGICA',
      codiceFiscaleEmittente: 'RSSMRA80A01H501U',
      annoEmissione: 2025,
      numero: '17/A',
      importoCents: 3_000,
      dataScadenza: '2026-01-15',
      motivoScadenza: 'SOSP_DECORRENZA_TERMINI',
      naturaSpesa: 'CAPITALE',
    });
    const c = commerciale({ importoCents: 15_200, debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: null, fatture: [fatturaElettronica(), analogica] } });
    const m = mandato({ importoCents: 15_200, beneficiari: [beneficiario({ importoCents: 15_200, classificazioni: [c] })] });
    const { root } = await built(flusso([m]));
    const [e, a] = firstDebito(root).fattura_siope as Node[];
    expect(e!.tipo_documento_siope_e).toBe('ELETTRONICO');
    expect(e!.identificativo_lotto_sdi_siope).toBe('4567891234');
    expect(a).toEqual({
      codice_ipa_ente_siope: 'UFXYZ9',
      tipo_documento_siope_a: 'ANALOGICO',
      tipo_documento_analogico_siope: 'FATT_ANALOGICA',
      codice_fiscale_emittente_siope: 'RSSMRA80A01H501U',
      anno_emissione_fattura_siope: '2025',
      dati_fattura_siope: {
        numero_fattura_siope: '17/A',
        importo_siope: '30.00',
        data_scadenza_pagam_siope: '2026-01-15',
        motivo_scadenza_siope: 'SOSP_DECORRENZA_TERMINI',
        natura_spesa_siope: 'CAPITALE',
      },
    });
  });

  it('a credit note paid against an invoice has a negative importo_siope', async () => {
    const c = commerciale({ debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: null, fatture: [fatturaElettronica({ importoCents: 13_200 }), fatturaElettronica({ numero: 'NC/3', importoCents: -1_000 })] } });
    const { xml } = await built(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [c] })] })]));
    expect(values(xml, 'importo_siope')).toEqual(['132.00', '-10.00']);
  });

  it.each(['NON_COMMERCIALE', 'IVA'] as const)('%s: tipo_debito_siope_nc only, no CIG and no invoice', async (tipo) => {
    const c = commerciale({ debito: { tipo } });
    const { xml, root } = await built(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [c] })] })]));
    expect(firstDebito(root)).toEqual({ tipo_debito_siope_nc: tipo });
    expect(xml).not.toMatch(/codice_cig_siope|motivo_esclusione_cig_siope|fattura_siope|tipo_debito_siope_c/);
  });

  it('CUP present is written after codice_cgu; absent, no codice_cup element', async () => {
    const withCup = await built(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [commerciale({ codiceCup: 'J11B22000120006' })] })] })]));
    expect(withCup.xml).toMatch(/<codice_cgu>2201<\/codice_cgu>\n\s*<codice_cup>J11B22000120006<\/codice_cup>\n\s*<importo>122.00<\/importo>/);
    const without = await built(flusso());
    expect(without.xml).not.toContain('codice_cup');
  });

  it('several classificazioni for one beneficiario', async () => {
    const b = beneficiario({ classificazioni: [commerciale({ importoCents: 10_000 }), commerciale({ codiceCgu: '2502', importoCents: 2_200, debito: { tipo: 'IVA' } })] });
    const { root } = await built(flusso([mandato({ beneficiari: [b] })]));
    expect((firstBeneficiario(root).classificazione as Node[]).map((c) => [c.codice_cgu, c.importo])).toEqual([
      ['2201', '100.00'],
      ['2502', '22.00'],
    ]);
  });
});

describe('buildFlussoOrdinativi: mandati', () => {
  it('a residuo from last year has anno_provenienza = esercizio - 1', async () => {
    const m = mandato({ miur: { ...mandato().miur, annoProvenienza: 2025, numeroImpegno: 345 } });
    const { root } = await built(flusso([m]));
    expect(root.esercizio).toBe('2026');
    expect(root.mandato[0].dati_a_disposizione_ente_mandato_MIUR.anno_provenienza).toBe('2025');
    expect(root.mandato[0].dati_a_disposizione_ente_mandato_MIUR.numero_impegno).toBe('000345');
  });

  it.each(['VARIAZIONE', 'ANNULLO'] as const)('%s carries the full mandato (the XSD requires it all)', async (tipo) => {
    const { xml, root } = await built(flusso([mandato({ tipoOperazione: tipo, numero: 77 })]));
    expect(root.mandato[0].tipo_operazione).toBe(tipo);
    expect(root.mandato[0].numero_mandato).toBe('77');
    expect(values(xml, 'importo_mandato')).toEqual(['122.00']);
    expect(xml).toContain('<informazioni_beneficiario>');
    expect(xml).toContain('<dati_a_disposizione_ente_mandato_MIUR>');
  });

  it('two beneficiari with progressivo 1 and 2', async () => {
    const m = mandato({
      importoCents: 20_000,
      beneficiari: [
        beneficiario({ progressivo: 1, importoCents: 12_200 }),
        beneficiario({ progressivo: 2, importoCents: 7_800, anagrafica: 'Bianchi Mario', classificazioni: [commerciale({ importoCents: 7_800, debito: { tipo: 'NON_COMMERCIALE' } })] }),
      ],
    });
    const { root } = await built(flusso([m]));
    const b = root.mandato[0].informazioni_beneficiario as Node[];
    expect(b.map((x) => [x.progressivo_beneficiario, x.importo_beneficiario, x.beneficiario.anagrafica_beneficiario])).toEqual([
      ['1', '122.00', 'Cartoleria Rossi S.r.l.'],
      ['2', '78.00', 'Bianchi Mario'],
    ]);
  });

  it('several mandati in one flow', async () => {
    const { root } = await built(flusso([mandato({ numero: 1 }), mandato({ numero: 2 }), mandato({ numero: 9_999_999 })]));
    expect((root.mandato as Node[]).map((m) => m.numero_mandato)).toEqual(['1', '2', '9999999']);
  });

  it('bank transfer carries the IBAN (sepa_credit_transfer); CASSA has none', async () => {
    const sepa = await built(flusso());
    expect(firstBeneficiario(sepa.root).tipo_pagamento).toBe('SEPA CREDIT TRANSFER');
    expect(firstBeneficiario(sepa.root).sepa_credit_transfer).toEqual({ iban: 'IT60X0542811101000000123456' });
    const cassa = await built(flusso([mandato({ beneficiari: [beneficiario({ tipoPagamento: 'CASSA', iban: null })] })]));
    expect(firstBeneficiario(cassa.root).tipo_pagamento).toBe('CASSA');
    expect(cassa.xml).not.toContain('sepa_credit_transfer');
  });

  it('bollo with causale when exempt; charged to the ente without causale; spese left out when null', async () => {
    const exempt = await built(flusso());
    expect(firstBeneficiario(exempt.root).bollo).toEqual({ assoggettamento_bollo: 'ESENTE BOLLO', causale_esenzione_bollo: 'Esente ai sensi del DPR 642/1972' });
    expect(firstBeneficiario(exempt.root).spese).toEqual({ soggetto_destinatario_delle_spese: 'A CARICO ENTE' });
    const charged = await built(flusso([mandato({ beneficiari: [beneficiario({ bollo: { assoggettamento: 'ASSOGGETTATO BOLLO A CARICO ENTE', causaleEsenzione: null }, spese: null })] })]));
    expect(firstBeneficiario(charged.root).bollo).toEqual({ assoggettamento_bollo: 'ASSOGGETTATO BOLLO A CARICO ENTE' });
    expect(charged.xml).not.toContain('<spese>');
  });

  it('a beneficiario with only the anagrafica: the optional address and codes are left out', async () => {
    const b = beneficiario({ codiceFiscale: null, partitaIva: null, indirizzo: null, cap: null, localita: null, provincia: null, stato: null, tipoPagamento: 'CASSA', iban: null });
    const { root } = await built(flusso([mandato({ beneficiari: [b] })]));
    expect(firstBeneficiario(root).beneficiario).toEqual({ anagrafica_beneficiario: 'Cartoleria Rossi S.r.l.' });
  });
});

describe('buildFlussoOrdinativi: text and amounts', () => {
  it('escapes & < > " \' and keeps accented letters; drops characters XML forbids', async () => {
    const b = beneficiario({ anagrafica: 'Rossi & Figli <S.n.c.> "L\'Àncora"', causale: 'Caffè\u0007 e tè > più\u0000 perché' });
    const { xml, root } = await built(flusso([mandato({ beneficiari: [b] })], { descrizioneEnte: 'I.C. "Dante" & Città' }));
    expect(xml).toContain('<anagrafica_beneficiario>Rossi &amp; Figli &lt;S.n.c.&gt; &quot;L&apos;Àncora&quot;</anagrafica_beneficiario>');
    expect(xml).toContain('<causale>Caffè e tè &gt; più perché</causale>');
    expect(root.testata_flusso.descrizione_ente).toBe('I.C. "Dante" & Città');
    expect(firstBeneficiario(root).beneficiario.anagrafica_beneficiario).toBe('Rossi & Figli <S.n.c.> "L\'Àncora"');
  });

  it('cuts an over-long causale to 140 characters and collapses white space', async () => {
    const long = `Pagamento   fattura\n${'x'.repeat(300)}`;
    const { xml } = await built(flusso([mandato({ beneficiari: [beneficiario({ causale: long })] })]));
    const [causale] = values(xml, 'causale');
    expect(causale).toHaveLength(140);
    expect(causale!.startsWith('Pagamento fattura x')).toBe(true);
  });

  it('cuts an over-long anagrafica (140) and invoice number (20, the XSD’s maximum)', async () => {
    const c = commerciale({ debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: null, fatture: [fatturaElettronica({ numero: 'N'.repeat(30) })] } });
    const { xml } = await built(flusso([mandato({ beneficiari: [beneficiario({ anagrafica: 'A'.repeat(200), classificazioni: [c] })] })]));
    expect(values(xml, 'anagrafica_beneficiario')[0]).toHaveLength(140);
    expect(values(xml, 'numero_fattura_siope')).toEqual(['N'.repeat(20)]);
  });

  it('writes 0.01 and 12,345,678.90 exactly, from integer cents', async () => {
    const small = await built(
      flusso([mandato({ importoCents: 1, beneficiari: [beneficiario({ importoCents: 1, classificazioni: [commerciale({ importoCents: 1, debito: { tipo: 'NON_COMMERCIALE' } })] })] })]),
    );
    expect([...values(small.xml, 'importo_mandato'), ...values(small.xml, 'importo_beneficiario'), ...values(small.xml, 'importo')]).toEqual(['0.01', '0.01', '0.01']);
    const big = 1_234_567_890;
    const large = await built(
      flusso([mandato({ importoCents: big, beneficiari: [beneficiario({ importoCents: big, classificazioni: [commerciale({ importoCents: big, debito: { tipo: 'NON_COMMERCIALE' } })] })] })]),
    );
    expect([...values(large.xml, 'importo_mandato'), ...values(large.xml, 'importo_beneficiario'), ...values(large.xml, 'importo')]).toEqual([
      '12345678.90',
      '12345678.90',
      '12345678.90',
    ]);
  });

  it('centsToDecimal never goes through floating point, and refuses what is not cents', () => {
    expect(centsToDecimal(0)).toBe('0.00');
    expect(centsToDecimal(10)).toBe('0.10');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91');
    expect(() => centsToDecimal(1.5)).toThrow();
  });
});

describe('identificativoFlusso and nomeFileFlusso', () => {
  it('identificativoFlusso is readable and fits the XSD pattern [A-Za-z0-9#_-.]{1,70}', () => {
    const id = identificativoFlusso('UFABC1', 2026, 42);
    expect(id).toBe('OPI_UFABC1_2026_000042');
    expect(identificativoFlusso('UF-À 1', 2026, 1_234_567)).toBe('OPI_UF1_2026_1234567');
    for (const x of [id, identificativoFlusso('X'.repeat(80), 2099, 999_999_999)]) expect(x).toMatch(/^[a-zA-Z0-9#_.-]{1,70}$/);
    expect(() => identificativoFlusso('UFABC1', 2026, 0)).toThrow();
  });

  it('nomeFileFlusso uses only [A-Za-z0-9_.-]', () => {
    expect(nomeFileFlusso(testata({ identificativoFlusso: 'OPI_UFABC1_2026_000042' }))).toBe('OPI_UFABC1_2026_000042.xml');
    expect(nomeFileFlusso(testata({ identificativoFlusso: 'F#12' }))).toBe('OPI_UFABC1_F_12.xml');
  });

  it('a flow built with a generated identificativo is valid', async () => {
    const { root } = await built(flusso([mandato()], { identificativoFlusso: identificativoFlusso('UFABC1', 2026, 3) }));
    expect(root.testata_flusso.identificativo_flusso).toBe('OPI_UFABC1_2026_000003');
  });
});

describe('opiFlussoViolations on broken flows (Italian messages)', () => {
  it('a CIG of 3 characters', async () => {
    const c = commerciale({ debito: { tipo: 'COMMERCIALE', cig: 'Z12', motivoEsclusione: null, fatture: [fatturaElettronica()] } });
    const violations = await opiFlussoViolations(Buffer.from(buildFlussoOrdinativi(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [c] })] })]))));
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/^riga \d+: Elemento codice_cig_siope: il valore è lungo 3 caratteri, devono essere 10\./m);
  });

  it('a bad ABI, an impegno of seven digits, a mandato of 0 cents', async () => {
    const m = mandato({ importoCents: 0, miur: { ...mandato().miur, numeroImpegno: 1_234_567 } });
    const violations = await opiFlussoViolations(Buffer.from(buildFlussoOrdinativi(flusso([m], { codiceAbi: '3069' }))));
    const text = violations.join('\n');
    expect(text).toMatch(/Elemento codice_ABI_BT: /);
    expect(text).toMatch(/Elemento importo_mandato: il valore «0.00» è fuori dai limiti ammessi/);
    expect(text).toMatch(/Elemento numero_impegno: il valore «1234567» non ha la forma richiesta/);
    expect(text).not.toMatch(/Element '|is not/); // all said in Italian
  });

  it('both CIG and motivo di esclusione is refused by the schema', async () => {
    const c = commerciale({ debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: 'SPESE_ECONOMALI', fatture: [fatturaElettronica()] } });
    const violations = await opiFlussoViolations(Buffer.from(buildFlussoOrdinativi(flusso([mandato({ beneficiari: [beneficiario({ classificazioni: [c] })] })]))));
    expect(violations.join('\n')).toMatch(/motivo_esclusione_cig_siope: elemento non previsto/);
  });
});

describe('a flow of 2,000 mandati', () => {
  it('is built and validated in one call', async () => {
    const mandati = Array.from({ length: 2_000 }, (_, i) =>
      mandato({
        numero: i + 1,
        beneficiari: [beneficiario({ causale: `Pagamento fattura n. ${i + 1} ${'materiale didattico e di consumo '.repeat(4)}` }), beneficiario({ progressivo: 2 })],
        importoCents: 24_400,
      }),
    );
    const xml = Buffer.from(buildFlussoOrdinativi(flusso(mandati)));
    expect(xml.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(await opiFlussoViolations(xml)).toEqual([]);
  }, 60_000);
});
