import { describe, expect, it } from 'vitest';
import { cigCheckOrdinario, cigCheckPcp, cigCheckSmart, validateCig } from '../../src/domain/cig.js';
import { HARVEST_RULES, scanField, type HarvestField, type HarvestItem, type HarvestRuleName } from '../../src/domain/harvest.js';

/*
 * Valid codes come from docs/dominio.md (9050626CD6, B123456659, C44D22002780006,
 * B31B95000000003) or are built with the domain's check functions, never guessed.
 */
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
const ordinario = (n: number) => String(n).padStart(7, '0') + cigCheckOrdinario(n);
const smart = (letter: 'X' | 'Y' | 'Z', c: number) => letter + cigCheckSmart(c) + hex(c, 7);
const pcp = (letter: string, n: number) => letter + hex(n, 6) + cigCheckPcp(letter, n);

const ORD = '9050626CD6'; // docs/dominio.md §2.3
const ORD_2 = ordinario(1234567);
const SMART = smart('Z', 0x3947806);
const PCP = 'B123456659'; // docs/dominio.md §2.3
const PCP_2 = pcp('A', 0x015882);
const PCP_O = pcp('O', 0x123456); // letter O: written with a zero it reads as an (invalid) ordinario
const CUP = 'C44D22002780006'; // docs/dominio.md §3
const CUP_1995 = 'B31B95000000003';

/** An ordinario CIG below 1 000 000 whose check part is all digits: a spreadsheet drops its leading zero. */
const LOST_ZERO = (() => {
  for (let n = 100_000; n < 1_000_000; n++) if (/^\d{3}$/.test(cigCheckOrdinario(n))) return { written: String(n) + cigCheckOrdinario(n), codice: ordinario(n) };
  throw new Error('no vector');
})();

/** A Cyrillic О followed by 6 digits that is valid both as PCP "O…" and as ordinario "0…": two corrections. */
const AMBIGUOUS = (() => {
  for (let n = 1; n < 1_000_000; n++) {
    const digits = String(n).padStart(6, '0');
    const check = cigCheckOrdinario(n);
    if (cigCheckPcp('O', Number.parseInt(digits, 16)) === check) return { written: `О${digits}${check}`, pcp: `O${digits}${check}`, ordinario: `0${digits}${check}` };
  }
  throw new Error('no vector');
})();

/** A valid PCP CIG made only of letters: it must not be read out of ordinary prose. */
const LETTERS_ONLY = (() => {
  for (let n = 0xaaaaaa; n <= 0xffffff; n++) {
    const code = pcp('B', n);
    if (/^[A-F]+$/.test(code.slice(1))) return code;
  }
  throw new Error('no vector');
})();

const BAD_ORD = '9050626CD7'; // check part CD6
const BAD_PCP = 'B123456789'; // docs/dominio.md §2.3

// ---------------------------------------------------------------------------
// Expected items (partial: only what the row is about)
// ---------------------------------------------------------------------------

type Opts = { rule?: HarvestRuleName; note?: unknown };
const typeOf = (codice: string) => (codice.length === 15 ? 'cup' : 'cig');
const ruleOf = (o: Opts) => (o.rule ? { rule: { name: o.rule } } : {});
const noteOf = (o: Opts) => ('note' in o ? { note: o.note } : { note: null });
const IN_CUP_FIELD = expect.stringContaining('campo CUP');
const IN_CIG_FIELD = expect.stringContaining('campo CIG');

const found = (codice: string, o: Opts = {}) => ({ kind: 'trovato', code: { type: typeOf(codice), codice }, ...noteOf(o), ...ruleOf(o) });
const suggested = (codice: string, o: Opts = {}) => ({ kind: 'suggerimento', code: { type: typeOf(codice), codice }, ...ruleOf(o) });
const proposed = (codice: string, changes: string[], o: Opts = {}) => ({ kind: 'proposta', code: { type: typeOf(codice), codice }, changes, ...noteOf(o), ...ruleOf(o) });
const invalid = (type: 'cig' | 'cup', fragment: string, o: Opts = {}) => ({ kind: 'non_valido', type, reason: expect.stringContaining(fragment), ...ruleOf(o) });
const excludedCig = (motivo: string | null, o: Opts = {}) => ({ kind: 'esclusione', type: 'cig', motivo, ...noteOf(o), ...ruleOf(o) });
const noCup = (o: Opts = {}) => ({ kind: 'esclusione', type: 'cup', ...noteOf(o), rule: { name: 'esclusione-cup' } });
const placeholder = { kind: 'segnaposto', rule: { name: 'segnaposto' } };

