import { describe, expect, it } from 'vitest';
import {
  codiciValidi, creditoreDalCedente, descrizioneDalleRighe, indirizzoDalCedente, indirizzoDellaSede, motivoSufficiente, senzaCigDaSegnalare, verificaCollegamento,
  type CedenteLetto, type ImpegnoDaCollegare,
} from '../../src/domain/fatturaCollegamento.js';

const impegno = (o: Partial<ImpegnoDaCollegare> = {}): ImpegnoDaCollegare => ({
  numero: 7, esercizio: 2026, cig: null, cup: null, motivoEsclusioneCig: null, creditoreId: null, creditore: null, ...o,
});
const fattura = (o: Partial<{ cig: string[]; cup: string[]; creditoreId: number | null }> = {}) => ({ cig: [], cup: [], creditoreId: null, fornitore: 'Rossi S.r.l.', ...o });

describe('codiciValidi', () => {
  it('counts valid codes and those written in the other field; not corrections or invalid ones', () => {
    expect(codiciValidi([
      { tipo: 'cig', esito: 'valido', codice: 'A' },
      { tipo: 'cig', esito: 'valido', codice: 'A' },
      { tipo: 'cup', esito: 'altro_campo', codice: 'P' },
      { tipo: 'cig', esito: 'correzione', codice: 'B' },
      { tipo: 'cig', esito: 'non_valido', codice: null },
    ])).toEqual({ cig: ['A'], cup: ['P'] });
  });
});

describe('verificaCollegamento', () => {
  it('(a) refuses an impegno with another CIG, naming both codes and the law', () => {
    const v = verificaCollegamento(fattura({ cig: ['9050626CD6'] }), impegno({ cig: '7000001D20' }));
    expect(v.rifiuti).toHaveLength(1);
    expect(v.rifiuti[0]).toContain('La fattura riporta il CIG 9050626CD6, l’impegno n. 7/2026 ha il CIG 7000001D20');
    expect(v.rifiuti[0]).toContain('art. 25 DL 66/2014; art. 3 L. 136/2010');
  });

  it('(a) refuses an impegno without CIG when the invoice has one, also one excluded from the CIG', () => {
    expect(verificaCollegamento(fattura({ cig: ['9050626CD6'] }), impegno()).rifiuti[0]).toContain('non ha nessun CIG');
    expect(verificaCollegamento(fattura({ cig: ['9050626CD6'] }), impegno({ motivoEsclusioneCig: 'SPESE_ECONOMALI' })).rifiuti).toHaveLength(1);
  });

  it('accepts the same CIG among several of the invoice', () => {
    expect(verificaCollegamento(fattura({ cig: ['X', '9050626CD6'] }), impegno({ cig: '9050626CD6' }))).toEqual({ rifiuti: [], avvisi: [] });
  });

  it('(b) refuses an impegno whose CUP the invoice lacks, also when it carries another CUP', () => {
    const none = verificaCollegamento(fattura({ cig: ['C'] }), impegno({ cig: 'C', cup: 'C44D22002780006' }));
    expect(none.rifiuti).toEqual([expect.stringContaining('L’impegno n. 7/2026 ha il CUP C44D22002780006, la fattura non riporta nessun CUP valido')]);
    const other = verificaCollegamento(fattura({ cig: ['C'], cup: ['J11B20000000001'] }), impegno({ cig: 'C', cup: 'C44D22002780006' }));
    expect(other.rifiuti[0]).toContain('la fattura riporta il CUP J11B20000000001');
    expect(verificaCollegamento(fattura({ cig: ['C'], cup: ['C44D22002780006'] }), impegno({ cig: 'C', cup: 'C44D22002780006' })).rifiuti).toEqual([]);
  });

  it('(c) refuses a CIG impegno for an invoice without CIG; (d) accepts one excluded from the CIG', () => {
    expect(verificaCollegamento(fattura(), impegno({ cig: 'C' })).rifiuti[0]).toContain('La fattura non riporta nessun CIG valido');
    expect(verificaCollegamento(fattura(), impegno({ motivoEsclusioneCig: 'SPESE_ECONOMALI' }))).toEqual({ rifiuti: [], avvisi: [] });
  });

  it('warns (never refuses) on an impegno with neither CIG nor exclusion, and on another creditore', () => {
    expect(verificaCollegamento(fattura(), impegno()).avvisi[0]).toContain('resta «senza CIG»');
    const v = verificaCollegamento(fattura({ cig: ['C'], creditoreId: 1 }), impegno({ cig: 'C', creditoreId: 2, creditore: 'Bianchi' }));
    expect(v).toEqual({ rifiuti: [], avvisi: [expect.stringContaining('Il creditore dell’impegno (Bianchi) non è il fornitore della fattura (Rossi S.r.l.)')] });
    expect(verificaCollegamento(fattura({ cig: ['C'], creditoreId: null }), impegno({ cig: 'C', creditoreId: 2 })).avvisi).toEqual([]);
  });
});

describe('motivoSufficiente, senzaCigDaSegnalare', () => {
  it('asks a few words for an override', () => {
    expect(motivoSufficiente('ok')).toBe(false);
    expect(motivoSufficiente('   va bene così   ')).toBe(false);
    expect(motivoSufficiente('Contratto ponte in attesa del CIG')).toBe(true);
  });

  it('shows “senza CIG” unless the tied impegno has a motivo di esclusione', () => {
    expect(senzaCigDaSegnalare(true, null)).toBe(true);
    expect(senzaCigDaSegnalare(true, 'SPESE_ECONOMALI')).toBe(false);
    expect(senzaCigDaSegnalare(false, null)).toBe(false);
  });
});

