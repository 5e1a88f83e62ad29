import { describe, expect, it } from 'vitest';
import { choiceOnEnter, DEFAULT_NONE, filterSelect, firstShown, fold, matches, noMatchMessage, queryWords, resultsMessage } from '../../public/js/picker/search.js';

/** A select as search.js sees it: its options' values, labels and hidden flags (no browser needed). */
const select = (...labels: [string, string][]) => ({
  options: labels.map(([value, textContent]) => ({ value, textContent, hidden: false })),
});
const shownValues = (s: ReturnType<typeof select>) => s.options.filter((o) => !o.hidden).map((o) => o.value);

const voci = () => select(
  ['', '— scegli la voce —'],
  ['1', 'A01/1 Funzionamento generale e decoro della Scuola'],
  ['2', 'A03/13 Piano Scuola 4.0 – Attività didattica'],
  ['3', 'A03/15 Laboratori per le professioni digitali'],
  ['4', 'P02/1 Progetti in ambito Umanistico e sociale'],
);

describe('picker search: matching', () => {
  it('folds case and accents', () => {
    expect(fold('Attività PERCHÉ Così')).toBe('attivita perche cosi');
  });
  it('splits a query into folded words, none for a blank one', () => {
    expect(queryWords('  Assistenza   Laboratorio ')).toEqual(['assistenza', 'laboratorio']);
    expect(queryWords('   ')).toEqual([]);
  });
  it('matches a label holding every word, anywhere and in any order', () => {
    expect(matches('Assistenza tecnica laboratorio di informatica', ['laboratorio', 'assist'])).toBe(true);
    expect(matches('Assistenza tecnica laboratorio di informatica', ['laboratorio', 'monitor'])).toBe(false);
    expect(matches('A03/13 Attività didattica', ['attivita'])).toBe(true);
    expect(matches('anything', [])).toBe(true);
  });
});

describe('picker search: filtering the select', () => {
  it('hides the options that do not match and counts the others', () => {
    const s = voci();
    expect(filterSelect(s, 'a03')).toBe(2);
    expect(shownValues(s)).toEqual(['', '2', '3']);
  });
  it('never hides nor counts the empty placeholder, even when nothing matches', () => {
    const s = voci();
    expect(filterSelect(s, 'nessuna voce così')).toBe(0);
    expect(shownValues(s)).toEqual(['']);
  });
  it('shows the whole list again for an empty query', () => {
    const s = voci();
    filterSelect(s, 'umanistico');
    expect(filterSelect(s, '')).toBe(4);
    expect(shownValues(s)).toEqual(['', '1', '2', '3', '4']);
  });
  it('filters an option with an empty value that is not the first one like any other', () => {
    const s = select(['1', 'CIG uno'], ['', 'Nessun CIG (escluso)']);
    expect(filterSelect(s, 'uno')).toBe(1);
    expect(shownValues(s)).toEqual(['1']);
  });
  it('chooses, on Enter, the first shown option with a value', () => {
    const s = voci();
    filterSelect(s, 'scuola');
    expect(firstShown(s)?.value).toBe('1');
    filterSelect(s, 'attività scuola');
    expect(firstShown(s)?.value).toBe('2');
    filterSelect(s, 'zzz');
    expect(firstShown(s)).toBeUndefined();
  });
  it('says how many results there are, that nothing matches, or that the whole list is back', () => {
    expect(resultsMessage('a03', 2)).toBe('2 risultati');
    expect(resultsMessage('a03/15', 1)).toBe('1 risultato');
    expect(resultsMessage('zzz', 0, 'Nessun CIG')).toBe('Nessun CIG corrisponde a «zzz»');
    expect(resultsMessage('zzz', 0)).toBe(`${DEFAULT_NONE} corrisponde a «zzz»`);
    expect(resultsMessage('', 4)).toBe('Elenco completo');
    expect(resultsMessage('   ', 4)).toBe('Elenco completo');
  });
});

describe('picker search: no silent choices', () => {
  it('chooses nothing on Enter in an empty or blank search, though the whole list is shown', () => {
    const s = voci();
    filterSelect(s, '');
    expect(choiceOnEnter(s, '')).toBeUndefined();
    expect(choiceOnEnter(s, '   ')).toBeUndefined();
  });
  it('chooses the first match on Enter once something is typed, nothing when nothing matches', () => {
    const s = voci();
    filterSelect(s, 'a03');
    expect(choiceOnEnter(s, 'a03')?.value).toBe('2');
    filterSelect(s, 'xyz');
    expect(choiceOnEnter(s, 'xyz')).toBeUndefined();
  });
  it('words the no-match sentence with the picker’s noun and the search as typed, trimmed', () => {
    expect(noMatchMessage('  xyz ', 'Nessun CIG')).toBe('Nessun CIG corrisponde a «xyz»');
    expect(noMatchMessage('lab ot', 'Nessuna voce')).toBe('Nessuna voce corrisponde a «lab ot»');
  });
});
