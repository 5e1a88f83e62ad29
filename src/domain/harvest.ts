/**
 * Harvest v2: the text scanner of the one-time import (docs/dominio.md §2–§4),
 * used by the import's preview and run (services/importazioneService.ts) and by
 * a document's page to propose a code for its legacy text.
 *
 * Before the registers existed, documents carried CIG and CUP as free text.
 * A legacy field is therefore read as *text*, not as one value: it may hold a
 * code with separators inside, a prefix, a date or a lot note around it, two
 * codes, an exclusion phrase or a placeholder. The scanner never fixes a code
 * silently: a look-alike character or a lost leading zero becomes a proposal
 * the user confirms.
 *
 * How it works, in one pass over the text:
 * 1. invisible separators (zero-width, non-breaking spaces) become plain
 *    spaces, so offsets stay those of the input;
 * 2. the text is cut into chunks (runs of letters and digits); a chunk knows
 *    whether only spaces, dots or dashes separate it from the previous one;
 * 3. a candidate is one chunk, or consecutive "code-like" chunks joined across
 *    such separators, of 9, 10 or 15 characters; words without digits
 *    (`del`, `lotto`, `CIG`) are never part of a code, which is what keeps a
 *    code from being glued to its neighbours;
 * 4. candidates are checked with validateCig / validateCup; what is left in a
 *    CIG or CUP field is tried against look-alike corrections.
 *
 * Pure module: no I/O, no imports from outside src/domain.
 */
import { expectedCig, validateCig, type CigFamily } from './cig.js';
import { validateCup } from './cup.js';
import { MOTIVI_ESCLUSIONE_CIG, type MotivoEsclusioneCig } from './opi.js';

// ---------------------------------------------------------------------------
// Result type
// ---------------------------------------------------------------------------

/** Which legacy field is scanned: the document's CIG field, its CUP field, or free text (oggetto, causale, note). */
export type HarvestField = 'cig' | 'cup' | 'testo';
export type CodeType = 'cig' | 'cup';

export type HarvestCode = { type: 'cig'; codice: string; famiglia: CigFamily } | { type: 'cup'; codice: string };

export type HarvestRuleName =
  | 'segnaposto'
  | 'codice-intero'
  | 'codice-ricomposto'
  | 'prefisso-attaccato'
  | 'caratteri-simili'
  | 'zero-iniziale'
  | 'correzione-ambigua'
  | 'codice-non-valido'
  | 'nessun-codice'
  | 'esclusione-motivo'
  | 'esclusione-cig'
  | 'esclusione-cup'
  | 'codice-vicino'
  | 'cig-dell-impegno';

/** What the import preview shows under "what each rule did". */
export const HARVEST_RULES: Record<HarvestRuleName, string> = {
  segnaposto: 'Il campo contiene solo un segnaposto (vuoto, «-», «n.d.», «non previsto»): nessun codice e nessun errore.',
  'codice-intero': 'Codice scritto per intero, anche tra prefissi, parentesi, virgolette, date o note sul lotto.',
  'codice-ricomposto': 'Codice scritto con spazi, punti, trattini o caratteri invisibili all’interno: i pezzi sono stati riuniti.',
  'prefisso-attaccato': 'Codice attaccato alla parola CIG o CUP (per esempio «CIG9050626CD6»): la parola è stata tolta.',
  'caratteri-simili': 'Codice non valido che lo diventa cambiando caratteri simili (O e 0, I e 1, lettere cirilliche): proposta da confermare.',
  'zero-iniziale': 'CIG di 9 caratteri che diventa valido con uno zero iniziale (tolto dal foglio di calcolo): proposta da confermare.',
  'correzione-ambigua': 'Codice non valido che si può correggere in più modi: nessuna proposta, va controllato sul documento.',
  'codice-non-valido': 'Codice della lunghezza giusta che non supera il controllo.',
  'nessun-codice': 'Nel campo non c’è nessun codice riconoscibile.',
  'esclusione-motivo': 'Frase di esclusione del CIG che corrisponde a un motivo di esclusione OPI.',
  'esclusione-cig': 'Frase che dichiara che il CIG non è dovuto, senza un motivo di esclusione OPI preciso.',
  'esclusione-cup': 'Frase che dichiara che il documento non ha CUP.',
  'cig-dell-impegno': 'Mandato per debito commerciale senza CIG: proposto il CIG dell’impegno che paga.',
  'codice-vicino': 'Codice non valido vicino a un codice che la scuola usa già (un carattere cambiato, mancante o in più, o i caratteri di controllo sbagliati): proposta da confermare.',
};

