/**
 * Public open data that completes the registers (issue 14): the ANAC CIG files
 * and the OpenCUP files. From a header line: which kind of file, which column
 * holds what; from one row: the values proposed for a CIG or a CUP, each with
 * the column it came from (the page and the audit say so).
 *
 * Pure module: no I/O. Streaming the file is the service's job.
 */
import { normalizeCig, validateCig } from './cig.js';
import { normalizeCup, validateCup } from './cup.js';
import { parseDateInput } from './dates.js';
import { parseEuro } from './money.js';
import { isSceltaContraente, type SceltaContraente } from './opi.js';
import { isPlainText } from './text.js';

export type OpenDataKind = 'cig' | 'cup';
export type Separator = ';' | ',';

/** The longest header line accepted: a real header is a few hundred characters. */
export const MAX_HEADER_CHARS = 64 * 1024;

export const FILE_NON_RICONOSCIUTO =
  'Il file non è un CSV di dati aperti riconosciuto: nella prima riga servono i nomi delle colonne separati da punto e virgola (;) o da virgola (,), ' +
  'con la colonna «cig» (dati aperti ANAC dei CIG) oppure «CUP» (dati aperti OpenCUP). Nulla è stato salvato.';

/** Meaningful columns of each kind, with the names other tools' exports use for them (lower case). */
const CIG_COLUMNS = {
  codice: ['cig', 'codice_cig'],
  oggetto_lotto: ['oggetto_lotto'],
  oggetto_gara: ['oggetto_gara'],
  importo_lotto: ['importo_lotto'],
  data_creazione: ['data_creazione', 'data_creazione_cig', 'data_generazione', 'data_generazione_cig'],
  data_pubblicazione: ['data_pubblicazione'],
  data_scadenza_offerta: ['data_scadenza_offerta', 'data_scadenza_offerte'],
  tipo_scelta_contraente: ['tipo_scelta_contraente'],
  cf_amministrazione_appaltante: ['cf_amministrazione_appaltante'],
} as const;

const CUP_COLUMNS = {
  codice: ['cup', 'codice_cup'],
  descrizione: ['descrizione_sintetica_cup'],
  anno_decisione: ['anno_decisione'],
  costo_progetto: ['costo_progetto'],
  finanziamento_progetto: ['finanziamento_progetto'],
  soggetto_titolare: ['soggetto_titolare'],
  cf_titolare: ['piva_codfiscale_sog_titolare'],
} as const;

/** Prefixes of other tools' exports (`bando_CIG`, `pubblicazioni_DATA_CREAZIONE`): a column is recognised with or without them. */
const PREFIXES = ['bando_', 'bandi_', 'pubblicazioni_', 'pubblicazione_', 'lotto_', 'lotti_', 'gara_', 'cig_', 'progetto_', 'opencup_', 'anac_'];

export type CigColumn = keyof typeof CIG_COLUMNS;
export type CupColumn = keyof typeof CUP_COLUMNS;

/** Where each known column is in the row, and its name as written in the file (the source the page shows). */
export type ColumnMap<K extends string> = Partial<Record<K, { index: number; name: string }>>;

export type OpenDataHeader =
  | { ok: true; kind: 'cig'; separator: Separator; columns: ColumnMap<CigColumn>; names: string[] }
  | { ok: true; kind: 'cup'; separator: Separator; columns: ColumnMap<CupColumn>; names: string[] }
  | { ok: false; message: string };

/** A header cell as compared: no BOM, no quotes, no surrounding spaces, lower case. */
export function normalizeHeaderName(cell: string): string {
  return cell.replace(/^\uFEFF/, '').trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase();
}

/**
 * The separator of a header line: the one of `;` and `,` that appears more often
 * outside quotes, or null when neither does (a tab or `|` file, a one-column file).
 */
export function detectSeparator(headerLine: string): Separator | null {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  if (semicolons === 0 && commas === 0) return null;
  return semicolons >= commas ? ';' : ',';
}

