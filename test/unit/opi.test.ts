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

/** docs/dominio.md §4, copied literally (OPI XSD 1.3.1–1.7.1). */
const OPI_MOTIVI = [
  'ACCORDO_AMM_AGGIUDICATRICI', 'ACQUISTO_LOCAZIONE', 'AFFIDAMENTI_IN_HOUSE', 'AMMINISTRAZIONE DIRETTA',
  'APPALTI_ENERGIA_ACQUA', 'ARBITRATO', 'ATTIVITA_CONCORRENZA', 'CONCESSIONI_PAESI_TERZI',
  'CONTRATTI_ASSOCIAZIONE', 'CONTRATTI_AUTORITA_GIUDIZIARIA', 'CONTRATTI_DIFESA', 'CONTRATTI_ESTERO',
  'CONTRATTI_LAVORO', 'DIRITTO_ESCLUSIVO', 'EROGAZIONI_LIBERALITA', 'IMPRESA_COLLEGATA',
  'INCARICHI_COLLABORAZIONE', 'JOINT_VENTURE', 'PRESTAZIONI', 'RIASSICURAZIONE',
  'RISARCIMENTI_INDENNIZZI', 'SERVIZI_BANCHE_CENTRALI_EFSF', 'SERVIZI_CAMPAGNE_POLITICHE',
  'SPESE_ECONOMALI', 'SPONSORIZZAZIONE_PURA', 'TRASFERIMENTO_FONDI', 'TRASPORTO_AEREO',
];

const OPI_MODALITA = [
  'SEPA CREDIT TRANSFER', 'ACCREDITO CONTO CORRENTE POSTALE', 'ACCREDITO TESORERIA PROVINCIALE STATO',
  'ASSEGNO BANCARIO E POSTALE', 'ASSEGNO CIRCOLARE', 'AVVISO PAGOPA', 'BONIFICO ESTERO EURO', 'CASSA',
  'COMPENSAZIONE', 'F24EP', 'REGOLARIZZAZIONE', 'ADDEBITO PREAUTORIZZATO', 'DISPOSIZIONE DOCUMENTO ESTERNO',
  'SOSTITUZIONE',
];

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
  it('has exactly the 27 OPI values, in order, including the one with a space', () => {
    expect(MOTIVI_ESCLUSIONE_CIG.map((o) => o.value)).toEqual(OPI_MOTIVI);
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
  it('has exactly the 14 OPI values of docs/dominio.md §4', () => {
    expect(MODALITA_PAGAMENTO.map((o) => o.value)).toEqual(OPI_MODALITA);
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
  it('lists commerciale / non commerciale', () => {
    expect(TIPI_DEBITO).toEqual([
      { value: 'COMMERCIALE', label: 'Commerciale' },
      { value: 'NON_COMMERCIALE', label: 'Non commerciale' },
    ]);
    expectGuard(isTipoDebito, { accepts: ['COMMERCIALE', 'NON_COMMERCIALE'], rejects: ['IVA'] });
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