type Row = [field: HarvestField, input: string, expected: unknown[]];

const CODES_IN_CIG_FIELD: Row[] = [
  ['cig', ORD, [found(ORD, { rule: 'codice-intero' })]],
  ['cig', ORD_2, [found(ORD_2)]],
  ['cig', SMART, [found(SMART)]],
  ['cig', PCP, [found(PCP)]],
  ['cig', PCP_2, [found(PCP_2)]],
  ['cig', ' 9050626CD6 ', [found(ORD)]],
  ['cig', '9050626cd6', [found(ORD)]],
  ['cig', 'CIG 9050626CD6', [found(ORD)]],
  ['cig', 'CIG: 9050626CD6', [found(ORD)]],
  ['cig', 'C.I.G. 9050626CD6', [found(ORD)]],
  ['cig', 'cig n. 9050626CD6', [found(ORD)]],
  ['cig', 'n° 9050626CD6', [found(ORD)]],
  ['cig', 'N. CIG 9050626CD6', [found(ORD)]],
  ['cig', `SMART CIG ${SMART}`, [found(SMART)]],
  ['cig', `SmartCIG:${SMART}`, [found(SMART)]],
  ['cig', `CIG PCP: ${PCP}`, [found(PCP)]],
  ['cig', 'Codice CIG: 9050626CD6', [found(ORD)]],
  ['cig', 'CIG9050626CD6', [found(ORD, { rule: 'prefisso-attaccato' })]],
  ['cig', '(9050626CD6)', [found(ORD)]],
  ['cig', '"9050626CD6"', [found(ORD)]],
  ['cig', '«9050626CD6»', [found(ORD)]],
  ['cig', '“9050626CD6”', [found(ORD)]],
  ['cig', "'9050626CD6'", [found(ORD)]],
  ['cig', '9050626CD6.', [found(ORD)]],
  ['cig', '9050626CD6;', [found(ORD)]],
  ['cig', 'CIG 9050626CD6 del 12/03/2024', [found(ORD)]],
  ['cig', '9050626CD6 - lotto 2', [found(ORD)]],
  ['cig', 'lotto 2 9050626CD6', [found(ORD)]],
  ['cig', '9050626CD6 12.03.2024', [found(ORD)]],
  ['cig', `${ORD} / ${PCP}`, [found(ORD), found(PCP)]],
  ['cig', `${ORD}, ${ORD}`, [found(ORD)]],
  ['cig', `${ORD} e 9050 626 CD6`, [found(ORD)]],
  ['cig', `CIG ${PCP} (lotto 1) e CIG ${SMART} (lotto 2)`, [found(PCP), found(SMART)]],
];

const SEPARATORS: Row[] = [
  ['cig', '9050 626 CD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '9050.626.CD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '9050-626-CD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '9050626\u200BCD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '\uFEFF9050626CD6', [found(ORD, { rule: 'codice-intero' })]],
  ['cig', '9050626\u00A0CD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '9050626\u202FCD6', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', 'B123 456 659', [found(PCP)]],
  ['cig', `${SMART.slice(0, 3)} ${SMART.slice(3)}`, [found(SMART)]],
  ['cig', 'CIG\u200B9050626CD6', [found(ORD, { rule: 'codice-intero' })]], // an invisible separator does not glue the word on
  ['cig', '9050 626 CD6 del 12.03.2024', [found(ORD, { rule: 'codice-ricomposto' })]],
  ['cig', '9050626CD6 12.03.2024 12', [found(ORD)]], // «12032024» + «12» is a date and a number, not a wrong CIG
  ['cup', 'C44D 2200 2780 006', [found(CUP, { rule: 'codice-ricomposto' })]],
  ['cup', 'C44 D22 002780006', [found(CUP)]],
];

const CUP_AND_OTHER_FIELD: Row[] = [
  ['cup', CUP, [found(CUP)]],
  ['cup', CUP_1995, [found(CUP_1995)]],
  ['cup', 'CUP: c44d22002780006', [found(CUP)]],
  ['cup', 'C.U.P. C44D22002780006', [found(CUP)]],
  ['cup', `${CUP} - ${CUP_1995}`, [found(CUP), found(CUP_1995)]],
  ['cup', `${CUP} (${CUP})`, [found(CUP)]],
  ['cig', CUP, [found(CUP, { note: IN_CIG_FIELD })]],
  ['cig', `CIG ${ORD} - CUP ${CUP}`, [found(ORD), found(CUP, { note: IN_CIG_FIELD })]],
  ['cup', ORD, [found(ORD, { note: IN_CUP_FIELD })]],
  ['cup', `CIG: ${PCP}`, [found(PCP, { note: IN_CUP_FIELD })]],
];

