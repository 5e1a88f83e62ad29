import { describe, expect, it } from 'vitest';
import { bareCode, legacyAdvice, nearKnownCodes, oggettoProposto, oneEditApart } from '../../src/domain/harvest.js';

/**
 * The pure rules the import and a document's page add on top of the scanner:
 * the oggetto proposed from a payment text, the code an invalid value is one
 * keystroke from, and what a document's page offers for its legacy text.
 */
const ORD = '9050626CD6'; // docs/dominio.md §2.3
const PCP = 'B123456659';
const CUP = 'C44D22002780006';

describe('oggettoProposto', () => {
  it.each([
    ['Pagamento fattura n. 348/2025 del 10/01/2025 – Acquisto materiale di cancelleria per uffici', 'Acquisto materiale di cancelleria per uffici'],
    ['Acconto 1 – Servizio di connettività in fibra e telefonia fissa – canoni', 'Servizio di connettività in fibra e telefonia fissa – canoni'],
    ['Saldo – Corsi Cambridge (A2 Key)', 'Corsi Cambridge (A2 Key)'],
    ['Servizio di assistenza tecnica – canone 1° semestre', 'Servizio di assistenza tecnica'],
    ['Liquidazione - Noleggio pullman uscita a Orvieto', 'Noleggio pullman uscita a Orvieto'],
    ['Acquisto notebook (saldo fattura n. 12 del 03/04/2024)', 'Acquisto notebook (saldo )'],
    ['Acquisto notebook', 'Acquisto notebook'],
  ])('«%s» → «%s»', (text, expected) => {
    expect(oggettoProposto(text)).toBe(expected);
  });

  it('is null when only payment words are left, or there is no text', () => {
    expect(oggettoProposto('Saldo fattura 12 del 3/4/2024')).toBeNull();
    expect(oggettoProposto('')).toBeNull();
    expect(oggettoProposto(null)).toBeNull();
  });
});

describe('oneEditApart and nearKnownCodes', () => {
  it.each([
    [ORD, '9050626CD7', true], // one changed
    ['B9A0C13F31', 'B9A013F31', true], // one lost
    ['A0F3B21A88', 'A0F3BB21A88', true], // one doubled
    ['B4A7C21631', '4A7C21631', true], // the first lost
    [ORD, ORD, false],
    [ORD, '9050626C77', false], // two changed
    ['B9A0C13F31', 'B9A0F31', false], // three lost
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(oneEditApart(a, b)).toBe(expected);
    expect(oneEditApart(b, a)).toBe(expected);
  });

  it('finds the one school code a value is a keystroke from, through labels and separators', () => {
    const known = [ORD, 'B97AB30715', 'B9A0C13F31', CUP];
    expect(nearKnownCodes('CIG: 9050626cd7', known)).toEqual([ORD]);
    expect(nearKnownCodes('W97AB30715', known)).toEqual(['B97AB30715']);
    expect(nearKnownCodes('B9A0 13F31', known)).toEqual(['B9A0C13F31']);
    expect(nearKnownCodes('CUP C44D2200278006', known)).toEqual([CUP]);
  });

  it('uses the code the check characters make when the school knows it, even two characters away', () => {
    // XBA2E0A5D9: its progressive makes XA92E0A5D9 (A9 swapped with BA).
    expect(nearKnownCodes('XBA2E0A5D9', ['XA92E0A5D9'])).toEqual(['XA92E0A5D9']);
  });

  it('proposes nothing when no known code is near, and lists every one when several are', () => {
    expect(nearKnownCodes('B123456789', [ORD])).toEqual([]);
    expect(nearKnownCodes('B1234', [PCP])).toEqual([]); // too short to be a code
    expect(nearKnownCodes('B9A0C13F3', ['B9A0C13F31', 'B9A0C13F32'])).toEqual(['B9A0C13F31', 'B9A0C13F32']);
    // With wrong check characters, the code they make wins when the school knows it.
    expect(nearKnownCodes('9050626CD0', [ORD, '9050626CD1'])).toEqual([ORD]);
  });

  it('reads a bare code out of a label', () => {
    expect(bareCode(' smart cig: zf73a9f1c2 ')).toBe('ZF73A9F1C2');
    expect(bareCode('C.U.P. C44D 2200 2780 006')).toBe(CUP);
  });
});

describe('legacyAdvice', () => {
  it('offers the code written whole, without reasons', () => {
    expect(legacyAdvice(`CIG ${ORD} del 12/03/2024`, 'cig')).toEqual({ motivi: [], opzioni: [expect.objectContaining({ azione: 'collega', code: expect.objectContaining({ codice: ORD }) })] });
  });

  it('offers a look-alike correction, saying what it changes', () => {
    const advice = legacyAdvice('9O50626CD6', 'cig');
    expect(advice.opzioni).toEqual([expect.objectContaining({ azione: 'collega', spiegazione: expect.stringContaining('lettera O al posto dello zero in posizione 2') })]);
  });

  it('offers the motivo and «nessun codice» for an exclusion phrase, only «nessun codice» for a placeholder', () => {
    expect(legacyAdvice('CIG esente – spese economali', 'cig').opzioni.map((o) => o.azione)).toEqual(['motivo', 'nessun_codice']);
    expect(legacyAdvice('CUP non previsto', 'cup').opzioni.map((o) => o.azione)).toEqual(['nessun_codice']);
    expect(legacyAdvice('n.d.', 'cup').opzioni.map((o) => o.azione)).toEqual(['nessun_codice']);
  });

  it('offers a CUP written in the CIG field as a CUP', () => {
    expect(legacyAdvice(CUP, 'cig').opzioni).toEqual([expect.objectContaining({ azione: 'collega', code: { type: 'cup', codice: CUP } })]);
  });

  it('gives only the reason for an invalid value: the right code is a person’s choice', () => {
    const advice = legacyAdvice('B123456789', 'cig');
    expect(advice.opzioni).toEqual([]);
    expect(advice.motivi[0]).toContain('atteso 659');
  });
});
