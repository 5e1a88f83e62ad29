/**
 * Drafts of a document form (impegno, mandato) kept in the user's session while the
 * + without JavaScript opens a register's full form: the typed values come back with
 * the new code chosen. Pure: the store is a plain object the caller keeps in the session.
 */

export type Bozza = {
  scuolaId: number;
  /** The document's views folder: 'impegni' | 'mandati'. */
  documento: string;
  /** The record being edited, null for a new document. */
  id: number | null;
  values: Record<string, string>;
  /** Milliseconds since the epoch, for keeping only the newest. */
  creata: number;
};

export type Bozze = Record<string, Bozza>;

/** How many drafts a session keeps (the oldest go first). */
export const MAX_BOZZE = 5;
const MAX_FIELDS = 300;
const MAX_LENGTH = 5000;

/** A token as issued by the app: 16 url-safe characters. */
export const isBozzaToken = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{16}$/.test(v);

/** The form's text fields worth keeping: strings only, never the CSRF token or the + button's own value. */
export function draftValues(body: unknown, leaveOut: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const skip = new Set(['_csrf', ...leaveOut]);
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>).slice(0, MAX_FIELDS)) {
    if (!skip.has(k) && typeof v === 'string') out[k] = v.slice(0, MAX_LENGTH);
  }
  return out;
}

/** The store with `bozza` added under `token`, the oldest dropped beyond MAX_BOZZE. */
export function withBozza(store: Bozze | undefined, token: string, bozza: Bozza): Bozze {
  const entries = Object.entries({ ...(store ?? {}), [token]: bozza }).sort(([, a], [, b]) => b.creata - a.creata);
  return Object.fromEntries(entries.slice(0, MAX_BOZZE));
}

/** The draft of `token` if it belongs to this school, document and record; otherwise none. */
export function findBozza(store: Bozze | undefined, token: unknown, scope: { scuolaId: number; documento: string; id: number | null }): Bozza | null {
  if (!isBozzaToken(token) || !store || !Object.hasOwn(store, token)) return null;
  const b = store[token]!;
  return b.scuolaId === scope.scuolaId && b.documento === scope.documento && b.id === scope.id ? b : null;
}
