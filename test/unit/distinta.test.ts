import { describe, expect, it } from 'vitest';
import {
  identitaMancante, mandatoOpi, problemiMandato, prossimaOperazione, scadenzaLegale, statoInvio, testataOpi, type Candidato, type IdentitaEnte, type Invio,
} from '../../src/domain/distinta.js';
import { buildFlussoOrdinativi, type MandatoOpi } from '../../src/formats/opi/flusso.js';
import { opiFlussoViolations } from '../../src/formats/xsd.js';

/** The rules of the distinta, from plain data: the operation a mandato needs, what stops it, and what the flow carries. */

const ENTE: IdentitaEnte = {
  codice_fiscale: '97812345011', codice_ipa: 'istsc_rmic81200x', descrizione_ente: 'Istituto Comprensivo di prova', codice_univoco_ufficio: 'UF7K2M',
  codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
  codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente art. 16 Tab. B DPR 642/1972', spese_soggetto: 'A CARICO ENTE',
};

function candidato(over: Partial<Candidato> = {}): Candidato {
  return {
    id: 1, version: 1, esercizio: 2026, numero: 15, data: '2026-11-20', importoCents: 12_200, causale: 'Saldo fattura 12/2026', modalitaPagamento: 'SEPA CREDIT TRANSFER',
    tipoDebito: 'COMMERCIALE', annullato: false,
    cig: { id: 3, codice: 'Z1A2B3C4D5', daCompletare: false, annullato: false }, motivoEsclusione: null, cup: 'J41H23000120006',
    impegno: { id: 7, esercizio: 2026, numero: 42 }, conto: { id: 9, codiceSiope: '2301', naturaSpesa: 'CORRENTE' },
    voce: { aggregato: 'A', voce: 2, descrizione: 'Funzionamento amministrativo' },
    beneficiario: {
      id: 4, denominazione: 'Cartoleria Rossi & Figli S.r.l.', codiceFiscale: '01234567897', partitaIva: '01234567897', indirizzo: 'Via Roma 1', cap: '00184',
      localita: 'Roma', provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456',
    },
    fatture: [{ fatturaId: 11, numero: '12/2026', importoCents: 12_200, data: '2026-11-02', scadenza: '2026-12-02', elettronica: { identificativoSdi: '4412345678', codiceDestinatario: 'UF7K2M', cig: ['Z1A2B3C4D5'] }, analogica: null }],
    invii: [],
    ...over,
  };
}

const invio = (over: Partial<Invio> = {}): Invio => ({ flussoId: 1, flussoNumero: 1, tipoOperazione: 'INSERIMENTO', mandatoVersion: 1, esito: null, dati: mandatoOpi(candidato(), 'INSERIMENTO', ENTE), ...over });

async function validFlow(mandati: MandatoOpi[]) {
  const xml = buildFlussoOrdinativi({ testata: testataOpi(ENTE, 'OPI_UF7K2M_2026_000001', '2026-11-27T10:00:00'), esercizio: 2026, mandati });
  expect(await opiFlussoViolations(Buffer.from(xml))).toEqual([]);
  return xml;
}

describe('prossimaOperazione and statoInvio: the life cycle', () => {
  it('never sent: INSERIMENTO; sent and unchanged: nothing; edited after: VARIAZIONE; annulled after: ANNULLO; after the ANNULLO: nothing', () => {
    expect(prossimaOperazione({ version: 1, annullato: false, invii: [] })).toBe('INSERIMENTO');
    expect(prossimaOperazione({ version: 1, annullato: false, invii: [invio()] })).toBeNull();
    expect(prossimaOperazione({ version: 2, annullato: false, invii: [invio()] })).toBe('VARIAZIONE');
    expect(prossimaOperazione({ version: 3, annullato: true, invii: [invio()] })).toBe('ANNULLO');
    expect(prossimaOperazione({ version: 3, annullato: true, invii: [invio(), invio({ tipoOperazione: 'ANNULLO', mandatoVersion: 3 })] })).toBeNull();
    expect(statoInvio({ version: 2, annullato: false, invii: [invio()] })).toBe('da_variare');
    expect(statoInvio({ version: 1, annullato: false, invii: [invio({ esito: 'accettato' })] })).toBe('accettato');
  });

  it('a refused sending does not count: the bank does not know the mandato, so it goes again as INSERIMENTO (or not at all once annulled)', () => {
    expect(prossimaOperazione({ version: 1, annullato: false, invii: [invio({ esito: 'rifiutato' })] })).toBe('INSERIMENTO');
    expect(statoInvio({ version: 1, annullato: false, invii: [invio({ esito: 'rifiutato' })] })).toBe('rifiutato');
    expect(prossimaOperazione({ version: 2, annullato: true, invii: [invio({ esito: 'rifiutato' })] })).toBeNull();
    // A refused VARIAZIONE: the bank still has the INSERIMENTO, the variation goes again.
    expect(prossimaOperazione({ version: 2, annullato: false, invii: [invio({ esito: 'accettato' }), invio({ tipoOperazione: 'VARIAZIONE', mandatoVersion: 2, esito: 'rifiutato' })] })).toBe('VARIAZIONE');
  });

  it('an annulled mandato never sent needs nothing', () => {
    expect(prossimaOperazione({ version: 2, annullato: true, invii: [] })).toBeNull();
    expect(statoInvio({ version: 2, annullato: true, invii: [] })).toBe('annullato');
  });
});

