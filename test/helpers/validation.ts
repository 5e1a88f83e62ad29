import { expect, it } from 'vitest';

/** What the domain validators (CIG, CUP, partita IVA, codice fiscale, IBAN) return. */
type Validation = { ok: true } | { ok: false; reason: string };

/** The reason of a refusal; fails the test when the input was accepted. */
export function reasonOf(v: Validation): string {
  if (v.ok) throw new Error(`expected invalid, got valid ${JSON.stringify(v)}`);
  return v.reason;
}

/**
 * One test per row: `validate` refuses the row's input, and the reason
 * contains every fragment that follows it (the first one names the test).
 */
export function itRejects(validate: (input: string) => Validation, rows: [input: string, fragment: string, ...more: string[]][]) {
  it.each(rows)('rejects %j: %s', (input, ...fragments) => {
    const reason = reasonOf(validate(input));
    for (const fragment of fragments) expect(reason).toContain(fragment);
  });
}

/** A type guard of the domain's closed lists: true for every value of `accepts`, false for every value of `rejects`. */
export function expectGuard(guard: (value: unknown) => boolean, { accepts = [], rejects = [] }: { accepts?: unknown[]; rejects?: unknown[] }) {
  for (const value of accepts) expect(guard(value), `${JSON.stringify(value)} va accettato`).toBe(true);
  for (const value of rejects) expect(guard(value), `${JSON.stringify(value)} va rifiutato`).toBe(false);
}
