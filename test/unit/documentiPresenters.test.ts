import { describe, expect, it } from 'vitest';
import { cupDecision, MANDATO_SENZA_BENEFICIARIO, mandatoWarnings } from '../../src/domain/documenti.js';
import { formatVoceCodice } from '../../src/domain/piano.js';
import { cigOption, codiciCampi, cupConflictPanel, cupOption, DESCRIZIONE_CODICE_MAX, nuovoLink, preselected, voceOption } from '../../src/presenters/documentiPresenter.js';
import { cupProposal } from '../../src/presenters/impegniPresenter.js';
import { mandatoDefaults, residuoDopoMandato } from '../../src/presenters/mandatiPresenter.js';
import type { VoceRow } from '../../src/repositories/pianoRepository.js';

const voce = (o: Partial<VoceRow> = {}): VoceRow => ({
  id: 7, esercizio: 2026, aggregato: 'A', voce: 3, sottovoce: 13, descrizione: 'Next Generation Classroom', cup_id: null, cup_codice: null,
  cup_descrizione: null, cup_stato: null, cup_testo: null, version: 1, ...o,
});
const cup = { id: 5, codice: 'C44D22002780006', descrizione: 'PNRR', stato: 'attivo' };

describe('formatVoceCodice on database rows', () => {
  it('writes A03/13, A03 without sottovoce, and sottovoci beyond 99', () => {
    expect(formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: 13 })).toBe('A03/13');
    expect(formatVoceCodice({ aggregato: 'R', voce: 98, sottovoce: null })).toBe('R98');
    expect(formatVoceCodice({ aggregato: 'P', voce: 4, sottovoce: 120 })).toBe('P04/120');
  });
});

describe('cupDecision: the CUP follows the document', () => {
  it('sets it on a voce without CUP, leaves the same one alone, does nothing without a CUP', () => {
    expect(cupDecision(voce(), cup, null)).toEqual({ action: 'set' });
    expect(cupDecision(voce({ cup_id: 5, cup_codice: cup.codice }), cup, null)).toEqual({ action: 'none' });
    expect(cupDecision(voce({ cup_id: 9, cup_codice: 'C49J21037560006' }), null, null)).toEqual({ action: 'none' });
  });

  it('asks before replacing another CUP; replaces with 1, keeps the voce’s with 0', () => {
    const other = voce({ cup_id: 9, cup_codice: 'C49J21037560006' });
    expect(cupDecision(other, cup, null)).toEqual({ action: 'ask', conflict: { voceCodice: 'A03/13', cupVoce: 'C49J21037560006', cupDocumento: cup.codice } });
    expect(cupDecision(other, cup, '1')).toEqual({ action: 'replace' });
    expect(cupDecision(other, cup, '0')).toEqual({ action: 'none' });
    const panel = cupConflictPanel({ voceCodice: 'A03/13', cupVoce: 'C49J21037560006', cupDocumento: cup.codice });
    expect(panel?.message).toBe(`La voce A03/13 ha già il CUP C49J21037560006: sostituirlo con ${cup.codice}? Scegli qui sotto, poi salva di nuovo.`);
  });

  it('proposes the voce’s CUP only when the document has none', () => {
    const voci = [voce({ cup_id: 5, cup_codice: cup.codice })];
    expect(cupProposal(voci, '7', '')).toContain(`ha il CUP ${cup.codice}`);
    expect(cupProposal(voci, '7', '5')).toBeUndefined();
    expect(cupProposal([voce()], '7', '')).toBeUndefined();
  });
});