const FREE_TEXT: Row[] = [
  ['testo', `Acquisto toner - CIG ${SMART}`, [suggested(SMART)]],
  ['testo', `Fornitura arredi (CIG: ${PCP}) lotto 2`, [suggested(PCP)]],
  ['testo', `Saldo fattura 9050626CD6 del 12/03/2024`, [suggested(ORD)]],
  ['testo', `PNRR Piano Scuola 4.0 – Next Generation Classroom – CUP ${CUP}`, [suggested(CUP)]],
  ['testo', `CIG ${ORD} e CUP ${CUP}`, [suggested(ORD), suggested(CUP)]],
  ['testo', `CIG ${ORD}, già indicato: ${ORD}`, [suggested(ORD)]],
  ['testo', 'CIG 9050 626 CD6 fornitura', [suggested(ORD, { rule: 'codice-ricomposto' })]],
  ['testo', 'rif. 9050 626 CD6', []], // outside a keyword, prose numbers are never joined
  ['testo', `progetto ${CUP}`, []], // a CUP shape without the word CUP
  ['testo', `CIG ${BAD_ORD} fornitura`, []], // fails ANAC's check: not a CIG
  ['testo', 'CIG 9O50626CD6', []], // look-alikes are corrected only in the CIG and CUP fields
  ['testo', 'Fattura n. 1234567890 del 12/03/2024', []],
  ['testo', 'tel. 0612345678', []],
  ['testo', 'Accredito su IBAN IT60X0542811101000000123456', []],
  ['testo', 'IBAN IT60 X054 2811 1010 0000 0123 456', []],
  ['testo', 'Ditta Rossi srl P.IVA 01234567890', []],
  ['testo', 'C.F. RSSMRA85T10A562S', []],
  ['testo', 'Acquisto materiale di facile consumo per laboratorio', []],
  ['testo', 'Determina del 2024-03-12 prot. 1234/VI.3', []],
  ['testo', `Codice ${LETTERS_ONLY.toLowerCase()} in un testo`, []], // valid, but made only of letters
  ['testo', 'Rimborso spese economali', []], // exclusions belong in the CIG field
  ['testo', '-', []],
];

const LOOK_ALIKES: Row[] = [
  ['cig', '9O50626CD6', [proposed(ORD, ['lettera O al posto dello zero in posizione 2'], { rule: 'caratteri-simili' })]],
  ['cig', '9o50626cd6', [proposed(ORD, ['lettera O al posto dello zero in posizione 2'])]],
  ['cig', `I${ORD_2.slice(1)}`, [proposed(ORD_2, ['lettera I al posto della cifra 1 in posizione 1'])]],
  ['cig', 'Bl23456659', [proposed(PCP, ['lettera l minuscola al posto della cifra 1 in posizione 2'])]],
  ['cig', `0${PCP_O.slice(1)}`, [proposed(PCP_O, ['zero al posto della lettera O in posizione 1'])]],
  ['cig', 'В123456659', [proposed(PCP, ['lettera cirillica «В» al posto della B latina in posizione 1'])]],
  ['cig', '9050626сd6', [proposed(ORD, ['lettera cirillica «с» al posto della C latina in posizione 8'])]],
  ['cig', 'CIG 9050626СD6 del 12/03/2024', [proposed(ORD, ['lettera cirillica «С» al posto della C latina in posizione 8'])]],
  ['cup', 'С44D22002780006', [proposed(CUP, ['lettera cirillica «С» al posto della C latina in posizione 1'])]],
  ['cup', 'C44D22OO2780006', [proposed(CUP, ['lettera O al posto dello zero in posizione 7', 'lettera O al posto dello zero in posizione 8'])]],
  ['cup', 'C44022002780006', [proposed('C44O22002780006', ['zero al posto della lettera O in posizione 4'])]],
  ['cig', `${LOST_ZERO.written.slice(0, 4)} ${LOST_ZERO.written.slice(4)}`, [invalid('cig', 'qui ce ne sono 9', { rule: 'nessun-codice' })]], // a spreadsheet cell is one token
  ['cig', LOST_ZERO.written, [proposed(LOST_ZERO.codice, [expect.stringContaining('zero iniziale mancante')], { rule: 'zero-iniziale' })]],
  ['cig', AMBIGUOUS.written, [invalid('cig', `Si potrebbe correggere in più modi: ${AMBIGUOUS.pcp}`, { rule: 'correzione-ambigua' })]],
  ['cig', '9O50626CD7', [invalid('cig', 'Carattere non ammesso in posizione 2: «O»', { rule: 'codice-non-valido' })]],
  ['cig', 'В123456789', [invalid('cig', 'Primo carattere non ammesso: «В»')]],
  ['cig', `9O50626CD6 e ${ORD}`, [found(ORD)]], // the proposal would repeat a code already found
];

