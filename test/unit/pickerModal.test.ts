import { describe, expect, it } from 'vitest';
import {
  CONNECTION_FAILED, choiceMessage, existingChoice, formBody, outcome, readAnswer, saveRequest,
} from '../../public/js/picker/register.js';
import { withId, withoutId } from '../../public/js/picker/modalErrors.js';

describe('picker + modal: the request', () => {
  it('posts the form’s fields urlencoded, as the form would without JavaScript', () => {
    const fields = new FormData();
    fields.append('_csrf', 'tok');
    fields.append('codice', '9050626CD6');
    fields.append('oggetto', 'Monitor & cavi – lotto 1');
    fields.append('stato', 'attivo');
    expect(formBody(fields)).toBe('_csrf=tok&codice=9050626CD6&oggetto=Monitor+%26+cavi+%E2%80%93+lotto+1&stato=attivo');
    expect(formBody(new URLSearchParams([['usa', 'a'], ['usa', 'b']]))).toBe('usa=a&usa=b');
  });
  it('asks for JSON, same-origin, with the CSRF token in its header', () => {
    expect(saveRequest('codice=X', 'tok')).toEqual({
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'x-csrf-token': 'tok' },
      body: 'codice=X',
    });
  });
});

describe('picker + modal: the answer', () => {
  it('reads the status and the JSON, and an answer that is not JSON as {}', async () => {
    expect(await readAnswer(new Response('{"id":7}', { status: 201 }))).toEqual({ status: 201, json: { id: 7 } });
    expect(await readAnswer(new Response('<html>Bad gateway</html>', { status: 502 }))).toEqual({ status: 502, json: {} });
  });
  it('a 201 is the code registered, to add and choose', () => {
    expect(outcome(201, { id: 12, label: '9050626CD6 – Fornitura di monitor', codice: '9050626CD6' }))
      .toEqual({ kind: 'registered', id: '12', label: '9050626CD6 – Fornitura di monitor', codice: '9050626CD6' });
  });
  it('a 422 with errors is each field’s message, with the code already registered when it is a duplicate', () => {
    expect(outcome(422, { errors: { codice: 'Carattere di controllo errato: atteso CD6' } }))
      .toEqual({ kind: 'invalid', errors: { codice: 'Carattere di controllo errato: atteso CD6' }, esistente: null });
    expect(outcome(422, { errors: { codice: 'CIG già registrato' }, esistente: { id: 3, url: '/cig/3' } }))
      .toEqual({ kind: 'invalid', errors: { codice: 'CIG già registrato' }, esistente: { id: '3' } });
  });
  it('anything else is one message for the form: the server’s, or the status', () => {
    expect(outcome(403, { error: 'Sessione scaduta: ricarica la pagina.' })).toEqual({ kind: 'failed', message: 'Sessione scaduta: ricarica la pagina.' });
    expect(outcome(500, {})).toEqual({ kind: 'failed', message: 'Salvataggio non riuscito (errore 500): riprova.' });
    expect(outcome(422, {})).toEqual({ kind: 'failed', message: 'Salvataggio non riuscito (errore 422): riprova.' });
    expect(outcome(502, null)).toEqual({ kind: 'failed', message: 'Salvataggio non riuscito (errore 502): riprova.' });
    expect(CONNECTION_FAILED).toBe('Connessione non riuscita: nulla è stato salvato, riprova.');
  });
});

describe('picker + modal: choosing', () => {
  const options = [
    { value: '', textContent: '— nessun CIG —' },
    { value: '3', textContent: 'Z1C0FFEE01 – Assistenza tecnica laboratorio' },
  ];
  it('offers the code already registered only when the picker lists it', () => {
    expect(existingChoice(options, { id: '3' })).toEqual({ id: '3', label: 'Z1C0FFEE01 – Assistenza tecnica laboratorio', codice: 'Z1C0FFEE01' });
    expect(existingChoice(options, { id: '9' })).toBeNull(); // e.g. annullato: not offered for a new document
    expect(existingChoice(options, null)).toBeNull();
  });
  it('announces the code chosen, registered now or already', () => {
    expect(choiceMessage('cig', '9050626CD6', true)).toBe('CIG 9050626CD6 registrato e scelto.');
    expect(choiceMessage('cup', 'C44D22002780006', false)).toBe('CUP C44D22002780006 scelto.');
    expect(choiceMessage('creditore', 'Tecnodidattica Italia S.r.l.', true)).toBe('Creditore Tecnodidattica Italia S.r.l. registrato e scelto.');
  });
});

describe('picker + modal: error messages in aria-describedby', () => {
  it('adds the message’s id once, after the ids already there', () => {
    expect(withId('modal-cig-codice-hint', 'modal-cig-codice-error')).toBe('modal-cig-codice-hint modal-cig-codice-error');
    expect(withId(null, 'x-error')).toBe('x-error');
    expect(withId('x-error a', 'x-error')).toBe('a x-error');
  });
  it('takes it away, leaving nothing when it was alone', () => {
    expect(withoutId('modal-cig-codice-hint modal-cig-codice-error', 'modal-cig-codice-error')).toBe('modal-cig-codice-hint');
    expect(withoutId('x-error', 'x-error')).toBe('');
    expect(withoutId(null, 'x-error')).toBe('');
  });
});
