import { describe, expect, it } from 'vitest';
import { mesiOptions, periodoLabel } from '../../src/presenters/flussiPresenter.js';

describe('Flussi months in Italian', () => {
  it('says "ad" before a month that begins with a vowel, "a" before the others', () => {
    const labels = mesiOptions().map((o) => o.label);
    expect(labels).toHaveLength(12);
    expect(labels).toContain('fino ad aprile');
    expect(labels).toContain('fino ad agosto');
    expect(labels).toContain('fino ad ottobre');
    expect(labels).toContain('fino a gennaio');
    expect(labels).toContain('fino a dicembre');
    expect(labels.filter((l) => /^fino a [aeiou]/.test(l))).toEqual([]);
    expect(mesiOptions()[3]).toEqual({ value: '4', label: 'fino ad aprile' });
  });

  it('names the period the same way', () => {
    expect(periodoLabel(2026, 4)).toBe('esercizio 2026, da gennaio ad aprile');
    expect(periodoLabel(2026, 10)).toBe('esercizio 2026, da gennaio ad ottobre');
    expect(periodoLabel(2026, 6)).toBe('esercizio 2026, da gennaio a giugno');
    expect(periodoLabel(2026, null)).toBe('esercizio 2026 (intero)');
  });
});
