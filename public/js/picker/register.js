// @ts-check
/**
 * The + modal's conversation with the register, without the page: the request that saves a
 * new code (the register's own POST /cig, /cup, /creditori, answered in JSON) and what its
 * answer means. The modal (modal.js) does what this says.
 */

/**
 * The answer, read:
 * - `registered` (201): the new code, to add to the picker and choose;
 * - `invalid` (422 with `errors`): the message of each field, and the code already
 *   registered when the refusal is a duplicate (`esistente`);
 * - `failed`: anything else, one message for the whole form.
 * @typedef {{ kind: 'registered', id: string, label: string, codice: string }
 *   | { kind: 'invalid', errors: Record<string, string>, esistente: { id: string } | null }
 *   | { kind: 'failed', message: string }} Outcome
 */

/** What the modal says when the request never got an answer. */
export const CONNECTION_FAILED = 'Connessione non riuscita: nulla è stato salvato, riprova.';

/** The registers' names, as said in the announcements. */
const NAMES = /** @type {Record<string, string>} */ ({ cig: 'CIG', cup: 'CUP', creditore: 'Creditore' });

/**
 * The form's fields as a urlencoded body (the same body the form would post without JavaScript).
 * @param {{ forEach(callback: (value: FormDataEntryValue, key: string) => void): void }} fields e.g. `new FormData(form)`
 */
export function formBody(fields) {
  const body = new URLSearchParams();
  fields.forEach((value, key) => body.append(key, String(value)));
  return body.toString();
}

/**
 * The fetch options of the save: same-origin POST asking for JSON, the CSRF token in its header.
 * @param {string} body from formBody
 * @param {string} csrfToken the page's `_csrf` field ('' when the page has none)
 * @returns {RequestInit}
 */
export function saveRequest(body, csrfToken) {
  return {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
      'x-csrf-token': csrfToken,
    },
    body,
  };
}

/**
 * The status and the JSON of an answer; an answer that is not JSON reads as `{}`.
 * @param {{ status: number, json(): Promise<unknown> }} res
 * @returns {Promise<{ status: number, json: unknown }>}
 */
export async function readAnswer(res) {
  let json;
  try {
    json = await res.json();
  } catch {
    json = {};
  }
  return { status: res.status, json };
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isObject(value) {
  return typeof value === 'object' && value !== null;
}

/**
 * What an answer means for the modal.
 * @param {number} status
 * @param {unknown} json
 * @returns {Outcome}
 */
export function outcome(status, json) {
  const body = isObject(json) ? json : {};
  if (status === 201) {
    return { kind: 'registered', id: String(body.id), label: String(body.label ?? ''), codice: String(body.codice ?? '') };
  }
  if (status === 422 && isObject(body.errors)) {
    const errors = /** @type {Record<string, string>} */ ({});
    for (const [field, message] of Object.entries(body.errors)) errors[field] = String(message);
    const esistente = isObject(body.esistente) && body.esistente.id !== undefined ? { id: String(body.esistente.id) } : null;
    return { kind: 'invalid', errors, esistente };
  }
  const message = typeof body.error === 'string' && body.error ? body.error : `Salvataggio non riuscito (errore ${status}): riprova.`;
  return { kind: 'failed', message };
}

/**
 * The code already registered that a duplicate refusal points to, as the picker lists it:
 * its label, and its code (the label's first word). Null when the picker does not offer it
 * (e.g. a CIG annullato): then the modal offers no «Scegli quello già registrato».
 * @param {ArrayLike<{ value: string, textContent: string | null }>} options the picker's options
 * @param {{ id: string } | null} esistente
 * @returns {{ id: string, label: string, codice: string } | null}
 */
export function existingChoice(options, esistente) {
  if (!esistente) return null;
  const option = Array.from(options).find((o) => o.value === esistente.id);
  if (!option) return null;
  const label = option.textContent ?? '';
  return { id: esistente.id, label, codice: label.split(' ')[0] ?? '' };
}

/**
 * What the live region says once a code is chosen from the modal.
 * @param {string} registro 'cig' | 'cup' | 'creditore' (the modal's data-registro)
 * @param {string} codice
 * @param {boolean} isNew registered now, or the one already registered
 */
export function choiceMessage(registro, codice, isNew) {
  return `${NAMES[registro] ?? registro} ${codice} ${isNew ? 'registrato e scelto.' : 'scelto.'}`;
}
