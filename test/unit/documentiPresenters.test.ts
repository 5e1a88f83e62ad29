import { describe, expect, it } from 'vitest';
import { cupDecision } from '../../src/domain/documenti.js';
import { formatVoceCodice } from '../../src/domain/piano.js';
import { cigOption, cupConflictPanel, cupOption, nuovoLink, preselected, voceOption } from '../../src/presenters/documentiPresenter.js';
import { cupProposal } from '../../src/presenters/impegniPresenter.js';
import { mandatoDefaults } from '../../src/presenters/mandatiPresenter.js';
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
