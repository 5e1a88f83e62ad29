/**
 * «Tieni le mie modifiche» on the "modificato da un altro utente" page (409): every field
 * where the user's version and the one saved meanwhile differ becomes a choice (mine by
 * default); the rest goes back as it is. The form posts to the record's own save with the
 * version now stored, so a record that moved once more is refused again.
 */

type Values = Record<string, string>;

/** One field shown on the page: its label, and each version as the user reads it. */
export type ConflictField = { name: string; label: string; stored: string; submitted: string };

/** What is never a choice: the form's own machinery. */
const MACHINERY = new Set(['_csrf', 'version', 'ritorno']);

const same = (a: string | undefined, b: string | undefined) => (a ?? '').trim() === (b ?? '').trim();

/**
 * The merge form: `storedValues` the saved record as form values, `submitted` what the user
 * sent, `fields` the labelled fields (a field not listed is kept as the user sent it when the
 * saved record has no such value, e.g. a mandato's invoice amounts; listed as itself otherwise).
 */
export function conflictMerge(input: { action: string; version: number; storedValues: Values; submitted: Values; fields: ConflictField[] }) {
  const byName = new Map(input.fields.map((f) => [f.name, f]));
  const names = [...new Set([...input.fields.map((f) => f.name), ...Object.keys(input.storedValues), ...Object.keys(input.submitted)])].filter((n) => !MACHINERY.has(n));
  const campi: { name: string; label: string; mia: { value: string; testo: string }; altra: { value: string; testo: string } }[] = [];
  const nascosti: { name: string; value: string }[] = [];
  for (const name of names) {
    const mine = input.submitted[name] ?? '';
    const theirs = input.storedValues[name];
    const f = byName.get(name);
    // Equal, also when written differently (a date typed dd/mm/yyyy, the saved one ISO): nothing to choose.
    if (theirs === undefined || same(mine, theirs) || (f && f.stored === f.submitted)) {
      nascosti.push({ name, value: mine });
      continue;
    }
    campi.push({
      name,
      label: f?.label ?? name,
      mia: { value: mine, testo: (f ? f.submitted : mine) || '—' },
      altra: { value: theirs, testo: (f ? f.stored : theirs) || '—' },
    });
  }
  return { action: input.action, version: String(input.version), campi, nascosti };
}

/** The label of a picker's value (an id) among its options, or a plain "n. 12" when it is no longer offered. */
export function optionText(options: readonly { value: string; label: string }[], value: string | undefined): string {
  if (!value) return '';
  return options.find((o) => o.value === value)?.label ?? `n. ${value}`;
}
