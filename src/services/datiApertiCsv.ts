import { parse } from 'csv-parse/sync';
import { CsvRecordSplitter, fieldAt, RecordTooLongError } from '../domain/csvRecords.js';
import {
  cigFieldsOf, cupFieldsOf, detectSeparator, FILE_NON_RICONOSCIUTO, headerPreview, MAX_HEADER_CHARS, readHeader, rowCode, validCode,
  type CigColumn, type CigFields, type ColumnMap, type CupColumn, type CupFields,
} from '../domain/datiAperti.js';

/**
 * Streams an open-data CSV (ANAC CIG or OpenCUP) and keeps only the rows whose
 * code is wanted: the file is never held in memory, only the rows of the
 * school's (or the schools') own codes, each parsed by csv-parse.
 */

/** One record of a real file is a few KB: a runaway quote must not swallow the file into memory. */
const MAX_RECORD = 1024 * 1024;

export type OpenDataMatches =
  | { ok: true; kind: 'cig'; rows: number; bytes: number; matches: Map<string, CigFields> }
  | { ok: true; kind: 'cup'; rows: number; bytes: number; matches: Map<string, CupFields> };

export type OpenDataRead = OpenDataMatches | { ok: false; message: string };

export type Wanted = { cig: ReadonlySet<string>; cup: ReadonlySet<string> };

/** Bytes read so far: called at most once per chunk, the caller throttles what it shows. */
export type ProgressListener = (bytes: number) => void;

const NON_CSV =
  'Il file caricato non è un CSV di testo (sembra un file binario, per esempio un foglio Excel o un archivio ZIP): ' +
  'scarica o salva i dati aperti in formato CSV. Nulla è stato salvato.';

/** The first line of the file and everything read so far (to feed the parser again), or why the file is refused. */
async function takeHeader(chunks: AsyncIterator<Buffer>): Promise<{ head: Buffer; line: string } | { refused: string }> {
  const parts: Buffer[] = [];
  let length = 0;
  for (;;) {
    const next = await chunks.next();
    if (!next.done) {
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
      parts.push(chunk);
      length += chunk.length;
    }
    const head = Buffer.concat(parts, length);
    if (head.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004' || head.subarray(0, 8192).includes(0)) return { refused: NON_CSV };
    const newline = head.indexOf(0x0a);
    if (newline >= 0 || next.done || length > MAX_HEADER_CHARS) {
      const end = newline >= 0 ? newline : Math.min(length, MAX_HEADER_CHARS);
      return { head, line: head.subarray(0, end).toString('utf8').replace(/\r$/, '') };
    }
  }
}

export async function readOpenData(source: AsyncIterable<Buffer | string>, wanted: Wanted, onProgress: ProgressListener = () => {}): Promise<OpenDataRead> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await takeHeader(chunks);
  if ('refused' in first) return { ok: false, message: first.refused };
  const { head, line } = first;
  const separator = detectSeparator(line);
  if (separator === null) return { ok: false, message: refusal(line) };
  const header = readHeader(parseRecord(line, separator), separator);
  if (!header.ok) return { ok: false, message: refusal(line) };
  const { kind } = header;
  const codeIndex = header.columns.codice!.index;

  // Every record is cut out at the speed of a byte search; only those whose code is
  // wanted are parsed whole (a national file has millions of rows, a school a few hundred).
  const splitter = new CsvRecordSplitter(separator.charCodeAt(0), MAX_RECORD);
  const cig = new Map<string, CigFields>();
  const cup = new Map<string, CupFields>();
  const own = kind === 'cig' ? wanted.cig : wanted.cup;
  const sink = (buffer: Buffer, start: number, end: number) => {
    const codice = rowCode(kind, [fieldAt(buffer, start, end, codeIndex, separator.charCodeAt(0))], 0);
    if (!own.has(codice) || cig.has(codice) || cup.has(codice) || validCode(kind, codice) === null) return;
    const row = parseRecord(buffer.toString('utf8', start, end), separator);
    if (kind === 'cig') cig.set(codice, cigFieldsOf(row, header.columns as ColumnMap<CigColumn>));
    else cup.set(codice, cupFieldsOf(row, header.columns as ColumnMap<CupColumn>));
  };

  let bytes = head.length;
  onProgress(bytes);
  try {
    const afterHeader = head.indexOf(0x0a);
    if (afterHeader >= 0) splitter.push(head.subarray(afterHeader + 1), sink);
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
      bytes += chunk.length;
      onProgress(bytes);
      splitter.push(chunk, sink);
    }
    splitter.end(sink);
  } catch (err) {
    if (err instanceof RecordTooLongError || isCsvError(err)) {
      return { ok: false, message: `Il file CSV non si legge alla riga ${splitter.records + 2}: controlla virgolette e separatori. Nulla è stato salvato.` };
    }
    throw err;
  }
  const rows = splitter.records;
  return kind === 'cig' ? { ok: true, kind, rows, bytes, matches: cig } : { ok: true, kind, rows, bytes, matches: cup };
}

/** One record (or the header line) read whole, with the same relaxed rules for every file. */
function parseRecord(text: string, separator: string): string[] {
  const [row] = parse(text, { delimiter: separator, bom: true, relax_quotes: true, relax_column_count: true }) as string[][];
  return row ?? [];
}

const isCsvError = (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('CSV_');

function refusal(line: string) {
  const preview = headerPreview(line);
  return preview
    ? `${FILE_NON_RICONOSCIUTO} Prima riga trovata: «${preview}».`
    : `${FILE_NON_RICONOSCIUTO} Il file è vuoto.`;
}
