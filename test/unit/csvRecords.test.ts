import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CsvRecordSplitter, fieldAt, RecordTooLongError } from '../../src/domain/csvRecords.js';

/**
 * The record splitter must cut a file exactly where csv-parse (relax_quotes)
 * would, wherever the chunks of the stream happen to break, and fieldAt must
 * read a field as csv-parse reads it.
 */
const SEMI = ';'.charCodeAt(0);

const SAMPLE = [
  'B123456659;Fornitura di "monitor" 75" per le aule;1234,50',
  '"9050626CD6";"Servizio; con punto e virgola";100',
  'A012345678;"Oggetto su',
  'due righe, con ""virgolette"" dentro";2.000,00',
  '',
  'ZF73A9F1C2;Manutenzione',
  'C44D22002780006;"";',
  '"X""Y";plain "quoted" words;"last"',
].join('\n');

function split(text: string, chunkSize: number, separator = SEMI): string[] {
  const out: string[] = [];
  const splitter = new CsvRecordSplitter(separator, 4096);
  const sink = (b: Buffer, s: number, e: number) => out.push(b.toString('utf8', s, e));
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) splitter.push(bytes.subarray(i, i + chunkSize), sink);
  splitter.end(sink);
  return out;
}

const csvParse = (text: string) => parse(text, { delimiter: ';', relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];

describe('CsvRecordSplitter', () => {
  it('cuts records where csv-parse does: quoted separators and line breaks, doubled quotes, plain quotes, empty lines', () => {
    const records = split(SAMPLE, 1 << 20);
    expect(records).toHaveLength(6);
    expect(records.flatMap((r) => csvParse(r))).toEqual(csvParse(SAMPLE));
  });

  it('gives the same records whatever the chunk boundaries', () => {
    const whole = split(SAMPLE, 1 << 20);
    for (let size = 1; size <= 40; size++) expect(split(SAMPLE, size), `chunks of ${size}`).toEqual(whole);
  });

  it('gives the same records with chunks larger than the prefix it completes a cut record on', () => {
    const row = (i: number) => (i % 7 === 0 ? `C${i};"riga ${i}\ncon ""a capo""";${i}` : `C${i};oggetto ${i} 75";${'x'.repeat(i % 90)}`);
    const big = Array.from({ length: 4000 }, (_, i) => row(i)).join('\n');
    const whole = split(big, 1 << 24);
    expect(whole).toHaveLength(4000);
    for (const size of [65_536, 70_001, 100_000, 131_073]) expect(split(big, size), `chunks of ${size}`).toEqual(whole);
  });

  it('drops the carriage return of CRLF files', () => {
    expect(split('cig;oggetto\r\nB123456659;"a\r\nb"\r\n9050626CD6;c\r\n', 5)).toEqual(['cig;oggetto', 'B123456659;"a\r\nb"', '9050626CD6;c']);
  });

  it('counts the records and delivers the last one without a final line break', () => {
    const splitter = new CsvRecordSplitter(SEMI);
    const seen: string[] = [];
    const sink = (b: Buffer, s: number, e: number) => seen.push(b.toString('utf8', s, e));
    splitter.push(Buffer.from('a;b\nc;d'), sink);
    expect(seen).toEqual(['a;b']);
    splitter.end(sink);
    expect(seen).toEqual(['a;b', 'c;d']);
    expect(splitter.records).toBe(2);
  });

  it('stops on a quote never closed instead of holding the file in memory', () => {
    const splitter = new CsvRecordSplitter(SEMI, 1000);
    const sink = () => {};
    expect(() => {
      splitter.push(Buffer.from('ok;1\n"never closed;'), sink);
      for (let i = 0; i < 10; i++) splitter.push(Buffer.from('x'.repeat(200) + '\n'), sink);
    }).toThrow(RecordTooLongError);
    expect(splitter.records).toBe(1);
  });

  it('works with a comma as separator', () => {
    expect(split('cig,oggetto\n"B123456659","a, b"\n9050626CD6,c\n', 7, ','.charCodeAt(0))).toEqual(['cig,oggetto', '"B123456659","a, b"', '9050626CD6,c']);
  });
});

describe('fieldAt', () => {
  const at = (record: string, index: number) => fieldAt(Buffer.from(record), 0, Buffer.byteLength(record), index, SEMI);

  it('reads a field as csv-parse does', () => {
    for (const record of split(SAMPLE, 1 << 20)) {
      const [parsed] = csvParse(record);
      parsed!.forEach((value, i) => {
        if (!record.split(';')[i]?.startsWith('"') || value.length) expect(at(record, i), `${record} [${i}]`).toBe(value);
      });
    }
  });

  it('answers an empty text past the last field, and unquotes a quoted code', () => {
    expect(at('a;b', 5)).toBe('');
    expect(at('"9050626CD6";x', 0)).toBe('9050626CD6');
    expect(at('x;"a;b";c', 2)).toBe('c');
    expect(at('x;"say ""hi""";c', 1)).toBe('say "hi"');
  });
});
