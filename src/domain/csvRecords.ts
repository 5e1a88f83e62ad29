/**
 * Cutting a CSV byte stream into records without parsing every field: the
 * national open-data files are hundreds of MB, and only a few hundred of their
 * rows belong to a school. A record is read whole (csv-parse) only when its
 * code column matches; everything else is skipped at the speed of a byte
 * search. Pure: bytes in, records out, no I/O.
 *
 * The quoting rules are those csv-parse applies with `relax_quotes`: a quote
 * opens a quoted field only as the field's first character (elsewhere it is a
 * plain character, as in «monitor 75"»); inside a quoted field `""` is a quote
 * and a line break belongs to the field.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export class RecordTooLongError extends Error {
  constructor(readonly record: number) {
    super(`Record ${record} più lungo del massimo consentito`);
  }
}

/** Where a record lies in a buffer: [start, end), without its line break. */
export type RecordSink = (buffer: Buffer, start: number, end: number) => void;

/**
 * Feeds chunks in, calls `sink` for every complete record. A record cut by a
 * chunk boundary waits in `pending` for the next chunk. `maxRecord`: a record
 * longer than this (a quote never closed) stops the reading.
 */
export class CsvRecordSplitter {
  private pending: Buffer = Buffer.alloc(0);
  /** Records delivered so far. */
  records = 0;

  constructor(
    private readonly separator: number,
    private readonly maxRecord = 1024 * 1024,
  ) {}

  push(chunk: Buffer, sink: RecordSink): void {
    let rest = chunk;
    if (this.pending.length) {
      // Finish the record cut by the previous chunk on a small prefix of this one, so
      // that the whole chunk is not copied behind a few hundred bytes of it.
      for (let prefix = 64 * 1024; ; prefix *= 2) {
        const whole = prefix >= chunk.length;
        const head = Buffer.concat([this.pending, whole ? chunk : chunk.subarray(0, prefix)]);
        const consumed = this.scan(head, sink, false);
        if (whole) {
          this.keep(head.subarray(consumed));
          return;
        }
        // `pending` holds no complete record, so anything delivered ended inside this chunk's prefix.
        if (consumed > 0) {
          rest = chunk.subarray(consumed - this.pending.length);
          this.pending = Buffer.alloc(0);
          break;
        }
      }
    }
    const consumed = this.scan(rest, sink, false);
    this.keep(rest.subarray(consumed));
  }

  /** The start of a record the next chunk completes: copied, so the chunk it came from can go. */
  private keep(tail: Buffer) {
    if (tail.length > this.maxRecord) throw new RecordTooLongError(this.records + 1);
    this.pending = Buffer.from(tail);
  }

  /** The last record, when the file does not end with a line break. */
  end(sink: RecordSink): void {
    if (this.pending.length) this.scan(this.pending, sink, true);
    this.pending = Buffer.alloc(0);
  }

  /** Delivers the complete records of `buffer`; returns how many bytes they took. */
  private scan(buffer: Buffer, sink: RecordSink, last: boolean): number {
    let recordStart = 0;
    let pos: number;
    let inQuoted = false;
    let nextQuote = buffer.indexOf(QUOTE, 0);
    let nextLf = buffer.indexOf(LF, 0);
    for (;;) {
      if (!inQuoted) {
        // Outside quotes a record ends at the next line break, unless a quote opens a field before it.
        if (nextQuote !== -1 && (nextLf === -1 || nextQuote < nextLf) && this.opensField(buffer, nextQuote, recordStart)) {
          inQuoted = true;
          pos = nextQuote + 1;
          nextQuote = buffer.indexOf(QUOTE, pos);
          continue;
        }
        if (nextQuote !== -1 && (nextLf === -1 || nextQuote < nextLf)) {
          // A plain quote inside an unquoted field (relax_quotes): skip it.
          pos = nextQuote + 1;
          nextQuote = buffer.indexOf(QUOTE, pos);
          continue;
        }
        if (nextLf === -1) break;
        this.deliver(buffer, recordStart, nextLf, sink);
        recordStart = pos = nextLf + 1;
        nextLf = buffer.indexOf(LF, pos);
        continue;
      }
      // Inside a quoted field: the next quote closes it, unless it is doubled.
      if (nextQuote === -1) break;
      if (buffer[nextQuote + 1] === QUOTE) {
        pos = nextQuote + 2;
      } else if (nextQuote + 1 === buffer.length && !last) {
        break; // is it "" or the end of the field? The next chunk tells.
      } else {
        inQuoted = false;
        pos = nextQuote + 1;
      }
      nextQuote = buffer.indexOf(QUOTE, pos);
      if (nextLf !== -1 && nextLf < pos) nextLf = buffer.indexOf(LF, pos);
    }
    if (last && recordStart < buffer.length) {
      this.deliver(buffer, recordStart, buffer.length, sink);
      return buffer.length;
    }
    return recordStart;
  }

  /** A quote opens a quoted field when it is the field's first character: at the record's start or right after a separator. */
  private opensField(buffer: Buffer, at: number, recordStart: number): boolean {
    return at === recordStart || buffer[at - 1] === this.separator;
  }

  private deliver(buffer: Buffer, start: number, end: number, sink: RecordSink) {
    const stop = end > start && buffer[end - 1] === CR ? end - 1 : end;
    if (stop - start > this.maxRecord) throw new RecordTooLongError(this.records + 1);
    if (stop === start) return; // an empty line
    this.records++;
    sink(buffer, start, stop);
  }
}

/**
 * The text of field `index` of the record in buffer[start, end): quotes around
 * it removed and `""` read as `"`. Enough to look the code column up; the
 * record is parsed whole only when it is wanted.
 */
export function fieldAt(buffer: Buffer, start: number, end: number, index: number, separator: number): string {
  let fieldStart = start;
  for (let i = 0; i < index; i++) {
    const next = fieldEnd(buffer, fieldStart, end, separator);
    if (next >= end) return '';
    fieldStart = next + 1;
  }
  const stop = fieldEnd(buffer, fieldStart, end, separator);
  if (buffer[fieldStart] === QUOTE) {
    const inner = buffer.toString('utf8', fieldStart + 1, stop);
    return inner.replace(/"$/, '').replace(/""/g, '"');
  }
  return buffer.toString('utf8', fieldStart, stop);
}

/** Where the field that starts at `from` ends: its separator, or `end`. */
function fieldEnd(buffer: Buffer, from: number, end: number, separator: number): number {
  if (buffer[from] !== QUOTE) {
    const at = buffer.indexOf(separator, from);
    return at === -1 || at > end ? end : at;
  }
  let pos = from + 1;
  for (;;) {
    const quote = buffer.indexOf(QUOTE, pos);
    if (quote === -1 || quote >= end) return end;
    if (buffer[quote + 1] === QUOTE) {
      pos = quote + 2;
      continue;
    }
    const at = buffer.indexOf(separator, quote + 1);
    return at === -1 || at > end ? end : at;
  }
}