describe('pickers', () => {
  it('marks codes no longer active, carries the voce’s CUP for the proposal, links + back to the document', () => {
    expect(cigOption({ id: 1, codice: '9050626CD6', oggetto: 'Assistenza', stato: 'annullato' }).label).toMatch(/^9050626CD6 – Assistenza \(annullato/);
    expect(cupOption({ ...cup, stato: 'chiuso' }).label).toContain('(chiuso');
    expect(cupOption(cup).label).toBe(`${cup.codice} – PNRR`);
    expect(voceOption(voce({ cup_id: 5 }))).toMatchObject({ value: '7', label: 'A03/13 – Next Generation Classroom', data: { 'propone-cup_id': '5' } });
    expect(nuovoLink('cig', '/impegni/12/modifica').nuovoHref).toBe('/cig/nuovo?ritorno=%2Fimpegni%2F12%2Fmodifica');
    expect(preselected({ cig_id: '12', cup_id: 'x', voce_id: ['1', '2'] }, ['cig_id', 'cup_id', 'voce_id'])).toEqual({ cig_id: '12' });
  });

  it('starts a mandato from its impegno: creditore, CIG, CUP and the residual', () => {
    const d = mandatoDefaults({ id: 3, esercizio: 2026, numero: 4, oggetto: 'Monitor', importo_cents: 150000, pagato_cents: 50000, creditore_id: 8, cig_id: 2, motivo_esclusione_cig: null, cup_id: 5 });
    expect(d).toMatchObject({ impegno_id: '3', beneficiario_id: '8', cig_id: '2', cup_id: '5', importo: '1.000,00', tipo_debito: 'COMMERCIALE' });
  });
});

describe('mandatoWarnings: what to check after a save, not blocking', () => {
  const m = {
    beneficiario_id: 8, cig_id: 2, cig_codice: 'B123456789', impegno_cig_id: 2, impegno_cig_codice: 'B123456789',
    data: '2026-03-10', impegno_data: '2026-03-02', impegno_numero: 7, impegno_esercizio: 2026,
  };
  it('says nothing of a complete mandato with its impegno’s CIG', () => {
    expect(mandatoWarnings(m)).toEqual([]);
  });
  it('warns that a mandato without beneficiario is a draft the cassiere cannot receive', () => {
    expect(mandatoWarnings({ ...m, beneficiario_id: null })).toEqual([MANDATO_SENZA_BENEFICIARIO]);
    expect(MANDATO_SENZA_BENEFICIARIO).toBe('Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.');
  });
  it('adds the CIG other than the impegno’s', () => {
    const w = mandatoWarnings({ ...m, beneficiario_id: null, cig_id: 3, cig_codice: 'C123456789' });
    expect(w).toHaveLength(2);
    expect(w[1]).toContain('Il CIG del mandato (C123456789) è diverso da quello dell’impegno (B123456789)');
  });
  it('warns of a mandato dated before the impegno it pays, in Italian dates; the same day or later is fine', () => {
    expect(mandatoWarnings({ ...m, data: '2026-02-03' })).toEqual([
      'Il mandato è datato 03/02/2026, prima dell’impegno n. 7/2026 che paga (del 02/03/2026): controlla la data.',
    ]);
    expect(mandatoWarnings({ ...m, data: '2026-03-02' })).toEqual([]);
    // A residuo: the impegno of last year, the mandato of this one.
    expect(mandatoWarnings({ ...m, data: '2027-01-15', impegno_data: '2026-12-20', impegno_esercizio: 2026 })).toEqual([]);
    expect(mandatoWarnings({ ...m, data: null })).toEqual([]);
  });
});

describe('codiciCampi: the codes of a record page with the register’s words', () => {
  const base = {
    cig_id: 2, cig_codice: 'B123456789', cig_oggetto: 'Fornitura di monitor', cig_stato: 'attivo', motivo_esclusione_cig: null, cig_testo: null,
    cup_id: 5, cup_codice: cup.codice, cup_descrizione: 'PNRR – Next Generation Classroom', cup_stato: 'attivo', cup_testo: null,
  };
  it('shows the CIG’s oggetto and the CUP’s descrizione whole when short', () => {
    const [cig, , cupCampo] = codiciCampi(base);
    expect(cig).toMatchObject({ value: 'B123456789', descrizione: { intero: 'Fornitura di monitor', breve: null } });
    expect(cupCampo).toMatchObject({ value: cup.codice, descrizione: { intero: 'PNRR – Next Generation Classroom', breve: null } });
  });
  it('shortens a long oggetto at a word, keeping the full text', () => {
    const lungo = `Fornitura ${'di materiale didattico '.repeat(8)}per la scuola primaria`;
    const [cig] = codiciCampi({ ...base, cig_oggetto: lungo });
    expect(cig!.descrizione!.intero).toBe(lungo);
    expect(cig!.descrizione!.breve!.length).toBeLessThanOrEqual(DESCRIZIONE_CODICE_MAX);
    expect(cig!.descrizione!.breve).toMatch(/^Fornitura di materiale didattico .*[a-z]…$/);
  });
  it('shows no words without a code or a text', () => {
    const [cig, , cupCampo] = codiciCampi({ ...base, cig_id: null, cig_codice: null, cig_oggetto: null, cup_descrizione: '  ' });
    expect(cig!.descrizione).toBeNull();
    expect(cupCampo!.descrizione).toBeNull();
  });
});

describe('residuoDopoMandato', () => {
  it('says what the impegno has left with this mandato paid, in euro', () => {
    expect(residuoDopoMandato(123456, false)).toBe('Residuo dopo questo mandato: 1.234,56\u00a0€');
    expect(residuoDopoMandato(0, true)).toBe('Residuo dell’impegno: 0,00\u00a0€ (questo mandato annullato non paga nulla)');
  });
});
