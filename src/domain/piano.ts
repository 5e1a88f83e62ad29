/**
 * Piano delle destinazioni: codes of voci/sottovoci, written 'A03' or 'A03/13'
 * (aggregato letter, voce number on 2 digits, then the sottovoce as written).
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

export const AGGREGATI = [
  { value: 'A', label: 'Attività' },
  { value: 'P', label: 'Progetti' },
  { value: 'G', label: 'Gestioni economiche' },
  { value: 'R', label: 'Fondo di riserva' },
] as const;

export type Aggregato = (typeof AGGREGATI)[number]['value'];

export interface VoceCodice {
  /** A, P, G or R (checked: rows from the database arrive as plain strings) */
  aggregato: string;
  /** 1–99 */
  voce: number;
  /** 1–999 as the database allows, absent for a voce without sottovoce */
  sottovoce?: number | null;
}

export function isAggregato(value: unknown): value is Aggregato {
  return typeof value === 'string' && AGGREGATI.some((a) => a.value === value);
}

function inRange(n: number, max = 99): boolean {
  return Number.isInteger(n) && n >= 1 && n <= max;
}

/** { aggregato: 'A', voce: 3, sottovoce: 13 } → 'A03/13'; without sottovoce → 'A03'. Throws on out-of-range numbers. */
export function formatVoceCodice({ aggregato, voce, sottovoce }: VoceCodice): string {
  if (!isAggregato(aggregato)) throw new RangeError(`Unknown aggregato: ${String(aggregato)}`);
  if (!inRange(voce)) throw new RangeError(`voce must be an integer 1-99, got ${String(voce)}`);
  const base = `${aggregato}${String(voce).padStart(2, '0')}`;
  if (sottovoce === undefined || sottovoce === null) return base;
  if (!inRange(sottovoce, 999)) throw new RangeError(`sottovoce must be an integer 1-999, got ${String(sottovoce)}`);
  return `${base}/${sottovoce}`;
}

/**
 * 'A03/13' → { aggregato: 'A', voce: 3, sottovoce: 13 }; 'A03' → { aggregato: 'A', voce: 3 }.
 * Tolerant of case, spaces and an unpadded voce ('a3 / 13'). Null when not a code.
 */
export function parseVoceCodice(input: string): { aggregato: Aggregato; voce: number; sottovoce?: number } | null {
  const m = /^([APGR])(\d{1,2})(?:\/(\d{1,2}))?$/.exec(input.trim().toUpperCase().replace(/\s+/g, ''));
  if (!m) return null;
  const aggregato = m[1] as Aggregato;
  const voce = Number(m[2]);
  if (!inRange(voce)) return null;
  if (m[3] === undefined) return { aggregato, voce };
  const sottovoce = Number(m[3]);
  if (!inRange(sottovoce)) return null;
  return { aggregato, voce, sottovoce };
}
