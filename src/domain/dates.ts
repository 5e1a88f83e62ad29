/**
 * Dates. Across layers the app uses plain 'YYYY-MM-DD' strings (calendar dates,
 * no time zone), never JS Date objects, so that nothing shifts by a day.
 * "Today" and date-times are computed in the Europe/Rome time zone.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */
// The one function, not the package's index: that loads all of date-fns (about 0.1 s of every start).
import { isExists } from 'date-fns/isExists';

export const TIME_ZONE = 'Europe/Rome';
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
/** d/m/yyyy with the same separator twice: '/', '-' or '.'. */
const IT_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;
const STRICT_ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function toIso(year: number, month: number, day: number): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  // date-fns months are 0-based; isExists rejects 31/02, 29/02 of non-leap years, month 13…
  if (!isExists(year, month - 1, day)) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Parse what a user types in a date field. Accepts 'YYYY-MM-DD' (what
 * `<input type="date">` sends) and Italian 'dd/mm/yyyy', also 'd/m/yyyy',
 * 'dd-mm-yyyy', 'dd.mm.yyyy'. Two-digit years are rejected (ambiguous).
 * Returns 'YYYY-MM-DD', or null for empty, garbage, impossible dates and
 * years outside 1900–2100.
 */
export function parseDateInput(input: string): string | null {
  const s = input.trim();
  if (s === '') return null;
  const iso = ISO_DATE.exec(s);
  if (iso) return toIso(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const it = IT_DATE.exec(s);
  if (it) return toIso(Number(it[4]), Number(it[3]), Number(it[1]));
  return null;
}

/** True for a real calendar date written exactly as 'YYYY-MM-DD' (years 1900–2100). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = STRICT_ISO_DATE.exec(value);
  return m !== null && toIso(Number(m[1]), Number(m[2]), Number(m[3])) === value;
}

/**
 * 'YYYY-MM-DD' → 'dd/mm/yyyy'. Null, undefined and '' give ''. A string that is
 * not an ISO date is returned unchanged, so that nothing is silently hidden.
 */
export function formatDateIt(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const m = STRICT_ISO_DATE.exec(iso);
  if (!m) return iso;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

const ROME_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface RomeParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

/**
 * The last second asked and its parts: a request asks "today" several times (its locals, its
 * route, its presenter) within the same second, and formatToParts costs more than the rest of
 * those calls together (bench/BENCHMARKS.md, issue 18).
 */
let lastSecond = Number.NaN;
let lastParts: RomeParts | undefined;

function romeParts(d: Date): RomeParts {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastSecond && lastParts) return lastParts;
  const out: RomeParts = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of ROME_PARTS.formatToParts(d)) {
    if (part.type in out) out[part.type as keyof RomeParts] = part.value;
  }
  lastSecond = second;
  lastParts = out;
  return out;
}

/**
 * A moment (Date, or an ISO timestamp string such as '2024-03-05T10:15:00Z')
 * → 'dd/mm/yyyy HH:mm' as seen on a clock in Rome. Invalid input gives ''.
 */
export function formatDateTimeIt(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return '';
  const p = romeParts(date);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** A moment as a clock in Rome shows it, 'YYYY-MM-DDTHH:MM:SS' (no zone: the OPI flow's creation time). */
export function dateTimeIsoRome(d: Date): string {
  const p = romeParts(d);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** Today's date in Rome as 'YYYY-MM-DD'. */
export function todayIso(now: Date = new Date()): string {
  const p = romeParts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The year of a 'YYYY-MM-DD' date (e.g. the esercizio of a document). Throws on a malformed value. */
export function yearOf(iso: string): number {
  const m = STRICT_ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`yearOf: not a YYYY-MM-DD date: ${JSON.stringify(iso)}`);
  return Number(m[1]);
}