const EXCLUSIONS: Row[] = [
  ['cig', 'CIG esente', [excludedCig(null, { rule: 'esclusione-cig' })]],
  ['cig', 'cig non dovuto ai sensi art. 3 L. 136/2010', [excludedCig(null)]], // its numbers are never reported as wrong codes
  ['cig', 'CIG NON DOVUTO', [excludedCig(null)]],
  ['cig', 'CIG: non è richiesto', [excludedCig(null)]],
  ['cig', 'C.I.G. non necessario', [excludedCig(null)]],
  ['cig', 'Non soggetto a CIG', [excludedCig(null)]],
  ['cig', "esente dall'obbligo del CIG", [excludedCig(null)]],
  ['cig', 'esente', [excludedCig(null)]],
  ['cig', 'spese economali', [excludedCig('SPESE_ECONOMALI', { rule: 'esclusione-motivo' })]],
  ['cig', 'Spesa economale (minute spese)', [excludedCig('SPESE_ECONOMALI')]],
  ['cig', 'CIG esente - spese economali', [excludedCig('SPESE_ECONOMALI', { rule: 'esclusione-motivo' })]],
  ['cig', 'SPESE_ECONOMALI', [excludedCig('SPESE_ECONOMALI')]],
  ['cig', 'Esente da CIG - contratto di lavoro', [excludedCig('CONTRATTI_LAVORO')]],
  ['cig', 'erogazione liberale', [excludedCig('EROGAZIONI_LIBERALITA')]],
  ['cig', 'Risarcimento danni', [excludedCig('RISARCIMENTI_INDENNIZZI')]],
  ['cig', 'AMMINISTRAZIONE DIRETTA', [excludedCig('AMMINISTRAZIONE DIRETTA')]],
  ['cig', 'PRESTAZIONI', [excludedCig('PRESTAZIONI')]],
  ['cig', 'CIG non dovuto: spese economali e contratto di lavoro', [excludedCig(null)]], // two motivi: none is clear
  ['cup', 'CUP non previsto', [noCup()]],
  ['cup', 'cup non dovuto', [noCup()]],
  ['cup', 'C.U.P. non richiesto', [noCup()]],
  ['cup', 'Nessun CUP', [noCup()]],
  ['cup', 'non soggetto a CUP', [noCup()]],
  ['cup', 'esente', [noCup()]],
  ['cig', 'CUP non previsto', [noCup({ note: IN_CIG_FIELD })]],
  ['cup', 'spese economali', [excludedCig('SPESE_ECONOMALI', { note: expect.stringContaining('riguarda il CIG') })]],
];

const PLACEHOLDERS: Row[] = [
  ['cig', '', [placeholder]],
  ['cig', '   ', [placeholder]],
  ['cig', '\u00A0', [placeholder]],
  ['cig', '-', [placeholder]],
  ['cig', '—', [placeholder]],
  ['cig', 'n.d.', [placeholder]],
  ['cig', 'ND', [placeholder]],
  ['cig', 'n/d', [placeholder]],
  ['cig', 'non previsto', [placeholder]],
  ['cig', 'CIG: -', [placeholder]],
  ['cup', '', [placeholder]],
  ['cup', 'N.D.', [placeholder]],
  ['cup', 'Non previsto', [placeholder]],
];