export type HarvestRule = { name: HarvestRuleName; description: string };

/** `original`: the text the item comes from, as written in the field. `note`: set when the code was in the other field. */
export type HarvestItem =
  | { kind: 'trovato'; code: HarvestCode; original: string; note: string | null; rule: HarvestRule }
  | { kind: 'suggerimento'; code: HarvestCode; original: string; rule: HarvestRule }
  | { kind: 'proposta'; code: HarvestCode; changes: string[]; original: string; note: string | null; rule: HarvestRule }
  | { kind: 'non_valido'; type: CodeType; reason: string; original: string; rule: HarvestRule }
  | { kind: 'esclusione'; type: 'cig'; motivo: MotivoEsclusioneCig | null; original: string; note: string | null; rule: HarvestRule }
  | { kind: 'esclusione'; type: 'cup'; original: string; note: string | null; rule: HarvestRule }
  | { kind: 'segnaposto'; original: string; rule: HarvestRule };

const rule = (name: HarvestRuleName): HarvestRule => ({ name, description: HARVEST_RULES[name] });

const OTHER_FIELD_NOTE: Record<'codice' | 'frase', Record<CodeType, string>> = {
  codice: { cig: 'È un CIG, ma era scritto nel campo CUP.', cup: 'È un CUP, ma era scritto nel campo CIG.' },
  frase: { cig: 'La frase riguarda il CIG, ma era scritta nel campo CUP.', cup: 'La frase riguarda il CUP, ma era scritta nel campo CIG.' },
};

/** The note for a code (or exclusion phrase) of type `type` found in `field`; null when it is in its own field. */
function noteFor(type: CodeType, field: HarvestField, what: 'codice' | 'frase' = 'codice'): string | null {
  return field !== 'testo' && field !== type ? OTHER_FIELD_NOTE[what][type] : null;
}

// ---------------------------------------------------------------------------
// Chunks
// ---------------------------------------------------------------------------

/** Zero-width characters and non-breaking spaces: pasted from PDFs and web pages, never part of a code. */
const INVISIBLE = /[\u200B-\u200D\uFEFF\u00A0\u202F]/g;
const CHUNK = /[\p{L}\p{Nd}]+/gu;
/** What may separate the pieces of one code: a few spaces, dots or dashes (hyphen, non-breaking hyphen, en dash). */
const JOINABLE_GAP = /^[ .\-\u2010\u2011\u2013]{1,3}$/;
const LATIN_DIGIT = /[0-9]/;
const LATIN_LETTER_ONLY = /^[A-Z]$/;
const DIGIT_ONLY = /^[0-9]$/;
/** "n." or "n°" right after a lone N: the abbreviation of numero. */
const AFTER_N_ABBREVIATION = /^\s*[.°º]/;

type KeywordType = CodeType | 'neutral';

/** Words that announce a code. `neutral` ones (n., numero, codice) announce both kinds. */
const KEYWORDS = new Map<string, KeywordType>([
  ['CIG', 'cig'],
  ['SMARTCIG', 'cig'],
  ['SMART', 'cig'],
  ['PCP', 'cig'],
  ['CUP', 'cup'],
  ['NR', 'neutral'],
  ['NUM', 'neutral'],
  ['NUMERO', 'neutral'],
  ['CODICE', 'neutral'],
  ['COD', 'neutral'],
]);

/** A code glued to its label ("CIG9050626CD6"). Safe: no CIG starts with "CIG" and no CUP with "CUP". */
const GLUED_PREFIX = /^(SMARTCIG|CIG|CUP)(?=.{9})(?=.*[0-9])/;

type Chunk = {
  text: string;
  start: number;
  end: number;
  /** Only spaces, dots or dashes separate it from the previous chunk. */
  joinable: boolean;
  keyword: KeywordType | null;
  /** Can be a piece of a code: not a keyword, and has a digit or is a single character. */
  codeLike: boolean;
  /** Came from splitting a glued label off. */
  glued: boolean;
};

