import { describe, it, expect } from 'vitest';
import {
  CIG_FAMILY_LABELS,
  anacCigUrl,
  cigCheckOrdinario,
  cigCheckPcp,
  cigCheckSmart,
  cigFamilyOf,
  cigLetterOrdinal,
  expectedCig,
  isValidCig,
  normalizeCig,
  validateCig,
} from '../../src/domain/cig.js';
import { itRejects, reasonOf } from '../helpers/validation.js';

/*
 * Literal vectors. The "real" ones appear in public documents (ANAC's data
 * model example, determine/atti published online); the "computed" ones were
 * built outside this code with independent one-liners (Python and Node BigInt)
 * from the formulas in docs/dominio.md §2.2. A broken formula fails these.
 */
const ORDINARI_VALIDI = [
  '9050626CD6', // ANAC data-model example: 9050626 × 211 mod 4091 = 3286 = 0xCD6
  '8874674CA7', // real
  '48886723C1', // real
  '00000010D3', // computed: 211 = 0x0D3
  '1234567CE7', // computed
  '999999943B', // computed: 9999999 × 211 > 2^31 before the mod
  '5000000287', // computed
  '0012345B67', // computed
];

const SMART_VALIDI = [
  'Z063947806', // real
  'ZEE0718779', // real
  'Z5A0F93AC5', // real
  'Z723A99410', // real
  'Z3B3885F48', // real
  'Z7F1B53749', // real
  'XD30000001', // computed
  'YB31234ABC', // computed
  'Z6DFFFFFFF', // computed: largest C, 0xFFFFFFF × 211 ≈ 5.7e10
  'XA4ABCDEF0', // computed
];

const PCP_VALIDI = [
  'B0E1AD1F10', // real (2024)
  'B07E0997CB', // real
  'A015882CCD', // real
  'B96AE2FE01', // real
  'B4FFEEBE7E', // real
  'A00465395C', // real
  'B9DA959E80', // real
  'A02590F330', // real
  'A0000000D3', // computed: (0 + 1) × 211
  'B123456659', // computed, docs/dominio.md §2.3: for B123456 the check part is 659
  'CABCDEFCA6', // computed (test-environment letter C)
  'I00000183E', // computed
  'J000001911', // computed; a J-less alphabet would give 0D3
  'K0F0F0F497', // computed; a J-less alphabet would give B81
  'O123ABC8CB', // computed; a J-less alphabet would give 725
  'PFFFFFF102', // computed; a J-less alphabet would give F57
  'U000000154', // computed; last allowed letter, J-less would give FA9
];

describe('validateCig: valid codes, per family', () => {
  const VALIDI = { ordinario: ORDINARI_VALIDI, smart: SMART_VALIDI, pcp: PCP_VALIDI } as const;
  it.each(Object.entries(VALIDI).flatMap(([famiglia, codes]) => codes.map((code) => ({ famiglia, code }))))(
    'accepts $famiglia $code',
    ({ famiglia, code }) => {
      expect(validateCig(code)).toEqual({ ok: true, codice: code, famiglia });
    },
  );

  it('accepts a PCP code for every letter A–U (check built with the formula)', () => {
    for (const letter of 'ABCDEFGHIJKLMNOPQRSTU') {
      const code = `${letter}00ABCD${cigCheckPcp(letter, 0xabcd)}`;
      expect(validateCig(code)).toEqual({ ok: true, codice: code, famiglia: 'pcp' });
    }
  });
});

