import { describe, it, expect } from 'vitest';
import { centsToInputValue, formatCentsPlain, formatEuro, parseEuro } from '../../src/domain/money.js';

const NBSP = '\u00A0';

describe('parseEuro', () => {
  it.each([
    ['1.234,56', 123456],
    ['1234,56', 123456],
    ['1234.56', 123456],
    ['1234', 123400],
    ['1.234', 123400],
    ['1.234.567,8', 123456780],
    ['1.234.567', 123456700],
    ['0,01', 1],
    ['0,1', 10],
    ['0', 0],
    [',50', 50],
    ['12,3', 1230],
    ['1.5', 150],
    ['1.05', 105],
    ['1234,00', 123400],
    ['0012', 1200],
  ])('%j → %i cents', (input, cents) => {
    expect(parseEuro(input)).toBe(cents);
  });

  it('accepts € and spaces, before or after, including non-breaking spaces', () => {
    expect(parseEuro('€ 1.234,56')).toBe(123456);
    expect(parseEuro('1.234,56 €')).toBe(123456);
    expect(parseEuro(`1.234,56${NBSP}€`)).toBe(123456);
    expect(parseEuro('  1234,56  ')).toBe(123456);
    expect(parseEuro('€1234')).toBe(123400);
    expect(parseEuro('1 234,56')).toBe(123456);
  });

  it('returns negatives for a leading minus (callers decide)', () => {
    expect(parseEuro('-1.234,56')).toBe(-123456);
    expect(parseEuro('- 12,5 €')).toBe(-1250);
    expect(parseEuro('€ -12,50')).toBe(-1250);
    expect(parseEuro('-0,00')).toBe(0);
    expect(Object.is(parseEuro('-0'), 0)).toBe(true);
  });

  it.each([
    '',
    '   ',
    '€',
    '-',
    'abc',
    '12a',
    '1,2,3',
    '12,345', // comma is always decimal: 3 decimals are too many
    '1234,567',
    '1.2345', // neither thousands nor 2-decimal point
    '12.34.56',
    '1234.567', // first group longer than 3 digits
    '1.234.56',
    '1.23,45',
    '1234,', // trailing comma
    '1234.',
    '.',
    ',',
    '1.234,567',
    '12-',
    '--5',
    '+5',
    '1e5',
    'NaN',
    'Infinity',
  ])('rejects %j', (input) => {
    expect(parseEuro(input)).toBeNull();
  });

  it('does not use floating point (0,29 and 1.234.567,89 are exact)', () => {
    // parseFloat('0.29') * 100 = 28.999999999999996
    expect(parseEuro('0,29')).toBe(29);
    expect(parseEuro('1.234.567,89')).toBe(123456789);
    expect(parseEuro('4,35')).toBe(435); // 4.35 * 100 = 434.99999999999994
  });

  it('accepts up to MAX_SAFE_INTEGER cents and rejects more', () => {
    expect(parseEuro('90.071.992.547.409,91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseEuro('90071992547409,92')).toBeNull();
    expect(parseEuro('99999999999999999999')).toBeNull();
  });
});

describe('formatEuro', () => {
  it('groups thousands always, with U+00A0 before €', () => {
    expect(formatEuro(123456)).toBe(`1.234,56${NBSP}€`);
    expect(formatEuro(0)).toBe(`0,00${NBSP}€`);
    expect(formatEuro(1)).toBe(`0,01${NBSP}€`);
    expect(formatEuro(100)).toBe(`1,00${NBSP}€`);
    expect(formatEuro(99999)).toBe(`999,99${NBSP}€`);
    expect(formatEuro(100000)).toBe(`1.000,00${NBSP}€`);
  });

  it('formats negatives', () => {
    expect(formatEuro(-123456)).toBe(`-1.234,56${NBSP}€`);
    expect(formatEuro(-50)).toBe(`-0,50${NBSP}€`);
    expect(formatEuro(-0)).toBe(`0,00${NBSP}€`);
  });

  it('formats large amounts without losing cents', () => {
    expect(formatEuro(12345678901)).toBe(`123.456.789,01${NBSP}€`);
    // as a float, 90071992547409.91 would print ...409,90
    expect(formatEuro(Number.MAX_SAFE_INTEGER)).toBe(`90.071.992.547.409,91${NBSP}€`);
  });

  it('rejects non-integer or unsafe values (programming errors)', () => {
    expect(() => formatEuro(12.5)).toThrow(RangeError);
    expect(() => formatEuro(Number.NaN)).toThrow(RangeError);
    expect(() => formatEuro(2 ** 53)).toThrow(RangeError);
  });

  it('round-trips with parseEuro', () => {
    for (const cents of [0, 1, 99, 123456, -987654321, Number.MAX_SAFE_INTEGER]) {
      expect(parseEuro(formatEuro(cents))).toBe(cents);
    }
  });
});

describe('formatCentsPlain (CSV)', () => {
  it.each([
    [123456, '1234,56'],
    [0, '0,00'],
    [5, '0,05'],
    [-5, '-0,05'],
    [-123456, '-1234,56'],
    [123456789012, '1234567890,12'],
  ])('%i → %j', (cents, text) => {
    expect(formatCentsPlain(cents)).toBe(text);
  });

  it('throws on non-integers', () => {
    expect(() => formatCentsPlain(1.5)).toThrow(RangeError);
  });
});

describe('centsToInputValue', () => {
  it.each([
    [123456, '1.234,56'],
    [0, '0,00'],
    [99999, '999,99'],
    [100000, '1.000,00'],
    [-123456789, '-1.234.567,89'],
    [Number.MAX_SAFE_INTEGER, '90.071.992.547.409,91'],
  ])('%i → %j', (cents, text) => {
    expect(centsToInputValue(cents)).toBe(text);
  });

  it('is read back by parseEuro', () => {
    for (const cents of [0, 7, 123456, -100000, 123456789012]) {
      expect(parseEuro(centsToInputValue(cents))).toBe(cents);
    }
  });
});