function tokenize(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let previousEnd = -1;
  for (const m of text.matchAll(CHUNK)) {
    const start = m.index;
    const joinable = previousEnd >= 0 && JOINABLE_GAP.test(text.slice(previousEnd, start));
    previousEnd = start + m[0].length;
    const glued = GLUED_PREFIX.exec(m[0].toUpperCase());
    if (glued) {
      const cut = start + glued[1]!.length;
      chunks.push(newChunk(text, start, cut, joinable, false));
      chunks.push(newChunk(text, cut, previousEnd, false, true));
    } else {
      chunks.push(newChunk(text, start, previousEnd, joinable, false));
    }
  }
  markKeywords(chunks, text);
  for (const c of chunks) c.codeLike = c.keyword === null && (c.text.length === 1 || LATIN_DIGIT.test(c.text));
  return chunks;
}

function newChunk(text: string, start: number, end: number, joinable: boolean, glued: boolean): Chunk {
  return { text: text.slice(start, end), start, end, joinable, keyword: null, codeLike: false, glued };
}

/** Keywords, including the dotted forms C.I.G. / C.U.P. and "n." / "n°" before a number. */
function markKeywords(chunks: Chunk[], text: string): void {
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const upper = c.text.toUpperCase();
    c.keyword ??= KEYWORDS.get(upper) ?? null;
    if (upper === 'N' && AFTER_N_ABBREVIATION.test(text.slice(c.end, c.end + 3))) c.keyword = 'neutral';
    const dotted = upper === 'C' ? dottedAcronym(chunks, i) : null;
    if (dotted) for (let k = i; k < i + 3; k++) chunks[k]!.keyword = dotted;
  }
}

function dottedAcronym(chunks: Chunk[], i: number): CodeType | null {
  const two = chunks.slice(i + 1, i + 3);
  if (two.length < 2 || !two.every((c) => c.joinable && c.text.length === 1)) return null;
  const letters = two.map((c) => c.text.toUpperCase()).join('');
  return letters === 'IG' ? 'cig' : letters === 'UP' ? 'cup' : null;
}

/**
 * For each chunk, the keyword types directly before it (a chain like "N. CIG"
 * or "codice CUP n."). One forward pass, so a text full of keywords stays linear.
 */
