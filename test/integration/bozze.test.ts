import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCreditore, createImpegno, createVoce } from '../helpers/factories.js';

/** The + of a document's picker without JavaScript: the form is kept as a draft in the session, the register's form comes back to it. */
const ctx = useSegreteria('/impegni/nuovo');
const anno = TEST_ESERCIZIO;
let voce: { id: number };
let creditore: { id: number };

beforeAll(async () => {
  voce = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 2, sottovoce: 1, descrizione: 'Funzionamento amministrativo' });
  creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
});

const typed = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token,
  data: `${anno}-04-20`,
  voce_id: String(voce.id),
  conto_id: '',
  creditore_id: String(creditore.id),
  oggetto: 'Toner per la segreteria (digitato prima del +)',
  importo: '321,09',
  cig_id: '',
  motivo_esclusione_cig: '',
  cup_id: '',
  note: 'Nota scritta a mano',
  ...overrides,
});

const location = (res: { headers: Record<string, string | undefined> }) => res.headers.location ?? '';

/** Presses + (cig) on the form posted to `action`, then saves a new CIG in the register's form; returns the pages on the way. */
async function roundTrip(action: string, body: Record<string, string>, codice: string) {
  const plus = await ctx.agent.post(action).type('form').send({ ...body, nuovo_registro: 'cig' });
  expect(plus.status).toBe(303);
  const registro = await ctx.agent.get(location(plus));
  const ritorno = decodeURIComponent(/ritorno=([^&]+)/.exec(location(plus))?.[1] ?? '');
  expect(registro.text).toContain(`name="ritorno" value="${ritorno}"`);
  const saved = await ctx.agent.post('/cig').type('form').send({
    _csrf: ctx.token, ritorno, codice, oggetto: 'Fornitura toner', data_generazione: `${anno}-01-10`,
    data_scadenza_offerte: '', importo: '', fornitore_id: '', scelta_contraente: '', stato: 'attivo', note: '',
  });
  expect(saved.status).toBe(302);
  const back = await ctx.agent.get(location(saved));
  return { plus, registro, saved, back };
}

describe('The + without JavaScript keeps the document form', () => {
  it('new impegno: the typed values come back with the new CIG selected, and the register’s form says so', async () => {
    const { plus, registro, saved, back } = await roundTrip('/impegni/bozza', typed(), '1234567CE7');
    expect(location(plus)).toMatch(/^\/cig\/nuovo\?ritorno=%2Fimpegni%2Fnuovo%3Fbozza%3D[\w-]{16}$/);
    expect(registro.text).toContain('I dati del documento sono conservati: dopo il salvataggio del CIG tornerai all’impegno.');
    expect(location(saved)).toMatch(/^\/impegni\/nuovo\?bozza=[\w-]{16}&cig_id=\d+$/);
    const cigId = /cig_id=(\d+)/.exec(location(saved))![1];
    expect(back.status).toBe(200);
    expect(back.text).toContain('Toner per la segreteria (digitato prima del +)');
    expect(back.text).toContain('value="321,09"');
    expect(back.text).toContain('Nota scritta a mano');
    expect(back.text).toMatch(new RegExp(`<option value="${voce.id}" selected`));
    expect(back.text).toMatch(new RegExp(`<option value="${creditore.id}" selected`));
    expect(back.text).toMatch(new RegExp(`<option value="${cigId}" selected`));
    // Nothing saved on the way: the impegno exists only once Salva is pressed.
    expect(await ctx.knex('impegni').where({ scuola_id: ctx.cast.scuola1.id, oggetto: 'Toner per la segreteria (digitato prima del +)' }).first()).toBeUndefined();
  });

  it('edited impegno: the changes typed and the version come back on the edit page', async () => {
    const impegno = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Oggetto salvato' });
    const body = typed({ oggetto: 'Oggetto cambiato ma non salvato', version: '1' });
    const { plus, back } = await roundTrip(`/impegni/bozza?modifica=${impegno.id}`, body, '9050626CD6');
    expect(decodeURIComponent(location(plus))).toContain(`/impegni/${impegno.id}/modifica?bozza=`);
    expect(back.text).toContain('Oggetto cambiato ma non salvato');
    expect(back.text).toContain('name="version" value="1"');
  });

  it('mandato: the + on the CUP picker goes to the CUP form and says it comes back to the mandato', async () => {
    const plus = await ctx.agent.post('/mandati/bozza').type('form').send({ _csrf: ctx.token, causale: 'Causale digitata', importo: '10,00', nuovo_registro: 'cup' });
    expect(location(plus)).toMatch(/^\/cup\/nuovo\?ritorno=%2Fmandati%2Fnuovo%3Fbozza%3D/);
    const registro = await ctx.agent.get(location(plus));
    expect(registro.text).toContain('dopo il salvataggio del CUP tornerai al mandato');
    // «Torna indietro senza salvare» on the CUP form: the mandato comes back as typed.
    const ritorno = decodeURIComponent(/ritorno=([^&]+)/.exec(location(plus))![1]!);
    const back = await ctx.agent.get(ritorno);
    expect(back.status).toBe(200);
    expect(back.text).toContain('Causale digitata');
  });

  it('an unknown or stale token opens the blank form with a message', async () => {
    const res = await ctx.agent.get('/impegni/nuovo?bozza=AAAAAAAAAAAAAAAA');
    expect(res.status).toBe(200);
    expect(res.text).toContain('I dati inseriti prima non sono più disponibili');
    expect(res.text).not.toContain('Toner per la segreteria');
  });

  it('another school’s token is refused: its user gets the blank form, never the draft', async () => {
    const plus = await ctx.agent.post('/impegni/bozza').type('form').send({ ...typed({ oggetto: 'Segreto della scuola 1' }), nuovo_registro: 'cig' });
    const token = /bozza%3D([\w-]{16})/.exec(location(plus))![1];
    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const res = await other.get(`/impegni/nuovo?bozza=${token}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Segreto della scuola 1');
    expect(res.text).toContain('I dati inseriti prima non sono più disponibili');
    // Nor can it keep a draft of scuola1's record.
    const impegno = await createImpegno(ctx.knex, ctx.cast.scuola1.id);
    const token2 = await csrfToken(other, '/impegni/nuovo');
    const refused = await other.post(`/impegni/bozza?modifica=${impegno.id}`).type('form').send({ _csrf: token2, nuovo_registro: 'cig' });
    expect(refused.status).toBe(404);
  });

  it('refuses a + that names no register (422, in Italian) and a POST without the CSRF token', async () => {
    const bad = await ctx.agent.post('/impegni/bozza').type('form').send({ _csrf: ctx.token, nuovo_registro: 'conti' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('non ha indicato quale registro aprire');
    expect((await ctx.agent.post('/impegni/bozza').type('form').send({ nuovo_registro: 'cig' })).status).toBe(403);
  });
});