function mapColumns<K extends string>(names: string[], aliases: Record<K, readonly string[]>): ColumnMap<K> {
  const map: ColumnMap<K> = {};
  const normalized = names.map(normalizeHeaderName);
  // Exact names first, then the prefixed ones: `cig` wins over `bando_cig` when a file has both.
  for (const pass of ['exact', 'prefixed'] as const) {
    normalized.forEach((n, index) => {
      const bare = pass === 'exact' ? n : (PREFIXES.find((p) => n.startsWith(p) && n.length > p.length) ?? '');
      const candidate = pass === 'exact' ? n : bare ? n.slice(bare.length) : null;
      if (candidate === null) return;
      for (const key of Object.keys(aliases) as K[]) {
        if (map[key] === undefined && aliases[key].includes(candidate)) map[key] = { index, name: names[index]!.replace(/^\uFEFF/, '').trim() };
      }
    });
  }
  return map;
}

/** The header row (already split by the CSV parser) → the kind of file and its columns, or the refusal to show. */
export function readHeader(names: string[], separator: Separator | null): OpenDataHeader {
  if (separator === null) return { ok: false, message: FILE_NON_RICONOSCIUTO };
  const cig = mapColumns(names, CIG_COLUMNS);
  if (cig.codice) return { ok: true, kind: 'cig', separator, columns: cig, names };
  const cup = mapColumns(names, CUP_COLUMNS);
  if (cup.codice) return { ok: true, kind: 'cup', separator, columns: cup, names };
  return { ok: false, message: FILE_NON_RICONOSCIUTO };
}

/** The text of a header line for the refusal message: short and readable. */
export function headerPreview(line: string): string {
  const clean = line.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '');
  return clean.length > 120 ? `${clean.slice(0, 119)}…` : clean;
}

/**
 * A date as ANAC and OpenCUP write it: `2024-03-12`, `2024-03-12T00:00:00` (with or
 * without fractions and zone), `2024-03-12 00:00:00`, `12/03/2024` (with or without a time).
 * 'YYYY-MM-DD' or null.
 */
export function parseOpenDataDate(text: string | undefined): string | null {
  if (!text) return null;
  const s = text.trim();
  const m = /^(\d{4}-\d{1,2}-\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s)
    ?? /^(\d{1,2}\/\d{1,2}\/\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s);
  return m ? parseDateInput(m[1]!) : null;
}

/** An amount as the files write it (`1234.56`, `1.234,56`, `1234`) → integer cents (the app's parseEuro), never negative; else null. */
export function parseOpenDataAmount(text: string | undefined): number | null {
  if (!text) return null;
  const s = text.trim();
  if (s === '') return null;
  const cents = parseEuro(s);
  return cents !== null && Number.isSafeInteger(cents) && cents >= 0 ? cents : null;
}

const MAX_TESTO = 2000;

/** A text cell as an oggetto/descrizione: spaces collapsed, cut to 2,000 characters; null when empty or not plain text. */
export function openDataText(text: string | undefined): string | null {
  if (!text) return null;
  const s = text.replace(/\s+/g, ' ').trim();
  if (s === '' || !isPlainText(s)) return null;
  return s.length > MAX_TESTO ? s.slice(0, MAX_TESTO) : s;
}

/** ANAC's tipo_scelta_contraente (free text, upper case) → the register's list; null when it does not map cleanly. */
export function sceltaContraenteOf(text: string | undefined): SceltaContraente | null {
  if (!text) return null;
  const s = text.toUpperCase().replace(/[^A-Z]+/g, ' ').trim();
  if (s === '') return null;
  const rules: [RegExp, SceltaContraente][] = [
    [/ACCORDO QUADRO|CONVENZIONE/, 'ACCORDO_QUADRO'],
    [/AFFIDAMENTO DIRETTO/, 'AFFIDAMENTO_DIRETTO'],
    [/NEGOZIATA SENZA/, 'PROCEDURA_NEGOZIATA_SENZA_BANDO'],
    [/COMPETITIVA CON NEGOZIAZIONE/, 'PROCEDURA_COMPETITIVA_NEGOZIAZIONE'],
    [/DIALOGO COMPETITIVO/, 'DIALOGO_COMPETITIVO'],
    [/^PROCEDURA APERTA/, 'PROCEDURA_APERTA'],
    [/^PROCEDURA RISTRETTA/, 'PROCEDURA_RISTRETTA'],
  ];
  const found = rules.find(([re]) => re.test(s))?.[1] ?? null;
  // "Adesione a convenzione" and "accordo quadro" are two entries of the list: only the unambiguous one.
  if (found === 'ACCORDO_QUADRO') return /CONVENZIONE/.test(s) && !/ACCORDO QUADRO/.test(s) ? 'ADESIONE_CONVENZIONE' : /ACCORDO QUADRO/.test(s) && !/CONVENZIONE/.test(s) ? 'ACCORDO_QUADRO' : null;
  return found !== null && isSceltaContraente(found) ? found : null;
}

