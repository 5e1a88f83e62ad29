import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  MODALITA_PAGAMENTO,
  MOTIVI_ESCLUSIONE_CIG,
  SCELTE_CONTRAENTE,
  TIPI_DEBITO,
  isModalitaPagamento,
  isMotivoEsclusioneCig,
  isSceltaContraente,
  isTipoDebito,
  labelOf,
  type Option,
} from '../../src/domain/opi.js';
import { expectGuard } from '../helpers/validation.js';

/** The official OPI 1.7.1 flow schema, vendored unchanged (standards/opi-1.7.1/SOURCE.md). */
const XSD = fs.readFileSync(path.join(import.meta.dirname, '../../standards/opi-1.7.1/OPI_FLUSSO_ORDINATIVI_V_1_7_1.xsd'), 'utf8');

/** The enumeration values of the schema's fragment that starts at `start` and ends at the first `</xs:restriction>`. */
function enumerationAfter(start: string): string[] {
  const from = XSD.indexOf(start);
  if (from < 0) throw new Error(`${start} non trovato nello schema OPI`);
  const fragment = XSD.slice(from, XSD.indexOf('</xs:restriction>', from));
  return [...fragment.matchAll(/<xs:enumeration value=\s*"([^"]+)"/g)].map((m) => m[1]!);
}

const OPI_MOTIVI = enumerationAfter('<xs:simpleType name="stMotivo_esclusione_cig_siope">');
const OPI_MODALITA = enumerationAfter('<xs:element name="tipo_pagamento">');

function expectWellFormed(list: readonly Option[]): void {
  const values = list.map((o) => o.value);
  expect(new Set(values).size).toBe(values.length);
  const labels = list.map((o) => o.label);
  expect(new Set(labels).size).toBe(labels.length);
  for (const o of list) {
    expect(o.label.trim()).not.toBe('');
    expect(o.label).not.toBe(o.value); // a label, not the raw code
  }
}

describe('MOTIVI_ESCLUSIONE_CIG', () => {
  it('has exactly the 27 values of the OPI schema, including the one with a space', () => {
    expect(OPI_MOTIVI).toHaveLength(27);
    expect(MOTIVI_ESCLUSIONE_CIG.map((o) => o.value).sort()).toEqual([...OPI_MOTIVI].sort());
    expect(MOTIVI_ESCLUSIONE_CIG).toHaveLength(27);
    expectGuard(isMotivoEsclusioneCig, { accepts: ['AMMINISTRAZIONE DIRETTA'], rejects: ['AMMINISTRAZIONE_DIRETTA'] });
  });

  it('has short Italian labels', () => {
    expectWellFormed(MOTIVI_ESCLUSIONE_CIG);
    expect(labelOf(MOTIVI_ESCLUSIONE_CIG, 'SPESE_ECONOMALI')).toBe('Spese economali');
    expect(labelOf(MOTIVI_ESCLUSIONE_CIG, 'CONTRATTI_LAVORO')).toBe('Contratti di lavoro');
    expect(labelOf(MOTIVI_ESCLUSIONE_CIG, 'TRASFERIMENTO_FONDI')).toBe('Trasferimento di fondi');
    expect(labelOf(MOTIVI_ESCLUSIONE_CIG, 'AMMINISTRAZIONE DIRETTA')).toBe('Amministrazione diretta');
    for (const o of MOTIVI_ESCLUSIONE_CIG) expect(o.label).not.toMatch(/_/);
  });

  it('guards reject anything else', () => {
    expectGuard(isMotivoEsclusioneCig, { rejects: ['spese_economali', '', undefined] });
  });
});

describe('MODALITA_PAGAMENTO', () => {
  it('has exactly the 14 values of tipo_pagamento in the OPI schema', () => {
    expect(OPI_MODALITA).toHaveLength(14);
    expect(MODALITA_PAGAMENTO.map((o) => o.value).sort()).toEqual([...OPI_MODALITA].sort());
    expectWellFormed(MODALITA_PAGAMENTO);
  });

  it('labels them in Italian', () => {
    expect(labelOf(MODALITA_PAGAMENTO, 'SEPA CREDIT TRANSFER')).toBe('Bonifico SEPA');
    expect(labelOf(MODALITA_PAGAMENTO, 'ASSEGNO CIRCOLARE')).toBe('Assegno circolare');
    expect(labelOf(MODALITA_PAGAMENTO, 'AVVISO PAGOPA')).toBe('Avviso pagoPA');
  });

  it('guards', () => {
    expectGuard(isModalitaPagamento, { accepts: ['F24EP'], rejects: ['BONIFICO'] });
  });
});

describe('TIPI_DEBITO', () => {
  it('lists commerciale / non commerciale / IVA (OPI tipo_debito_siope_nc IVA, split payment)', () => {
    expect(TIPI_DEBITO).toEqual([
      { value: 'COMMERCIALE', label: 'Commerciale' },
      { value: 'NON_COMMERCIALE', label: 'Non commerciale' },
      { value: 'IVA', label: 'IVA (scissione dei pagamenti, versata all’Erario)' },
    ]);
    expectGuard(isTipoDebito, { accepts: ['COMMERCIALE', 'NON_COMMERCIALE', 'IVA'], rejects: ['iva', 'COMMERCIALE_IVA'] });
    const opi = [...enumerationAfter('<xs:simpleType name="stTipo_debito_commerciale">'), ...enumerationAfter('<xs:simpleType name="stTipo_debito_non_commerciale">')];
    expect(TIPI_DEBITO.map((t) => t.value).sort()).toEqual(opi.sort());
  });
});

describe('SCELTE_CONTRAENTE', () => {
  it('has the procedure types with Italian labels', () => {
    expectWellFormed(SCELTE_CONTRAENTE);
    expect(SCELTE_CONTRAENTE.length).toBeGreaterThanOrEqual(10);
    expect(SCELTE_CONTRAENTE.length).toBeLessThanOrEqual(14);
    const expected: Record<string, string> = {
      AFFIDAMENTO_DIRETTO: 'Affidamento diretto',
      PROCEDURA_NEGOZIATA_SENZA_BANDO: 'Procedura negoziata senza previa pubblicazione',
      PROCEDURA_APERTA: 'Procedura aperta',
      PROCEDURA_RISTRETTA: 'Procedura ristretta',
      ADESIONE_CONVENZIONE: 'Adesione a convenzione Consip',
      MEPA_ODA: 'Ordine diretto MePA',
      MEPA_TD: 'Trattativa diretta MePA',
      MEPA_RDO: 'Richiesta di offerta MePA',
      ACCORDO_QUADRO: 'Adesione ad accordo quadro',
      ALTRO: 'Altro',
    };
    for (const [value, label] of Object.entries(expected)) expect(labelOf(SCELTE_CONTRAENTE, value)).toBe(label);
    expectGuard(isSceltaContraente, { accepts: Object.keys(expected), rejects: ['Affidamento diretto'] });
  });
});

describe('labelOf', () => {
  it('returns "" for missing values and the value itself when unknown', () => {
    expect(labelOf(TIPI_DEBITO, null)).toBe('');
    expect(labelOf(TIPI_DEBITO, undefined)).toBe('');
    expect(labelOf(TIPI_DEBITO, '')).toBe('');
    expect(labelOf(TIPI_DEBITO, 'VECCHIO_VALORE')).toBe('VECCHIO_VALORE');
  });
});
