import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSOGGETTAMENTI_BOLLO, SOGGETTI_SPESE } from '../../src/domain/opi.js';
import { scuolaSchema } from '../../src/validation/scuolaSchemas.js';

/** Impostazioni → Scuola e cassiere: the form's rules, and the OPI 1.7.1 schema they mirror. */
const GOOD = {
  codice_fiscale: '97812345011', descrizione_ente: 'Istituto Comprensivo Demo', codice_ipa: 'istsc_rmic8zz00q', codice_univoco_ufficio: 'UF7K2M',
  codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
  codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente ai sensi dell’art. 16 Tabella B DPR 642/1972',
  spese_soggetto: 'A CARICO ENTE', version: '3',
};

const parse = (change: Record<string, unknown>) => scuolaSchema.safeParse({ ...GOOD, ...change });
const messageOf = (change: Record<string, unknown>, field: string) => {
  const r = parse(change);
  expect(r.success, JSON.stringify(change)).toBe(false);
  return r.error!.issues.find((i) => i.path[0] === field)?.message ?? '';
};

describe('scuolaSchema', () => {
  it('accepts a complete identity and normalises what people paste (spaces, case)', () => {
    const r = parse({ codice_ipa: ' ISTSC_RMIC8ZZ00Q ', codice_univoco_ufficio: 'uf7 k2m', codice_abi: ' 03069', codice_tramite_ente: 'a2a-12345678', codice_fiscale: '978 1234 5011' });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ codice_ipa: 'istsc_rmic8zz00q', codice_univoco_ufficio: 'UF7K2M', codice_abi: '03069', codice_tramite_ente: 'A2A-12345678', codice_fiscale: '97812345011', version: 3 });
  });

  it('accepts every field empty (null), as a school before it sends mandati', () => {
    const empty = Object.fromEntries(Object.keys(GOOD).filter((k) => k !== 'version').map((k) => [k, '']));
    const r = parse(empty);
    expect(r.success).toBe(true);
    expect(Object.values({ ...r.data, version: null, _csrf: null }).every((v) => v === null || v === undefined)).toBe(true);
  });

  it.each([
    ['codice_abi', '3069', 'Il codice ABI ha 5 cifre, per esempio 03069'],
    ['codice_abi', '0306A', 'Il codice ABI ha 5 cifre'],
    ['codice_univoco_ufficio', 'UF7K2', 'ha 6 caratteri'],
    ['codice_univoco_ufficio', 'UF-K2M', 'ha 6 caratteri'],
    ['codice_ente', '0000000', 'Il codice ente ha 6 caratteri'],
    ['codice_istat', '12345678', 'da 9 a 15 cifre'],
    ['codice_istat', '1234567890123456', 'da 9 a 15 cifre'],
    ['codice_ipa', 'a', 'Il codice IPA'],
    ['codice_ipa', 'istsc-rmic', 'Il codice IPA'],
    ['codice_ente_bt', '12#45', 'Il codice ente BT'],
    ['codice_tramite_ente', 'A2A-1234567', 'A2A- seguito da 8 cifre'],
    ['codice_tramite_bt', 'B2B-12345678', 'A2A- seguito da 8 cifre'],
    ['codice_fiscale', '97812345012', 'Cifra di controllo errata'],
    ['codice_fiscale', 'RSSMRA80A01H501U', 'Una scuola ha il codice fiscale numerico di 11 cifre'],
    ['descrizione_ente', 'x'.repeat(301), 'al massimo 300 caratteri'],
    ['bollo_assoggettamento', 'ASSOGGETTATO BOLLO A CARICO VERSANTE', 'Scegli il bollo dall’elenco'],
    ['spese_soggetto', 'A CARICO BANCA', 'Scegli chi paga le spese bancarie'],
  ])('refuses %s = %j: «%s»', (field, value, fragment) => {
    expect(messageOf({ [field]: value }, field)).toContain(fragment);
  });

  it('asks for the causale exactly when the bollo is exempt', () => {
    expect(messageOf({ bollo_causale_esenzione: '' }, 'bollo_causale_esenzione')).toContain('scrivi la causale');
    expect(messageOf({ bollo_assoggettamento: 'ASSOGGETTATO BOLLO A CARICO ENTE' }, 'bollo_causale_esenzione')).toContain('vale solo se scegli');
    expect(messageOf({ bollo_assoggettamento: '' }, 'bollo_causale_esenzione')).toContain('vale solo se scegli');
    expect(parse({ bollo_assoggettamento: 'ASSOGGETTATO BOLLO A CARICO BENEFICIARIO', bollo_causale_esenzione: '' }).success).toBe(true);
  });

  it('refuses unknown fields and a missing version', () => {
    expect(parse({ ruolo: 'admin' }).success).toBe(false);
    expect(parse({ version: undefined }).success).toBe(false);
  });
});

describe('the OPI 1.7.1 schema the lists mirror (standards/opi-1.7.1)', () => {
  const xsd = readFileSync('standards/opi-1.7.1/OPI_FLUSSO_ORDINATIVI_V_1_7_1.xsd', 'utf8');
  const enumerationOf = (element: string, from: number) => {
    const start = xsd.indexOf(`name="${element}"`, from);
    const end = xsd.indexOf('</xs:restriction>', start);
    return [...xsd.slice(start, end).matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]).sort();
  };
  // The mandato's block (the reversale's bollo, earlier in the file, names the versante instead).
  const mandato = xsd.indexOf('name="informazioni_beneficiario"');

  it('bollo: the values of a mandato\'s assoggettamento_bollo', () => {
    expect(ASSOGGETTAMENTI_BOLLO.map((o) => o.value).sort()).toEqual(enumerationOf('assoggettamento_bollo', mandato));
  });

  it('spese: the values of soggetto_destinatario_delle_spese', () => {
    expect(SOGGETTI_SPESE.map((o) => o.value).sort()).toEqual(enumerationOf('soggetto_destinatario_delle_spese', mandato));
  });
});
