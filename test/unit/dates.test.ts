import { describe, it, expect } from 'vitest';
import { formatDateIt, formatDateTimeIt, isIsoDate, parseDateInput, todayIso, yearOf } from '../../src/domain/dates.js';

describe('parseDateInput', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024-3-5', '2024-03-05'],
    ['05/03/2024', '2024-03-05'],
    ['5/3/2024', '2024-03-05'],
    ['05-03-2024', '2024-03-05'],
    ['05.03.2024', '2024-03-05'],
    ['  31/12/2023 ', '2023-12-31'],
    ['29/02/2024', '2024-02-29'], // leap year
    ['29/02/2000', '2000-02-29'], // divisible by 400
    ['01/01/1900', '1900-01-01'],
    ['31/12/2100', '2100-12-31'],
  ])('%j → %j', (input, iso) => {
    expect(parseDateInput(input)).toBe(iso);
  });

  it.each([
    '',
    '   ',
    'ieri',
    '31/02/2024',
    '29/02/2023',
    '29/02/1900', // not a leap year
    '31/04/2024',
    '00/01/2024',
    '01/13/2024',
    '01/00/2024',
    '2024-02-30',
    '2024-13-01',
    '31/12/1899',
    '01/01/2101',
    '05/03/24', // two-digit year: ambiguous
    '05/03-2024', // mixed separators
    '2024/03/05',
    '05 03 2024',
    '2024-03-05T10:00',
    '5/3/20244',
  ])('rejects %j', (input) => {
    expect(parseDateInput(input)).toBeNull();
  });
});

describe('isIsoDate', () => {
  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-3-5')).toBe(false);
    expect(isIsoDate('05/03/2024')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isIsoDate(20240305)).toBe(false);
  });
});

describe('formatDateIt', () => {
  it('turns ISO into dd/mm/yyyy', () => {
    expect(formatDateIt('2024-03-05')).toBe('05/03/2024');
    expect(formatDateIt('1999-12-31')).toBe('31/12/1999');
  });

  it('gives an empty string for missing values', () => {
    expect(formatDateIt(null)).toBe('');
    expect(formatDateIt(undefined)).toBe('');
    expect(formatDateIt('')).toBe('');
  });

  it('returns anything that is not an ISO date unchanged', () => {
    expect(formatDateIt('05/03/2024')).toBe('05/03/2024');
    expect(formatDateIt('boh')).toBe('boh');
  });
});

describe('formatDateTimeIt (Europe/Rome)', () => {
  it('converts UTC to Rome time, winter (UTC+1)', () => {
    expect(formatDateTimeIt(new Date('2024-01-15T09:05:00Z'))).toBe('15/01/2024 10:05');
  });

  it('converts UTC to Rome time, summer (UTC+2)', () => {
    expect(formatDateTimeIt(new Date('2024-07-15T09:05:00Z'))).toBe('15/07/2024 11:05');
  });

  it('crosses midnight and the DST change correctly', () => {
    expect(formatDateTimeIt(new Date('2024-12-31T23:30:00Z'))).toBe('01/01/2025 00:30');
    expect(formatDateTimeIt(new Date('2024-03-31T00:59:00Z'))).toBe('31/03/2024 01:59');
    expect(formatDateTimeIt(new Date('2024-03-31T01:00:00Z'))).toBe('31/03/2024 03:00');
  });

  it('uses 24-hour clock with two digits', () => {
    expect(formatDateTimeIt(new Date('2024-01-15T23:00:00Z'))).toBe('16/01/2024 00:00');
    expect(formatDateTimeIt(new Date('2024-01-15T12:00:00Z'))).toBe('15/01/2024 13:00');
  });

  it('accepts an ISO timestamp string and gives "" for an invalid one', () => {
    expect(formatDateTimeIt('2024-07-15T09:05:00Z')).toBe('15/07/2024 11:05');
    expect(formatDateTimeIt('non una data')).toBe('');
    expect(formatDateTimeIt(new Date(Number.NaN))).toBe('');
  });
});

describe('todayIso and yearOf', () => {
  it('gives the date in Rome', () => {
    expect(todayIso(new Date('2024-06-15T12:00:00Z'))).toBe('2024-06-15');
    expect(todayIso(new Date('2024-12-31T23:30:00Z'))).toBe('2025-01-01');
    expect(todayIso(new Date('2024-06-30T21:59:00Z'))).toBe('2024-06-30');
    expect(todayIso(new Date('2024-06-30T22:00:00Z'))).toBe('2024-07-01');
  });

  it('defaults to now', () => {
    expect(isIsoDate(todayIso())).toBe(true);
  });

  it('keeps one second, not more, of what it computed: the next second may be another day', () => {
    // Parts are reused within the same second (every request asks several times); midnight in Rome
    // falls between two calls a millisecond apart, and the second must not get the first one's day.
    expect(todayIso(new Date('2026-12-31T22:59:59.000Z'))).toBe('2026-12-31');
    expect(todayIso(new Date('2026-12-31T22:59:59.999Z'))).toBe('2026-12-31');
    expect(todayIso(new Date('2026-12-31T23:00:00.000Z'))).toBe('2027-01-01');
    expect(formatDateTimeIt(new Date('2026-12-31T23:00:00.500Z'))).toBe('01/01/2027 00:00');
    expect(todayIso(new Date('2026-12-31T22:59:59.999Z'))).toBe('2026-12-31');
  });

  it('extracts the year', () => {
    expect(yearOf('2024-03-05')).toBe(2024);
    expect(yearOf('1999-12-31')).toBe(1999);
    expect(() => yearOf('05/03/2024')).toThrow(RangeError);
  });
});
