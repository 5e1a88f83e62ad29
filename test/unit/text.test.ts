import { describe, expect, it } from 'vitest';
import { isPlainText, shortenedAtWord, toPlainText } from '../../src/domain/text.js';

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

describe('shortenedAtWord', () => {
  it('keeps a short text whole (white space made single)', () => {
    expect(shortenedAtWord('  Fornitura di\n monitor  ', 40)).toBe('Fornitura di monitor');
    expect(shortenedAtWord('x'.repeat(40), 40)).toBe('x'.repeat(40));
  });
  it('cuts a long text at a word near the end, without trailing punctuation, with an ellipsis', () => {
    const s = shortenedAtWord('Fornitura di monitor interattivi, installazione e formazione del personale docente', 40);
    expect(s).toBe('Fornitura di monitor interattivi…');
    expect(s.length).toBeLessThanOrEqual(40);
  });
  it('cuts mid-word when the last space is too early', () => {
    expect(shortenedAtWord('Ab Supercalifragilistichespiralidoso', 20)).toBe('Ab Supercalifragili…');
  });
});
