import { describe, expect, it } from 'vitest';
import { csvCell, csvDocument } from '../../src/domain/csv.js';

describe('the one CSV writer', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+39 06 1234', `"'+39 06 1234"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('neutralises the formula %j', (text, expected) => {
    expect(csvCell(text)).toBe(expected);
  });

  it('keeps plain numbers, negative ones included, as numbers', () => {
    expect(csvCell('-12,34')).toBe('-12,34');
    expect(csvCell('1234,56')).toBe('1234,56');
  });

  it('quotes separators, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('Arredi; aule')).toBe('"Arredi; aule"');
    expect(csvCell('Fornitura "LIM"')).toBe('"Fornitura ""LIM"""');
    expect(csvCell('riga\nnuova')).toBe('"riga\nnuova"');
    expect(csvCell('B123456659')).toBe('B123456659');
  });

  it('writes a document for Excel: BOM, semicolons, CRLF', () => {
    expect(csvDocument([['a', 'b'], ['1', '=x']])).toBe('\uFEFFa;b\r\n1;"\'=x"\r\n');
  });
});