const INVALID: Row[] = [
  ['cig', BAD_ORD, [invalid('cig', 'Carattere di controllo errato: atteso CD6', { rule: 'codice-non-valido' })]],
  ['cig', BAD_PCP, [invalid('cig', 'atteso 659')]],
  ['cig', 'V123456789', [invalid('cig', 'Primo carattere non ammesso: «V»')]],
  ['cig', `CIG ${BAD_ORD} del 12/03/2024`, [invalid('cig', 'atteso CD6')]],
  ['cig', `${ORD} e ${BAD_ORD}`, [found(ORD), invalid('cig', 'atteso CD6')]],
  ['cig', '9050626CD', [invalid('cig', 'Lunghezza errata: il CIG ha 10 caratteri, qui ce ne sono 9', { rule: 'nessun-codice' })]],
  ['cig', '9050626CD66', [invalid('cig', 'qui ce ne sono 11', { rule: 'nessun-codice' })]],
  ['cig', 'Fattura 123', [invalid('cig', 'non c’è un codice CIG', { rule: 'nessun-codice' })]],
  ['cig', 'vedi determina', [invalid('cig', 'non c’è un codice CIG')]],
  ['cig', 'prestazioni professionali', [invalid('cig', 'non c’è un codice CIG')]], // a motivo word inside a sentence names nothing
  ['cig', 'IT60X0542811101000000123456', [invalid('cig', 'Lunghezza errata', { rule: 'nessun-codice' })]],
  ['cup', 'C44D2200278000', [invalid('cup', 'qui ce ne sono 14', { rule: 'nessun-codice' })]],
  ['cup', 'C44D220027800066', [invalid('cup', 'qui ce ne sono 16')]],
  ['cup', 'C44D2200278000X', [invalid('cup', 'Carattere non ammesso in posizione 15', { rule: 'codice-non-valido' })]],
  ['cup', 'progetto PNRR', [invalid('cup', 'non c’è un codice CUP')]],
];

const TABLE: [string, Row[]][] = [
  ['codes in the CIG field', CODES_IN_CIG_FIELD],
  ['separators inside a code', SEPARATORS],
  ['CUP field and the other field', CUP_AND_OTHER_FIELD],
  ['free text', FREE_TEXT],
  ['look-alikes and lost zeros', LOOK_ALIKES],
  ['exclusion phrases', EXCLUSIONS],
  ['placeholders', PLACEHOLDERS],
  ['invalid values', INVALID],
];
const ALL_ROWS = TABLE.flatMap(([, rows]) => rows);

describe('scanField: real-looking spellings', () => {
  it('has at least 80 rows', () => {
    expect(ALL_ROWS.length).toBeGreaterThanOrEqual(80);
  });

  for (const [name, rows] of TABLE) {
    describe(name, () => {
      it.each(rows)('%s %j', (field, input, expected) => {
        expect(scanField(input, field)).toMatchObject(expected);
      });
    });
  }
});

describe('scanField: what every item carries', () => {
  const items: HarvestItem[] = ALL_ROWS.flatMap(([field, input]) => scanField(input, field));

  it('names its rule with the Italian description of that rule', () => {
    for (const item of items) expect(item.rule.description).toBe(HARVEST_RULES[item.rule.name]);
  });

  it('never reports a code that fails its own check', () => {
    for (const item of items) {
      if ((item.kind === 'trovato' || item.kind === 'suggerimento' || item.kind === 'proposta') && item.code.type === 'cig') {
        expect(validateCig(item.code.codice).ok, item.code.codice).toBe(true);
      }
    }
  });

  it('keeps the spelling as written, invisible characters included', () => {
    expect(scanField('CIG 9050626\u200BCD6 del 12/03/2024', 'cig')).toEqual([
      {
        kind: 'trovato',
        code: { type: 'cig', codice: ORD, famiglia: 'ordinario' },
        original: '9050626\u200BCD6',
        note: null,
        rule: { name: 'codice-ricomposto', description: HARVEST_RULES['codice-ricomposto'] },
      },
    ]);
  });

  it('says which family a CIG is', () => {
    const familyOf = (text: string) => scanField(text, 'cig').map((i) => (i.kind === 'trovato' && i.code.type === 'cig' ? i.code.famiglia : null));
    expect([ORD, SMART, PCP].map(familyOf)).toEqual([['ordinario'], ['smart'], ['pcp']]);
  });

  it('lists both readings when a correction is ambiguous', () => {
    const [item] = scanField(AMBIGUOUS.written, 'cig');
    expect(item).toMatchObject({ kind: 'non_valido', original: AMBIGUOUS.written });
    expect(item?.kind === 'non_valido' && item.reason).toContain(AMBIGUOUS.ordinario);
  });
});

describe('scanField: cost', () => {
  it('stays linear on long, repetitive text (no catastrophic backtracking)', () => {
    const hostile = ['cig '.repeat(20_000), '0 '.repeat(50_000), 'non '.repeat(20_000) + 'cig', '-.'.repeat(50_000), 'O'.repeat(100_000)];
    const start = performance.now();
    for (const text of hostile) for (const field of ['cig', 'cup', 'testo'] as const) scanField(text, field);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
