import { describe, it, expect } from 'vitest';
import { AGGREGATI, formatVoceCodice, isAggregato, parseVoceCodice } from '../../src/domain/piano.js';
import { expectGuard } from '../helpers/validation.js';

describe('AGGREGATI', () => {
  it('lists A, P, G, R with their Italian names', () => {
    expect(AGGREGATI).toEqual([
      { value: 'A', label: 'Attività' },
      { value: 'P', label: 'Progetti' },
      { value: 'G', label: 'Gestioni economiche' },
      { value: 'R', label: 'Fondo di riserva' },
    ]);
    expectGuard(isAggregato, { accepts: ['G'], rejects: ['Z', 'a'] });
  });
});

describe('formatVoceCodice', () => {
  it('pads the voce to 2 digits and writes the sottovoce as is', () => {
    expect(formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: 13 })).toBe('A03/13');
    expect(formatVoceCodice({ aggregato: 'A', voce: 3 })).toBe('A03');
    expect(formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: null })).toBe('A03');
    expect(formatVoceCodice({ aggregato: 'P', voce: 1, sottovoce: 1 })).toBe('P01/1');
    expect(formatVoceCodice({ aggregato: 'R', voce: 98 })).toBe('R98');
    expect(formatVoceCodice({ aggregato: 'G', voce: 4, sottovoce: 99 })).toBe('G04/99');
  });

  it('throws on out-of-range numbers (programming errors)', () => {
    expect(() => formatVoceCodice({ aggregato: 'A', voce: 0 })).toThrow(RangeError);
    expect(() => formatVoceCodice({ aggregato: 'A', voce: 100 })).toThrow(RangeError);
    expect(() => formatVoceCodice({ aggregato: 'A', voce: 1.5 })).toThrow(RangeError);
    expect(() => formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: 0 })).toThrow(RangeError);
    expect(() => formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: 1000 })).toThrow(RangeError);
    expect(formatVoceCodice({ aggregato: 'A', voce: 3, sottovoce: 999 })).toBe('A03/999');
  });
});

describe('parseVoceCodice', () => {
  it.each([
    ['A03/13', { aggregato: 'A', voce: 3, sottovoce: 13 }],
    ['A03', { aggregato: 'A', voce: 3 }],
    ['P01/1', { aggregato: 'P', voce: 1, sottovoce: 1 }],
    ['R98', { aggregato: 'R', voce: 98 }],
    ['a3 / 13', { aggregato: 'A', voce: 3, sottovoce: 13 }],
    [' g04/01 ', { aggregato: 'G', voce: 4, sottovoce: 1 }],
  ])('%j', (input, expected) => {
    expect(parseVoceCodice(input)).toEqual(expected);
  });

  it.each(['', 'A', 'X03', 'A00', 'A03/0', 'A100', 'A03/100', 'A03/', '03/13', 'A03-13', 'A03/13/2'])(
    'rejects %j',
    (input) => {
      expect(parseVoceCodice(input)).toBeNull();
    },
  );

  it('round-trips with formatVoceCodice', () => {
    for (const code of ['A01', 'A03/13', 'P05/2', 'G04', 'R98']) {
      const parsed = parseVoceCodice(code);
      expect(parsed).not.toBeNull();
      if (parsed) expect(formatVoceCodice(parsed)).toBe(code);
    }
  });
});