describe('validateCig: wrong check part', () => {
  it('rejects the example B123456789 of docs/dominio.md §2.3 and says the check must be 659', () => {
    const v = validateCig('B123456789');
    expect(v.ok).toBe(false);
    expect(v.codice).toBe('B123456789');
    const reason = reasonOf(v);
    expect(reason.startsWith('Carattere di controllo errato: atteso 659')).toBe(true);
    expect(reason).toContain('trovato 789');
    expect(reason).toContain('B123456659');
  });

  /** Per family: the code with a wrong check part, the check part expected, the code it would be. */
  const CONTROLLO_ERRATO: Record<string, [code: string, check: string, full: string][]> = {
    ordinario: [
      ['9050626CD7', 'CD6', '9050626CD6'],
      ['9050626CD5', 'CD6', '9050626CD6'],
      ['1234567000', 'CE7', '1234567CE7'],
      ['999999943C', '43B', '999999943B'],
    ],
    SmartCIG: [
      ['Z073947806', '06', 'Z063947806'],
      ['ZFF0718779', 'EE', 'ZEE0718779'],
      ['X000000001', 'D3', 'XD30000001'],
      ['Z6EFFFFFFF', '6D', 'Z6DFFFFFFF'],
    ],
    PCP: [
      ['B0E1AD1F11', 'F10', 'B0E1AD1F10'],
      ['A0000000D4', '0D3', 'A0000000D3'],
      // a validator using the J-less Italian alphabet would accept these
      ['J0000010D3', '911', 'J000001911'],
      ['K0F0F0FB81', '497', 'K0F0F0F497'],
      ['U000000FA9', '154', 'U000000154'],
    ],
  };
  it.each(Object.entries(CONTROLLO_ERRATO).flatMap(([famiglia, rows]) => rows.map(([code, check, full]) => ({ famiglia, code, check, full }))))(
    '$famiglia $code → atteso $check',
    ({ code, check, full }) => {
      const reason = reasonOf(validateCig(code));
      expect(reason.startsWith(`Carattere di controllo errato: atteso ${check}`)).toBe(true);
      expect(reason).toContain(full);
    },
  );

  it('a single swapped character in the progressive part is caught', () => {
    expect(validateCig('9050662CD6').ok).toBe(false);
    expect(validateCig('Z063947860').ok).toBe(false);
    expect(validateCig('B0E1DA1F10').ok).toBe(false);
  });
});

describe('validateCig: length', () => {
  it.each(['', '   ', 'CIG: '])('rejects empty input %j', (input) => {
    expect(reasonOf(validateCig(input))).toMatch(/^Inserisci il codice CIG/);
  });

  it.each([
    ['9050626CD', 9],
    ['9050626CD60', 11],
    ['Z06394780', 9],
    ['Z0639478066', 11],
    ['B0E1AD1F1', 9],
    ['B0E1AD1F100', 11],
  ])('rejects %s (%i characters)', (code, n) => {
    const reason = reasonOf(validateCig(code));
    expect(reason).toContain(`Lunghezza errata: il CIG ha 10 caratteri, qui ce ne sono ${n}`);
  });

  it('uses the singular for one character', () => {
    expect(reasonOf(validateCig('9'))).toContain("Lunghezza errata: il CIG ha 10 caratteri, qui ce n'è 1");
  });
});

describe('validateCig: first character', () => {
  it.each(['V', 'W'])('rejects first letter %s and explains the allowed shapes', (letter) => {
    const v = validateCig(`${letter}123456789`);
    const reason = reasonOf(v);
    expect(reason).toMatch(/^Primo carattere non ammesso: «[VW]»/);
    expect(reason).toContain(letter);
    expect(reason).toContain('cifra');
    expect(reason).toContain('X, Y o Z');
    expect(reason).toContain('da A a U');
  });

  it('rejects lower-case v/w too (normalised to upper case)', () => {
    expect(reasonOf(validateCig('v123456789'))).toMatch(/^Primo carattere non ammesso: «V»/);
    expect(reasonOf(validateCig('w063947806'))).toMatch(/^Primo carattere non ammesso: «W»/);
  });

  it('rejects a symbol as first character', () => {
    expect(reasonOf(validateCig('-123456789'))).toMatch(/^Primo carattere non ammesso: «-»/);
  });
});

describe('validateCig: characters and zero progressive', () => {
  itRejects(validateCig, [
    // a letter among the 7 digits of an ordinario: position and character named
    ['90A0626CD6', 'posizione 3', '«A»', 'cifre (0-9)'],
    // an O: the hint that it may be a zero
    ['9O50626CD6', 'posizione 2', 'zero'],
    // non-hex characters in the check part of an ordinario, in a SmartCIG, in a PCP code
    ['9050626CG6', 'posizione 9', '«G»', 'da A a F'],
    ['Z06394780G', 'posizione 10', '«G»', 'SmartCIG'],
    ['B0E1AZ1F10', 'posizione 6', '«Z»', 'CIG PCP'],
    ['B0E1AD1F1-', 'posizione 10'],
    // an all-zero ordinario progressive: 0 × 211 mod 4091 = 0 → "000", the check part alone would pass
    ['0000000000', 'tutto zeri', '7'],
    ['X000000000', 'tutto zeri', 'SmartCIG'],
  ]);

  it('accepts an all-zero PCP number (docs/dominio.md §2.2 requires non-zero only for the other families)', () => {
    expect(validateCig('A0000000D3').ok).toBe(true);
  });
});