function anchorsOf(chunks: Chunk[]): Set<KeywordType>[] {
  const out: Set<KeywordType>[] = [];
  let chain = new Set<KeywordType>();
  for (const c of chunks) {
    out.push(chain);
    chain = c.keyword === null ? new Set() : new Set([...chain, c.keyword]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------

type Candidate = { from: number; to: number; text: string; anchors: Set<KeywordType> };

const CANDIDATE_LENGTHS = new Set([9, 10, 15]);
const MAX_LENGTH = 15;

/**
 * Every chunk, or run of code-like chunks joined across separators, of a
 * code's length. In free text a code may be split only right after a keyword:
 * joining numbers of ordinary prose would invent codes (phone numbers, dates).
 */
function candidates(chunks: Chunk[], field: HarvestField): Candidate[] {
  const out: Candidate[] = [];
  const anchorsAt = anchorsOf(chunks);
  for (let i = 0; i < chunks.length; i++) {
    if (!chunks[i]!.codeLike) continue;
    const anchors = anchorsAt[i]!;
    const mayJoin = field !== 'testo' || anchors.size > 0;
    let text = '';
    for (let j = i; j < chunks.length; j++) {
      const c = chunks[j]!;
      if (j > i && (!mayJoin || !c.joinable || !c.codeLike)) break;
      text += c.text;
      if (text.length > MAX_LENGTH) break;
      if (CANDIDATE_LENGTHS.has(text.length)) out.push({ from: i, to: j, text, anchors });
    }
  }
  // Fewest pieces first, then text order: a code written whole wins over one
  // assembled from its neighbours.
  return out.sort((a, b) => a.to - a.from - (b.to - b.from) || a.from - b.from);
}

/** The code a candidate is, as written (no correction), or null. */
function readCode(c: Candidate, field: HarvestField): HarvestCode | null {
  if (c.text.length === 10) {
    // In free text a CIG must contain a digit: a ten-letter word made only of
    // A–F letters could pass the check by chance.
    if (field === 'testo' && !LATIN_DIGIT.test(c.text)) return null;
    const v = validateCig(c.text);
    return v.ok ? { type: 'cig', codice: v.codice, famiglia: v.famiglia } : null;
  }
  if (c.text.length === 15) {
    // A CUP has no check character: outside the CIG/CUP fields only the word CUP makes a shape a CUP.
    if (field === 'testo' && !c.anchors.has('cup')) return null;
    const v = validateCup(c.text);
    return v.ok ? { type: 'cup', codice: v.codice } : null;
  }
  return null;
}

function readRule(chunks: Chunk[], c: Candidate): HarvestRule {
  if (c.from !== c.to) return rule('codice-ricomposto');
  return rule(chunks[c.from]!.glued ? 'prefisso-attaccato' : 'codice-intero');
}

// ---------------------------------------------------------------------------
// Look-alike corrections
// ---------------------------------------------------------------------------

/** Cyrillic letters that look Latin, as copied from PDFs. */
const CYRILLIC: Record<string, string> = {
  А: 'A', В: 'B', С: 'C', Е: 'E', Н: 'H', К: 'K', М: 'M', О: 'O', Р: 'P', Т: 'T', Х: 'X',
  а: 'A', в: 'B', с: 'C', е: 'E', н: 'H', к: 'K', м: 'M', о: 'O', р: 'P', т: 'T', х: 'X',
};

type Option = { ch: string; change: string | null };

/** Positions (0-based) where a letter is allowed, so a zero there may be a letter O. */
function letterAllowed(type: CodeType, index: number): boolean {
  return type === 'cig' ? index === 0 : index === 0 || index === 3;
}

/** What the character at `index` (0-based) may really be: its literal reading (change null) first, then the look-alikes. */
function optionsFor(ch: string, index: number, type: CodeType): Option[] {
  const pos = index + 1;
  const latin = CYRILLIC[ch];
  if (latin === 'O') {
    return [
      { ch: 'O', change: `lettera cirillica «${ch}» al posto della O latina in posizione ${pos}` },
      { ch: '0', change: `lettera cirillica «${ch}» al posto dello zero in posizione ${pos}` },
    ];
  }
  if (latin) return [{ ch: latin, change: `lettera cirillica «${ch}» al posto della ${latin} latina in posizione ${pos}` }];
  if (ch === 'O' || ch === 'o') return [{ ch: 'O', change: null }, { ch: '0', change: `lettera O al posto dello zero in posizione ${pos}` }];
  if (ch === 'I') return [{ ch: 'I', change: null }, { ch: '1', change: `lettera I al posto della cifra 1 in posizione ${pos}` }];
  if (ch === 'l') return [{ ch: 'L', change: null }, { ch: '1', change: `lettera l minuscola al posto della cifra 1 in posizione ${pos}` }];
  if (ch === '0' && letterAllowed(type, index)) return [{ ch: '0', change: null }, { ch: 'O', change: `zero al posto della lettera O in posizione ${pos}` }];
  return [{ ch: ch.toUpperCase(), change: null }];
}

type Correction = { codice: string; code: HarvestCode; changes: string[] };

const LEADING_ZERO = 'zero iniziale mancante (tolto dal foglio di calcolo): aggiunto in posizione 1';

/**
 * Characters that can stand at a position whatever the family: after the
 * first character a CIG is hexadecimal; a CUP is letter, 2 digits, letter,
 * 11 digits. Dropping the other readings early keeps the search to at most
 * two readings for a CIG (its first character) and one for a CUP.
 */
const CIG_TAIL = /^[0-9A-F]$/;
function possibleAt(ch: string, index: number, type: CodeType): boolean {
  if (type === 'cig') return index === 0 || CIG_TAIL.test(ch);
  return letterAllowed(type, index) ? LATIN_LETTER_ONLY.test(ch) : DIGIT_ONLY.test(ch);
}

/**
 * Every reading of `text` with at least one change that passes the check.
 * `leadingZero` prefixes a 0 (a 9-character ordinario CIG whose zero a
 * spreadsheet dropped).
 */
function corrections(text: string, type: CodeType, leadingZero: boolean): Correction[] {
  const chars = [...(leadingZero ? `0${text}` : text)];
  const options = chars.map((ch, i) =>
    leadingZero && i === 0 ? [{ ch: '0', change: LEADING_ZERO }] : optionsFor(ch, i, type).filter((o) => possibleAt(o.ch, i, type)),
  );
  if (options.some((o) => o.length === 0)) return []; // a character no look-alike explains

  const found: Correction[] = [];
  const walk = (i: number, codice: string, changes: string[]) => {
    if (i === options.length) {
      if (changes.length === 0) return; // the literal reading was already checked
      const code = readExact(codice, type);
      if (code) found.push({ codice, code, changes });
      return;
    }
    for (const o of options[i]!) walk(i + 1, codice + o.ch, o.change ? [...changes, o.change] : changes);
  };
  walk(0, '', []);
  return found;
}

function readExact(codice: string, type: CodeType): HarvestCode | null {
  if (type === 'cig') {
    const v = validateCig(codice);
    return v.ok ? { type, codice: v.codice, famiglia: v.famiglia } : null;
  }
  const v = validateCup(codice);
  return v.ok ? { type, codice: v.codice } : null;
}

function literalReason(text: string, type: CodeType): string {
  const v = type === 'cig' ? validateCig(text) : validateCup(text);
  return v.ok ? '' : v.reason;
}

/**
 * A candidate the check refused, in the field meant for its type: a proposal
 * when exactly one correction passes, otherwise an invalid value; nothing for
 * a 9-character text that a leading zero does not fix (a protocol number, say).
 */
function correct(c: Candidate, type: CodeType, original: string): HarvestItem | null {
  // A spreadsheet drops the zero of one cell's value, so only a 9-character token written whole qualifies.
  const leadingZero = type === 'cig' && c.text.length === 9;
  if (leadingZero && c.from !== c.to) return null;
  const found = corrections(c.text, type, leadingZero);
  if (found.length === 1) {
    const [only] = found as [Correction];
    return { kind: 'proposta', code: only.code, changes: only.changes, original, note: null, rule: rule(leadingZero ? 'zero-iniziale' : 'caratteri-simili') };
  }
  if (found.length > 1) {
    const list = found.map((f) => `${f.codice} (${f.changes.join(', ')})`).join('; ');
    const reason = `${literalReason(c.text, type)} Si potrebbe correggere in più modi: ${list}. Va controllato sul documento.`.trim();
    return { kind: 'non_valido', type, reason, original, rule: rule('correzione-ambigua') };
  }
  if (leadingZero) return null;
  return { kind: 'non_valido', type, reason: literalReason(c.text, type), original, rule: rule('codice-non-valido') };
}

// ---------------------------------------------------------------------------
// Placeholders and exclusions (on folded text: lower case, no accents)
// ---------------------------------------------------------------------------

function fold(text: string): string {
  return text
    .replace(INVISIBLE, ' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u00b4`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** A label at the start of the field ("CIG:", "C.U.P. n.") is ignored when deciding what the rest is. */
const LEADING_LABEL = /^(?:smart\s*)?(?:c\.?\s?i\.?\s?g|c\.?\s?u\.?\s?p)\.?\s*(?:(?:n|nr)\s*[.°º]?\s*)?[:.-]?\s*/;
const PLACEHOLDER = /^(?:[-\u2010-\u2015_/.*?]*|n\s?\.?\s?d\s?\.?|n\s?\/\s?d|n\s?\.\s?a\s?\.?|non\s+previst[oa]|non\s+presente|non\s+disponibile|nessuno|null)$/;

const CIG_WORD = String.raw`(?:smart\s?)?(?:cig|c\.\s?i\.\s?g\.?)`;
const CUP_WORD = String.raw`(?:cup|c\.\s?u\.\s?p\.?)`;
/** "non dovuto", "esente", … after the word; bounded alternations only, so the scan stays linear. */
const DENIAL_AFTER = String.raw`\s?[:\-]?\s?(?:e\s)?(?:esente|esclus[oa]|non\s(?:e\s)?(?:dovut[oa]|necessari[oa]|richiest[oa]|previst[oa]|obbligatori[oa]|soggett[oa]|applicabile|pertinente|presente|assegnat[oa]|serve|occorre))`;
const DENIAL_BEFORE = String.raw`(?:esente|esclus[oa]|non\ssoggett[oa]|non\ssottopost[oa]|senza|nessun|no)\s(?:(?:a|al|da|dal|dall'|all')\s?)?(?:obbligo\s(?:di|del)\s)?`;

const CIG_DENIAL = new RegExp(String.raw`\b${CIG_WORD}${DENIAL_AFTER}\b|\b${DENIAL_BEFORE}${CIG_WORD}(?![a-z])`);
const CUP_DENIAL = new RegExp(String.raw`\b${CUP_WORD}${DENIAL_AFTER}\b|\b${DENIAL_BEFORE}${CUP_WORD}(?![a-z])`);
/** The whole field is a bare denial ("esente", "non dovuto"): it denies the field's own code. */
const BARE_DENIAL = /^(?:esente|esclus[oa]|non\s(?:dovut[oa]|soggett[oa]|richiest[oa]|necessari[oa]|applicabile))$/;

/**
 * Phrases that clearly name one motivo di esclusione. The OPI values count too,
 * but a one-word value (PRESTAZIONI, ARBITRATO) only as the whole field: as a
 * word inside a sentence («prestazioni professionali») it names nothing.
 */
const MOTIVO_PHRASES: [MotivoEsclusioneCig, RegExp][] = [
  ['SPESE_ECONOMALI', /\b(?:spes[ae]\s(?:di\s)?economal[ei]|fondo\seconomale|economato|minute\sspese)\b/],
  ['CONTRATTI_LAVORO', /\bcontratt[oi]\sdi\slavoro\b/],
  ['AFFIDAMENTI_IN_HOUSE', /\bin[\s-]?house\b/],
  ['AMMINISTRAZIONE DIRETTA', /\bamministrazione\sdiretta\b/],
  ['EROGAZIONI_LIBERALITA', /\berogazion[ei]\sliberal[ei]\b/],
  ['RISARCIMENTI_INDENNIZZI', /\b(?:risarciment[oi]|indennizz[oi])\b/],
  ['TRASFERIMENTO_FONDI', /\btrasferiment[oi]\s(?:di\s)?fondi\b/],
  ['SPONSORIZZAZIONE_PURA', /\bsponsorizzazione\spura\b/],
  ['INCARICHI_COLLABORAZIONE', /\bincaric(?:o|hi)\sdi\scollaborazione\b/],
  ['ARBITRATO', /\barbitrat[oi]\b/],
  ['TRASPORTO_AEREO', /\btrasporto\saereo\b/],
  ...MOTIVI_ESCLUSIONE_CIG.map(({ value }): [MotivoEsclusioneCig, RegExp] => [value, opiValuePattern(value)]),
];

function opiValuePattern(value: string): RegExp {
  const words = value.toLowerCase().replace(/[_ ]/g, '[_ ]');
  return /[_ ]/.test(value) ? new RegExp(`\\b${words}\\b`) : new RegExp(`^${words}$`);
}

/** The single motivo the text names, or null when it names none or several. */
function motivoOf(folded: string): { motivo: MotivoEsclusioneCig | null; named: boolean } {
  const named = new Set(MOTIVO_PHRASES.filter(([, re]) => re.test(folded)).map(([m]) => m));
  return { motivo: named.size === 1 ? [...named][0]! : null, named: named.size > 0 };
}

function exclusions(original: string, folded: string, field: CodeType): HarvestItem[] {
  const bare = BARE_DENIAL.test(folded);
  const out: HarvestItem[] = [];
  const { motivo, named } = motivoOf(folded);
  if (CIG_DENIAL.test(folded) || named || (bare && field === 'cig')) {
    const name = motivo ? 'esclusione-motivo' : 'esclusione-cig';
    out.push({ kind: 'esclusione', type: 'cig', motivo, original, note: noteFor('cig', field, 'frase'), rule: rule(name) });
  }
  if (CUP_DENIAL.test(folded) || (bare && field === 'cup')) {
    out.push({ kind: 'esclusione', type: 'cup', original, note: noteFor('cup', field, 'frase'), rule: rule('esclusione-cup') });
  }
  return out;
}

// ---------------------------------------------------------------------------
// The scan
// ---------------------------------------------------------------------------

/**
 * Scan one legacy field. Each distinct code is reported once, in text order,
 * followed by invalid values and exclusions. In free text ('testo') only valid
 * codes are reported, as suggestions: prose is not the place to report errors,
 * and a code read there must never become a link without the user.
 */
export function scanField(input: string, field: HarvestField): HarvestItem[] {
  const original = input.trim();
  if (field !== 'testo') {
    const folded = fold(input);
    const excluded = exclusions(original, folded, field);
    // Exclusions first: «CUP non previsto» is an exclusion, a bare «non previsto» a placeholder.
    if (excluded.length === 0 && PLACEHOLDER.test(folded.replace(LEADING_LABEL, ''))) {
      return [{ kind: 'segnaposto', original, rule: rule('segnaposto') }];
    }
    return [...scanCodes(input, field, excluded.length === 0), ...excluded];
  }
  return scanCodes(input, field, false);
}

/** Codes, proposals and (when `reportErrors`) invalid values, in text order. */
function scanCodes(input: string, field: HarvestField, reportErrors: boolean): HarvestItem[] {
  // Same length as the input, so chunk offsets slice the original spelling.
  const chunks = tokenize(input.replace(INVISIBLE, ' '));
  const all = candidates(chunks, field);
  const taken = new Array<boolean>(chunks.length).fill(false); // by chunk index: a chunk belongs to at most one item
  const items: { at: number; item: HarvestItem }[] = [];
  const seen = new Set<string>();
  const originalOf = (c: Candidate) => input.slice(chunks[c.from]!.start, chunks[c.to]!.end);
  const free = (c: Candidate) => !taken.slice(c.from, c.to + 1).includes(true);
  const add = (c: Candidate, item: HarvestItem, key: string | null) => {
    taken.fill(true, c.from, c.to + 1);
    if (key !== null && seen.has(key)) return; // the same code twice: reported once
    if (key !== null) seen.add(key);
    items.push({ at: c.from, item });
  };

  for (const c of all) {
    const code = free(c) ? readCode(c, field) : null;
    if (!code) continue;
    const original = originalOf(c);
    const item: HarvestItem =
      field === 'testo'
        ? { kind: 'suggerimento', code, original, rule: readRule(chunks, c) }
        : { kind: 'trovato', code, original, note: noteFor(code.type, field), rule: readRule(chunks, c) };
    add(c, item, `${code.type}:${code.codice}`);
  }

  if (reportErrors && field !== 'testo') {
    // Only texts of the field's own code length are tried: anything else near a code is a date, a lot or a protocol number.
    // Once a code is found, pieces joined around it are dates and numbers, not a second code gone wrong.
    const own = field === 'cig' ? new Set([9, 10]) : new Set([15]);
    const codeFound = items.length > 0;
    for (const c of all) {
      if (!own.has(c.text.length) || !free(c) || (codeFound && c.from !== c.to)) continue;
      const item = correct(c, field, originalOf(c));
      if (!item) continue;
      add(c, item, item.kind === 'proposta' ? `${item.code.type}:${item.code.codice}` : null);
    }
    if (items.length === 0) items.push({ at: 0, item: nothingFound(input, chunks, field) });
  }
  return items.sort((a, b) => a.at - b.at).map((x) => x.item);
}

/** The field has text but no code: say why, with the validator's own reason on the longest code-like run. */
function nothingFound(text: string, chunks: Chunk[], field: CodeType): HarvestItem {
  const original = text.trim();
  let best = '';
  let run = '';
  for (const c of chunks) {
    run = c.codeLike && c.joinable && run !== '' ? run + c.text : c.codeLike ? c.text : '';
    if (run.length > best.length) best = run;
  }
  const label = field === 'cig' ? 'CIG (10 caratteri)' : 'CUP (15 caratteri)';
  const reason =
    best.length >= 5
      ? literalReason(best, field)
      : `Nel testo «${original}» non c’è un codice ${label}. Se il documento non ha il codice, scrivi il motivo o lascia il campo vuoto.`;
  return { kind: 'non_valido', type: field, reason, original, rule: rule('nessun-codice') };
}

// ---------------------------------------------------------------------------
// The oggetto of an imported code
// ---------------------------------------------------------------------------

/** Pieces of a causale that speak of the payment, not of what was bought. */
const PAYMENT_PIECE =
  /^(?:pagamento|pag\.|saldo|acconto|anticipo|liquidazione|rata|quota|fattura|fatt\.|ft\.?|nota\s+di\s+credito|canone\s+\d+°?\s*(?:semestre|trimestre|bimestre|mese))\b/i;
const INVOICE_REF = /\b(?:fattura|fatt\.|ft\.?)\s*(?:n\.?|nr\.?|n°)?\s*[\w/.-]+(?:\s+del\s+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})?/gi;

/**
 * The oggetto to propose for a code from a document's text: the pieces about
 * the payment («Pagamento fattura n. 12/2025 del 10/01/2025», «Acconto 2»,
 * «Saldo») are dropped, what was bought is kept. Null when nothing is left.
 */
export function oggettoProposto(text: string | null | undefined): string | null {
  if (!text) return null;
  const pieces = text
    .split(/\s+[–—-]\s+/)
    .map((p) => p.trim())
    .filter((p) => p && !PAYMENT_PIECE.test(p))
    .map((p) => p.replace(INVOICE_REF, '').replace(/\s{2,}/g, ' ').trim())
    .filter(Boolean);
  const out = pieces.join(' – ');
  return out || null;
}

// ---------------------------------------------------------------------------
// A document's own legacy text: what its page offers
// ---------------------------------------------------------------------------

/** One thing the secretary can do with a legacy text from the document's page, in one click. */
export type LegacyOption =
  | { azione: 'collega'; code: HarvestCode; spiegazione: string }
  | { azione: 'motivo'; motivo: MotivoEsclusioneCig; spiegazione: string }
  | { azione: 'nessun_codice'; spiegazione: string };

/** Why the text is not linked (the scanner's reasons), and what can be done with it. */
export type LegacyAdvice = { motivi: string[]; opzioni: LegacyOption[] };

/**
 * What a document's page proposes for the legacy text of its CIG or CUP field:
 * the codes read in it (a look-alike correction says what it changes), the
 * motivo an exclusion phrase names, «nessun codice» for a placeholder or an
 * exclusion phrase. An invalid value offers nothing but its reason: the right
 * code is chosen from the register.
 */
export function legacyAdvice(text: string, field: CodeType): LegacyAdvice {
  const motivi: string[] = [];
  const opzioni: LegacyOption[] = [];
  let noCode: string | null = null;
  for (const item of scanField(text, field)) {
    switch (item.kind) {
      case 'trovato':
        opzioni.push({ azione: 'collega', code: item.code, spiegazione: item.note ?? item.rule.description });
        break;
      case 'proposta':
        opzioni.push({ azione: 'collega', code: item.code, spiegazione: `Correzione da confermare: ${item.changes.join('; ')}.` });
        break;
      case 'non_valido':
        motivi.push(item.reason);
        break;
      case 'esclusione':
        if (item.type === 'cig' && item.motivo) opzioni.push({ azione: 'motivo', motivo: item.motivo, spiegazione: `La frase indica il motivo di esclusione ${item.motivo}.` });
        noCode ??= item.type === 'cup' ? 'La frase dice che il documento non ha CUP.' : 'La frase dice che il CIG non è dovuto.';
        break;
      case 'segnaposto':
        noCode ??= 'Il testo è solo un segnaposto, senza codice.';
        break;
      case 'suggerimento':
        break;
    }
  }
  if (noCode) opzioni.push({ azione: 'nessun_codice', spiegazione: noCode });
  return { motivi, opzioni };
}

// ---------------------------------------------------------------------------
// An invalid value one keystroke away from a code the school already uses
// ---------------------------------------------------------------------------

/** The value as a bare code: upper case, letters and digits only, without a leading CIG/CUP label. */
export function bareCode(text: string): string {
  return fold(text).toUpperCase().replace(/[^0-9A-Z]/g, '').replace(/^(?:SMARTCIG|CIG|CUP)(?=[0-9A-Z]{9})/, '');
}

/** True when `a` becomes `b` by changing, adding or removing one character. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.length === long.length ? short.slice(i + 1) === long.slice(i + 1) : short.slice(i) === long.slice(i + 1);
}

/**
 * The codes of the school (registered, or read valid in other documents) that
 * an invalid value is one keystroke from: a digit typed wrong, a character
 * lost or doubled. Exactly one is a proposal; more, or none, is not.
 */
export function nearKnownCodes(text: string, known: Iterable<string>): string[] {
  return nearCodeFinder(known)(text);
}

/**
 * `nearKnownCodes` for many values against one set of codes: the codes are
 * indexed once by each of their one-character deletions, so a value meets only
 * the few codes that share such a key with it, not all the school's codes.
 */
export function nearCodeFinder(known: Iterable<string>): (text: string) => string[] {
  const codes = new Set(known);
  const byKey = new Map<string, string[]>();
  const add = (key: string, code: string) => {
    const list = byKey.get(key);
    if (list) list.push(code);
    else byKey.set(key, [code]);
  };
  for (const code of codes) {
    add(code, code);
    for (let i = 0; i < code.length; i++) add(code.slice(0, i) + code.slice(i + 1), code);
  }
  return (text) => {
    const bare = bareCode(text);
    if (bare.length < 9) return [];
    // A CIG whose check characters are wrong: the code its progressive makes, when the school uses it.
    const checked = bare.length === 10 ? expectedCig(bare)?.codice : undefined;
    if (checked && checked !== bare && codes.has(checked)) return [checked];
    const found = new Set(byKey.get(bare) ?? []);
    for (let i = 0; i < bare.length; i++) for (const code of byKey.get(bare.slice(0, i) + bare.slice(i + 1)) ?? []) found.add(code);
    return [...found].filter((code) => oneEditApart(bare, code)).sort();
  };
}