/** One proposed value and the file column it came from. */
export type Proposed<T> = { value: T; column: string };

export type CigFields = {
  oggetto?: Proposed<string>;
  importo_cents?: Proposed<number>;
  /** `from`: the creation date of the CIG, or (when the file has none) its publication date. */
  data_generazione?: Proposed<string> & { from: 'creazione' | 'pubblicazione' };
  data_scadenza_offerte?: Proposed<string>;
  scelta_contraente?: Proposed<SceltaContraente>;
};

export type CupFields = {
  descrizione?: Proposed<string>;
  anno_decisione?: Proposed<number>;
  importo_finanziato_cents?: Proposed<number>;
};

const cell = (row: readonly string[], col: { index: number } | undefined) => (col ? row[col.index] : undefined);

/** The code of a row, normalised the register's way, for the quick look-up while streaming ('' when absent). */
export function rowCode(kind: OpenDataKind, row: readonly string[], codeIndex: number): string {
  const raw = row[codeIndex];
  if (!raw) return '';
  return kind === 'cig' ? normalizeCig(raw) : normalizeCup(raw);
}

/** The code of a row, checked by the register's validator (check digits, family): null when not a valid code. */
export function validCode(kind: OpenDataKind, raw: string): string | null {
  const v = kind === 'cig' ? validateCig(raw) : validateCup(raw);
  return v.ok ? v.codice : null;
}

/** One row of an ANAC file → the values it proposes for the CIG (absent when the cell is empty or unreadable). */
export function cigFieldsOf(row: readonly string[], columns: ColumnMap<CigColumn>): CigFields {
  const out: CigFields = {};
  const text = (key: CigColumn) => {
    const v = openDataText(cell(row, columns[key]));
    return v === null ? undefined : { value: v, column: columns[key]!.name };
  };
  const date = (key: CigColumn) => {
    const v = parseOpenDataDate(cell(row, columns[key]));
    return v === null ? undefined : { value: v, column: columns[key]!.name };
  };
  const oggetto = text('oggetto_lotto') ?? text('oggetto_gara');
  if (oggetto) out.oggetto = oggetto;
  const importo = parseOpenDataAmount(cell(row, columns.importo_lotto));
  if (importo !== null) out.importo_cents = { value: importo, column: columns.importo_lotto!.name };
  const creazione = date('data_creazione');
  const pubblicazione = date('data_pubblicazione');
  if (creazione) out.data_generazione = { ...creazione, from: 'creazione' };
  else if (pubblicazione) out.data_generazione = { ...pubblicazione, from: 'pubblicazione' };
  const scadenza = date('data_scadenza_offerta');
  if (scadenza) out.data_scadenza_offerte = scadenza;
  const scelta = sceltaContraenteOf(cell(row, columns.tipo_scelta_contraente));
  if (scelta) out.scelta_contraente = { value: scelta, column: columns.tipo_scelta_contraente!.name };
  return out;
}

/** One row of an OpenCUP file → the values it proposes for the CUP. */
export function cupFieldsOf(row: readonly string[], columns: ColumnMap<CupColumn>): CupFields {
  const out: CupFields = {};
  const descrizione = openDataText(cell(row, columns.descrizione));
  if (descrizione) out.descrizione = { value: descrizione, column: columns.descrizione!.name };
  const anno = cell(row, columns.anno_decisione)?.trim() ?? '';
  if (/^\d{4}$/.test(anno) && Number(anno) >= 1900 && Number(anno) <= 2100) out.anno_decisione = { value: Number(anno), column: columns.anno_decisione!.name };
  const importo = parseOpenDataAmount(cell(row, columns.finanziamento_progetto));
  if (importo !== null) out.importo_finanziato_cents = { value: importo, column: columns.finanziamento_progetto!.name };
  return out;
}

/**
 * The oggetto/descrizione the one-time import writes when no document had a text
 * (src/services/importazioneService.ts): a placeholder that open data may always complete.
 */
export const IMPORT_PLACEHOLDERS: Record<OpenDataKind, string> = {
  cig: 'CIG importato dai documenti precedenti',
  cup: 'CUP importato dai documenti precedenti',
};
