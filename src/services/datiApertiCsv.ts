import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import {
  cigFieldsOf, cupFieldsOf, detectSeparator, FILE_NON_RICONOSCIUTO, headerPreview, MAX_HEADER_CHARS, readHeader, rowCode, validCode,
  type CigFields, type CupFields, type OpenDataKind,
} from '../domain/datiAperti.js';

/**
 * Streams an open-data CSV (ANAC CIG or OpenCUP) through csv-parse and keeps only
 * the rows whose code is wanted: the file is never held in memory, only the
 * rows of the school's (or the schools') own codes.
 */

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
  if (separator === null) return { ok: false, message: refusal(first.line) };

  let bytes = 0;
  async function* all(): AsyncGenerator<Buffer> {
    bytes += head.length;
    onProgress(bytes);
    yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as string);
      bytes += chunk.length;
      onProgress(bytes);
      yield chunk;
    }
  }

  const parser = parse({
    delimiter: separator, bom: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true,
    // One record of a real file is a few KB: a runaway quote must not swallow the file into memory.
    max_record_size: 1024 * 1024,
  });
  const input = Readable.from(all());
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);

  let header: ReturnType<typeof readHeader> | null = null;
  let kind: OpenDataKind = 'cig';
  let codeIndex = 0;
  let rows = 0;
  const cig = new Map<string, CigFields>();
  const cup = new Map<string, CupFields>();
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (header === null) {
        header = readHeader(row, separator);
        if (!header.ok) {
          input.destroy();
          return { ok: false, message: refusal(first.line) };
        }
        kind = header.kind;
        codeIndex = header.columns.codice!.index;
        continue;
      }
      rows++;
      const codice = rowCode(kind, row, codeIndex);
      if (kind === 'cig') {
        if (!wanted.cig.has(codice) || cig.has(codice) || header.kind !== 'cig' || validCode('cig', codice) === null) continue;
        cig.set(codice, cigFieldsOf(row, header.columns));
      } else {
        if (!wanted.cup.has(codice) || cup.has(codice) || header.kind !== 'cup' || validCode('cup', codice) === null) continue;
        cup.set(codice, cupFieldsOf(row, header.columns));
      }
    }
  } catch (err) {
    input.destroy();
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      return { ok: false, message: `Il file CSV non si legge alla riga ${rows + 2}: controlla virgolette e separatori (${code}). Nulla è stato salvato.` };
    }
    throw err;
  }
  if (header === null) return { ok: false, message: refusal(first.line) };
  return kind === 'cig' ? { ok: true, kind, rows, bytes, matches: cig } : { ok: true, kind, rows, bytes, matches: cup };
}

function refusal(line: string) {
  const preview = headerPreview(line);
  return preview
    ? `${FILE_NON_RICONOSCIUTO} Prima riga trovata: «${preview}».`
    : `${FILE_NON_RICONOSCIUTO} Il file è vuoto.`;
}