describe('normalisation', () => {
  it('accepts lower-case input and returns the upper-case code', () => {
    expect(validateCig('9050626cd6')).toEqual({ ok: true, codice: '9050626CD6', famiglia: 'ordinario' });
    expect(validateCig('zee0718779')).toEqual({ ok: true, codice: 'ZEE0718779', famiglia: 'smart' });
    expect(validateCig('b0e1ad1f10')).toEqual({ ok: true, codice: 'B0E1AD1F10', famiglia: 'pcp' });
  });

  it('accepts spaced and padded input', () => {
    expect(validateCig('  9050626 CD6  ')).toEqual({ ok: true, codice: '9050626CD6', famiglia: 'ordinario' });
    expect(validateCig('Z06 394 7806')).toEqual({ ok: true, codice: 'Z063947806', famiglia: 'smart' });
    expect(validateCig('B0E1AD1F10\t')).toEqual({ ok: true, codice: 'B0E1AD1F10', famiglia: 'pcp' });
    expect(normalizeCig('\u00A09050626\u00A0CD6')).toBe('9050626CD6');
  });

  it.each(['CIG:9050626CD6', 'CIG: 9050626CD6', 'CIG 9050626CD6', 'cig:9050626cd6', 'Cig : 9050626CD6', 'CIG9050626CD6'])(
    'strips the prefix in %j',
    (input) => {
      expect(normalizeCig(input)).toBe('9050626CD6');
      expect(validateCig(input)).toEqual({ ok: true, codice: '9050626CD6', famiglia: 'ordinario' });
    },
  );

  it('returns the normalised code also when invalid', () => {
    expect(validateCig(' cig: b123456789 ').codice).toBe('B123456789');
  });
});

describe('helpers', () => {
  it('computes check parts equal to the literal vectors', () => {
    expect(cigCheckOrdinario(9050626)).toBe('CD6');
    expect(cigCheckOrdinario(1)).toBe('0D3');
    expect(cigCheckOrdinario(9999999)).toBe('43B');
    expect(cigCheckSmart(0x0718779)).toBe('EE');
    expect(cigCheckSmart(1)).toBe('D3');
    expect(cigCheckSmart(0xfffffff)).toBe('6D');
    expect(cigCheckPcp('B', 0x123456)).toBe('659');
    expect(cigCheckPcp('J', 1)).toBe('911');
    expect(cigCheckPcp('U', 0)).toBe('154');
  });

  it('uses the standard alphabet for ord: A=1, J=10, U=21', () => {
    expect(cigLetterOrdinal('A')).toBe(1);
    expect(cigLetterOrdinal('I')).toBe(9);
    expect(cigLetterOrdinal('J')).toBe(10);
    expect(cigLetterOrdinal('U')).toBe(21);
  });

  it('detects the family from the first character', () => {
    expect(cigFamilyOf('9050626CD6')).toBe('ordinario');
    expect(cigFamilyOf('X')).toBe('smart');
    expect(cigFamilyOf('Y')).toBe('smart');
    expect(cigFamilyOf('Z')).toBe('smart');
    expect(cigFamilyOf('A')).toBe('pcp');
    expect(cigFamilyOf('U')).toBe('pcp');
    expect(cigFamilyOf('V')).toBeNull();
    expect(cigFamilyOf('W')).toBeNull();
    expect(cigFamilyOf('')).toBeNull();
  });

  it('expectedCig gives the check part and the full code, or null for a bad shape', () => {
    expect(expectedCig('B123456789')).toEqual({ check: '659', codice: 'B123456659' });
    expect(expectedCig('Z003947806')).toEqual({ check: '06', codice: 'Z063947806' });
    expect(expectedCig('9050626000')).toEqual({ check: 'CD6', codice: '9050626CD6' });
    expect(expectedCig('V123456789')).toBeNull();
    expect(expectedCig('123')).toBeNull();
  });

  it('isValidCig mirrors validateCig', () => {
    expect(isValidCig('9050626CD6')).toBe(true);
    expect(isValidCig('B123456789')).toBe(false);
  });

  it('labels the families', () => {
    expect(CIG_FAMILY_LABELS).toEqual({ ordinario: 'CIG ordinario', smart: 'SmartCIG', pcp: 'CIG PCP' });
  });

  it('builds the ANAC link with the normalised code', () => {
    expect(anacCigUrl('9050626CD6')).toBe(
      'https://dati.anticorruzione.it/superset/dashboard/dettaglio_cig/?cig=9050626CD6',
    );
    expect(anacCigUrl(' cig: b0e1ad1f10 ')).toBe(
      'https://dati.anticorruzione.it/superset/dashboard/dettaglio_cig/?cig=B0E1AD1F10',
    );
  });
});