describe('problemiMandato: the pre-flight check, one reason each', () => {
  it('a complete commercial mandato has none', () => {
    expect(problemiMandato(candidato(), 'INSERIMENTO')).toEqual([]);
  });

  it.each([
    ['no beneficiario', { beneficiario: null }, 'senza_beneficiario'],
    ['no IBAN on a bank transfer', { beneficiario: { ...candidato().beneficiario!, iban: null } }, 'senza_iban'],
    ['neither codice fiscale nor P.IVA', { beneficiario: { ...candidato().beneficiario!, codiceFiscale: null, partitaIva: null } }, 'senza_codice_fiscale'],
    ['no conto', { conto: null }, 'senza_conto'],
    ['conto without SIOPE code', { conto: { id: 9, codiceSiope: null, naturaSpesa: 'CORRENTE' } }, 'conto_senza_siope'],
    ['conto without natura (invoices need it)', { conto: { id: 9, codiceSiope: '2301', naturaSpesa: null } }, 'conto_senza_natura'],
    ['commercial without invoice', { fatture: [] }, 'commerciale_senza_fattura'],
    ['CIG da completare', { cig: { id: 3, codice: 'Z1A2B3C4D5', daCompletare: true, annullato: false } }, 'cig_da_completare'],
    ['CIG annullato', { cig: { id: 3, codice: 'Z1A2B3C4D5', daCompletare: false, annullato: true } }, 'cig_annullato'],
    ['neither CIG nor motivo', { cig: null, motivoEsclusione: null }, 'senza_cig_ne_motivo'],
  ] as const)('%s', (_name, over, tipo) => {
    expect(problemiMandato(candidato(over as Partial<Candidato>), 'INSERIMENTO').map((p) => p.tipo)).toEqual([tipo]);
  });

  it('an invoice without SdI identifier, or with another CIG, is named', () => {
    const f = candidato().fatture[0]!;
    const c = candidato({ fatture: [{ ...f, elettronica: { identificativoSdi: null, codiceDestinatario: 'UF7K2M', cig: ['ZZZZZZZZZZ'] } }] });
    expect(problemiMandato(c, 'VARIAZIONE')).toEqual([
      { tipo: 'fattura_senza_sdi', fatturaId: 11, numero: '12/2026' },
      { tipo: 'fattura_cig_diverso', fatturaId: 11, numero: '12/2026', cig: ['ZZZZZZZZZZ'] },
    ]);
  });

  it('cash needs no IBAN; a non-commercial debt needs no invoice nor CIG; an ANNULLO needs nothing more', () => {
    expect(problemiMandato(candidato({ modalitaPagamento: 'CASSA', beneficiario: { ...candidato().beneficiario!, iban: null } }), 'INSERIMENTO')).toEqual([]);
    expect(problemiMandato(candidato({ tipoDebito: 'NON_COMMERCIALE', cig: null, fatture: [] }), 'INSERIMENTO')).toEqual([]);
    expect(problemiMandato(candidato({ beneficiario: null, conto: null }), 'ANNULLO')).toEqual([]);
  });

  it('the school identity: every field the flow needs is named', () => {
    expect(identitaMancante(ENTE)).toEqual([]);
    expect(identitaMancante({ ...ENTE, codice_abi: null, codice_tramite_bt: null })).toEqual(['codice ABI del cassiere', 'codice tramite BT']);
  });
});

