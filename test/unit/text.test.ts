import { describe, expect, it } from 'vitest';
import { isPlainText, toPlainText } from '../../src/domain/text.js';

describe('isPlainText', () => {
  it('accepts ordinary Italian text, accents, emoji, tabs and new lines', () => {
    for (const t of ['Attività didattiche – “lotto 1”', 'Perché: 1.234,56 €', 'riga 1\nriga 2\r\n\tfine', '😀 ok', '']) expect(isPlainText(t), t).toBe(true);
  });
  it('refuses control characters and lone surrogates', () => {
    for (const t of ['a\u0000b', '\u0007', '\u001B[31m', 'x\u007F', 'x\u000By', '\uD800', 'a\uDFFF']) expect(isPlainText(t), JSON.stringify(t)).toBe(false);
  });
});

describe('toPlainText', () => {
  it('drops what isPlainText refuses and keeps the rest', () => {
    expect(toPlainText('a\u0000b\u0007c\uD800 d\n😀')).toBe('abc d\n😀');
  });
});