describe('descrizioneDalleRighe', () => {
  const linee = [{ numeroLinea: 1, descrizione: 'Carta  A4' }, { numeroLinea: 2, descrizione: 'Toner' }, { numeroLinea: 3, descrizione: 'Carta A4' }];
  it('takes the lines the code concerns, or all; deduplicated and shortened', () => {
    expect(descrizioneDalleRighe(linee, [])).toBe('Carta A4; Toner');
    expect(descrizioneDalleRighe(linee, [2])).toBe('Toner');
    expect(descrizioneDalleRighe([{ numeroLinea: 1, descrizione: 'x'.repeat(300) }], [], 50)).toHaveLength(50);
  });
});

describe('creditoreDalCedente', () => {
  const cedente = (o: Partial<CedenteLetto> = {}): CedenteLetto => ({
    denominazione: 'Cartoleria Rossi S.r.l.', nome: null, cognome: null, idFiscaleIva: { idPaese: 'IT', idCodice: '01234567897' }, codiceFiscale: '01234567897',
    sede: { indirizzo: 'Via Tiburtina', numeroCivico: '1020', cap: '00156', comune: 'Roma', provincia: 'RM', nazione: 'IT' },
    ...o,
  });

  it('takes the name, the checked ids, the address and the first valid IBAN', () => {
    expect(creditoreDalCedente(cedente(), [{ iban: 'IT00X0000000000000000000000' }, { iban: null }, { iban: 'IT60 X054 2811 1010 0000 0123 456' }])).toEqual({
      denominazione: 'Cartoleria Rossi S.r.l.', partita_iva: '01234567897', codice_fiscale: '01234567897',
      indirizzo: 'Via Tiburtina 1020', cap: '00156', localita: 'Roma', provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456',
    });
  });

  it('takes the Sede in the register’s parts: CAP, Comune as località, Provincia, Nazione as stato', () => {
    const sede = (o: Partial<CedenteLetto['sede']>): CedenteLetto['sede'] => ({ indirizzo: 'Via Tiburtina', numeroCivico: '1020', cap: '00156', comune: 'Roma', provincia: 'RM', nazione: 'IT', ...o });
    expect(indirizzoDalCedente(sede({ provincia: ' rm ', nazione: null, comune: '  Roma  ' }))).toEqual({ indirizzo: 'Via Tiburtina 1020', cap: '00156', localita: 'Roma', provincia: 'RM', stato: 'IT' });
    // Abroad: FatturaPA's 00000 CAP of a foreign Sede is no CAP; a foreign region is kept as two letters.
    expect(indirizzoDalCedente(sede({ indirizzo: 'Hauptstraße 5', numeroCivico: null, cap: '00000', comune: 'Berlin', provincia: null, nazione: 'DE' })))
      .toEqual({ indirizzo: 'Hauptstraße 5', cap: null, localita: 'Berlin', provincia: null, stato: 'DE' });
    expect(indirizzoDalCedente(sede({ cap: '10115', comune: 'Berlin', provincia: null, nazione: 'DE' }))).toMatchObject({ cap: '10115', stato: 'DE' });
    // A provincia that is not one (EE, a typo) is left out; the rest stays.
    expect(indirizzoDalCedente(sede({ provincia: 'EE' }))).toMatchObject({ cap: '00156', localita: 'Roma', provincia: null });
    expect(indirizzoDalCedente(sede({ provincia: 'XX' }))).toMatchObject({ provincia: null, stato: 'IT' });
    // Parts the register would refuse (a 4-digit CAP, a CAP without its comune): the whole address as one text in the street.
    expect(indirizzoDalCedente(sede({ cap: '0015' }))).toEqual({ indirizzo: 'Via Tiburtina 1020, 0015 Roma (RM), IT', cap: null, localita: null, provincia: null, stato: 'IT' });
    expect(indirizzoDalCedente(sede({ comune: null }))).toEqual({ indirizzo: 'Via Tiburtina 1020, 00156 (RM), IT', cap: null, localita: null, provincia: null, stato: 'IT' });
    expect(indirizzoDalCedente(sede({ nazione: 'Italia' }))).toMatchObject({ stato: 'IT', cap: '00156' });
    expect(indirizzoDalCedente({ indirizzo: null, numeroCivico: null, cap: null, comune: null, provincia: null, nazione: null }))
      .toEqual({ indirizzo: null, cap: null, localita: null, provincia: null, stato: 'IT' });
  });

  it('drops ids that fail their checks and foreign VAT numbers; a person is Cognome Nome', () => {
    const c = creditoreDalCedente(cedente({ denominazione: null, nome: 'Mario', cognome: 'Rossi', idFiscaleIva: { idPaese: 'DE', idCodice: '123456789' }, codiceFiscale: 'RSSMRA80A01H501X' }), []);
    expect(c).toMatchObject({ denominazione: 'Rossi Mario', partita_iva: null, codice_fiscale: null, iban: null });
    expect(creditoreDalCedente(cedente({ idFiscaleIva: { idPaese: 'IT', idCodice: '01234567890' } }), []).partita_iva).toBeNull();
  });

  it('composes the address from the parts present', () => {
    expect(indirizzoDellaSede({ indirizzo: 'Piazza Duomo', numeroCivico: null, cap: null, comune: 'Milano', provincia: null, nazione: null })).toBe('Piazza Duomo, Milano');
    expect(indirizzoDellaSede({ indirizzo: null, numeroCivico: null, cap: null, comune: null, provincia: null, nazione: null })).toBeNull();
  });
});