describe('mandatoOpi: what the flow carries, each rule built and validated against the official schema', () => {
  it('commercial with CIG, its invoice electronic with the SdI id and the office it was addressed to, CUP present', async () => {
    const m = mandatoOpi(candidato(), 'INSERIMENTO', ENTE);
    const cl = m.beneficiari[0]!.classificazioni[0]!;
    expect(cl).toMatchObject({ codiceCgu: '2301', codiceCup: 'J41H23000120006', debito: { tipo: 'COMMERCIALE', cig: 'Z1A2B3C4D5', motivoEsclusione: null } });
    const xml = await validFlow([m]);
    expect(xml).toContain('<identificativo_lotto_sdi_siope>4412345678</identificativo_lotto_sdi_siope>');
    expect(xml).toContain('<codice_ipa_ente_siope>UF7K2M</codice_ipa_ente_siope>');
    expect(xml).toContain('<numero_impegno>000042</numero_impegno>');
  });

  it('commercial with motivo di esclusione and no CIG; CUP absent', async () => {
    const m = mandatoOpi(candidato({ cig: null, motivoEsclusione: 'AMMINISTRAZIONE DIRETTA', cup: null }), 'INSERIMENTO', ENTE);
    const xml = await validFlow([m]);
    expect(xml).toContain('<motivo_esclusione_cig_siope>AMMINISTRAZIONE DIRETTA</motivo_esclusione_cig_siope>');
    expect(xml).not.toContain('<codice_cig_siope>');
    expect(xml).not.toContain('<codice_cup>');
  });

  it('two invoices: one electronic, one analog with the issuer’s codice fiscale and year; an invoice without due date gets the legal 30 days', async () => {
    const analog = { fatturaId: null, numero: 'R-7', importoCents: 5_000, data: '2026-10-31', scadenza: null, elettronica: null, analogica: { tipo: 'FATT_ANALOGICA' as const, codiceFiscale: 'RSSMRA80A01H501U' } };
    const m = mandatoOpi(candidato({ importoCents: 17_200, fatture: [candidato().fatture[0]!, analog] }), 'INSERIMENTO', ENTE);
    const fatture = (m.beneficiari[0]!.classificazioni[0]!.debito as { fatture: unknown[] }).fatture;
    expect(fatture).toHaveLength(2);
    expect(fatture[1]).toMatchObject({ tipo: 'ANALOGICO', codiceFiscaleEmittente: 'RSSMRA80A01H501U', annoEmissione: 2026, dataScadenza: '2026-11-30', codiceIpaEnte: 'UF7K2M' });
    const xml = await validFlow([m]);
    expect(xml.match(/<fattura_siope>/g)).toHaveLength(2);
    expect(scadenzaLegale('2026-12-15')).toBe('2027-01-14');
  });

  it('non-commercial and IVA debts carry no CIG nor invoices', async () => {
    const nc = mandatoOpi(candidato({ tipoDebito: 'NON_COMMERCIALE', cig: null, fatture: [] }), 'INSERIMENTO', ENTE);
    const iva = mandatoOpi(candidato({ numero: 16, tipoDebito: 'IVA', cig: null, fatture: [], modalitaPagamento: 'F24EP', beneficiario: { ...candidato().beneficiario!, denominazione: 'Erario', iban: null } }), 'INSERIMENTO', ENTE);
    const xml = await validFlow([nc, iva]);
    expect(xml).toContain('NON_COMMERCIALE');
    expect(xml).toMatch(/<tipo_debito_siope_nc>IVA<\/tipo_debito_siope_nc>/);
    expect(xml).not.toContain('<fattura_siope>');
    expect(iva.beneficiari[0]!.iban).toBeNull();
  });

  it('a residuo from last year: anno_provenienza is the impegno’s esercizio', async () => {
    const m = mandatoOpi(candidato({ impegno: { id: 7, esercizio: 2025, numero: 310 } }), 'INSERIMENTO', ENTE);
    expect(m.miur).toMatchObject({ annoProvenienza: 2025, numeroImpegno: 310, aggregato: 'A', descrizioneAggregato: 'Attività', voce: 2 });
    expect(await validFlow([m])).toContain('<anno_provenienza>2025</anno_provenienza>');
  });

  it('a variation carries the mandato as it is now; an annulment repeats what the bank last knew', async () => {
    const sent = invio({ esito: 'accettato' });
    const edited = candidato({ version: 3, annullato: true, causale: 'Causale cambiata dopo', invii: [sent] });
    const variazione = mandatoOpi({ ...edited, annullato: false }, 'VARIAZIONE', ENTE);
    expect(variazione.beneficiari[0]!.causale).toBe('Causale cambiata dopo');
    const annullo = mandatoOpi(edited, 'ANNULLO', ENTE);
    expect(annullo.tipoOperazione).toBe('ANNULLO');
    expect(annullo.beneficiari[0]!.causale).toBe('Saldo fattura 12/2026');
    const xml = await validFlow([variazione, { ...annullo, numero: 17 }]);
    expect(xml).toContain('<tipo_operazione>VARIAZIONE</tipo_operazione>');
    expect(xml).toContain('<tipo_operazione>ANNULLO</tipo_operazione>');
  });
});
