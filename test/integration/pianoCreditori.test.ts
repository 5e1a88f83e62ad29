import { describe, expect, it } from 'vitest';
import { expectFieldRefused } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCup, createVoce } from '../helpers/factories.js';

const ctx = useSegreteria('/creditori/nuovo');
const anno = TEST_ESERCIZIO;

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await ctx.knex(table).where(where).count({ n: '*' }).first())?.n);

describe('Piano delle destinazioni', () => {
  it('lists the voci of the esercizio grouped by aggregato, with the CUP or the original text', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola1.id);
    const v = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 3, sottovoce: 13, descrizione: 'Next Generation Classroom' });
    await ctx.knex('voci_destinazione').where({ id: v.id }).update({ cup_id: cup.id });
    await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'P', voce: 1, sottovoce: 2, descrizione: 'PN Scuola e competenze', cup_testo: 'C44024D01730006' });
    await createVoce(ctx.knex, ctx.cast.scuola2.id, { descrizione: 'Voce di un’altra scuola' });
    const res = await ctx.agent.get('/impostazioni/piano-destinazioni');
    expect(res.status).toBe(200);
    expect(res.text).toContain('A – Attività');
    expect(res.text).toContain('P – Progetti');
    expect(res.text).toMatch(/A03\/13<\/th>\s*<td>Next Generation Classroom/);
    expect(res.text).toContain(cup.codice);
    expect(res.text).toContain('Testo originale: <span class="codice">C44024D01730006</span>');
    expect(res.text).not.toContain('Voce di un’altra scuola');
    expect((await ctx.agent.get(`/impostazioni/piano-destinazioni?esercizio=${anno - 1}`)).text).toContain('è vuoto');
  });

  it('creates and edits a voce with its CUP (audit, version, duplicates refused)', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola1.id);
    const t = await csrfToken(ctx.agent, '/impostazioni/piano-destinazioni/nuova');
    const body = { _csrf: t, esercizio: String(anno), aggregato: 'P', voce: '4', sottovoce: '7', descrizione: 'Formazione digitale', cup_id: String(cup.id) };
    const res = await ctx.agent.post('/impostazioni/piano-destinazioni').type('form').send(body);
    expect(res.status).toBe(302);
    const row = await ctx.knex('voci_destinazione').where({ scuola_id: ctx.cast.scuola1.id, descrizione: 'Formazione digitale' }).first();
    expect(row).toMatchObject({ aggregato: 'P', voce: 4, sottovoce: 7, cup_id: cup.id, esercizio: anno });
    const dup = await ctx.agent.post('/impostazioni/piano-destinazioni').type('form').send(body);
    expect(dup.status).toBe(422);
    expect(dup.text).toContain(`Esiste già la voce P04/7 nell’esercizio ${anno}`);
    for (const [field, value, message] of [['aggregato', 'X', /A, P, G o R/], ['voce', '100', /da 1 a 99/], ['descrizione', '', /Inserisci la descrizione/], ['cup_id', '999999', /Scegli il CUP/]] as const) {
      const bad = await ctx.agent.post('/impostazioni/piano-destinazioni').type('form').send({ ...body, sottovoce: '8', [field]: value });
      expect(bad.status, field).toBe(422);
      expect(bad.text).toMatch(message);
    }
    const edit = await ctx.agent.post(`/impostazioni/piano-destinazioni/${row.id}`).type('form').send({ ...body, esercizio: undefined, descrizione: 'Formazione digitale (DM 66)', cup_id: '', version: '1' });
    expect(edit.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: row.id }).first()).toMatchObject({ cup_id: null, version: 2 });
    const stale = await ctx.agent.post(`/impostazioni/piano-destinazioni/${row.id}`).type('form').send({ ...body, esercizio: undefined, version: '1' });
    expect(stale.status).toBe(409);
    expect(await count('audit_log', { entita: 'voce', entita_id: row.id })).toBe(2);
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await agent2.get(`/impostazioni/piano-destinazioni/${row.id}/modifica`)).status).toBe(404);
  });
});

describe('Creditori', () => {
  const valid = (o: Record<string, string> = {}) => ({
    _csrf: ctx.token, denominazione: 'Cartoleria Verdi S.r.l.', codice_fiscale: '', partita_iva: '01234567897', indirizzo: 'Via Roma 1, Roma', iban: '', ...o,
  });

  it('creates a creditore (form and JSON for the + modal), checking the identifiers', async () => {
    const res = await ctx.agent.post('/creditori').type('form').send(valid());
    expect(res.status).toBe(302);
    const row = await ctx.knex('creditori').where({ partita_iva: '01234567897' }).first();
    expect(res.headers.location).toBe(`/creditori/${row.id}`);
    expect(await count('audit_log', { entita: 'creditore', entita_id: row.id })).toBe(1);

    const json = await ctx.agent.post('/creditori').set('Accept', 'application/json').set('x-csrf-token', ctx.token)
      .send({ denominazione: 'Rossi Mario', codice_fiscale: 'RSSMRA80A01H501U' });
    expect(json.status).toBe(201);
    expect(json.body).toMatchObject({ codice: 'Rossi Mario', label: 'Rossi Mario' });

    const dup = await ctx.agent.post('/creditori').set('Accept', 'application/json').set('x-csrf-token', ctx.token).send({ denominazione: 'Altro', partita_iva: '01234567897' });
    expect(dup.status).toBe(422);
    expect(dup.body.errors.partita_iva).toContain('Esiste già');
    expect(dup.body.esistente.id).toBe(row.id);
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['missing denominazione', { denominazione: '' }, 'denominazione', /Inserisci la denominazione/],
    ['no identifier', { partita_iva: '', codice_fiscale: '' }, 'codice_fiscale', /codice fiscale o la partita IVA/],
    ['wrong partita IVA check digit', { partita_iva: '01234567890' }, 'partita_iva', /Cifra di controllo errata/],
    ['wrong codice fiscale', { codice_fiscale: 'RSSMRA80A01H501X' }, 'codice_fiscale', /Carattere di controllo errato/],
    ['wrong IBAN', { iban: 'IT60X0542811101000000123450' }, 'iban', /IBAN|controllo/],
  ];
  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422 and nothing stored`, async () => {
      const before = await count('creditori');
      const res = await ctx.agent.post('/creditori').type('form').send(valid({ denominazione: 'Prova rifiuto', partita_iva: '', codice_fiscale: 'VRDLGU70B12F205W', ...overrides }));
      expectFieldRefused(res, field, message);
      expect(await count('creditori')).toBe(before);
    });
  }

  it('without JavaScript the + comes back to the document with the new creditore chosen', async () => {
    const form = await ctx.agent.get(`/creditori/nuovo?ritorno=${encodeURIComponent('/impegni/nuovo')}`);
    expect(form.text).toContain('name="ritorno" value="/impegni/nuovo"');
    const res = await ctx.agent.post('/creditori').type('form').send({ ...valid({ partita_iva: '', codice_fiscale: 'BNCLRA80A41H501D', denominazione: 'Bianchi Laura' }), ritorno: '/impegni/nuovo' });
    expect(res.status).toBe(302);
    const row = await ctx.knex('creditori').where({ denominazione: 'Bianchi Laura' }).first();
    expect(res.headers.location).toBe(`/impegni/nuovo?creditore_id=${row.id}`);
    const evil = await ctx.agent.post('/creditori').type('form').send({ ...valid({ partita_iva: '', codice_fiscale: 'VRDMRC75C12F839H', denominazione: 'Verdi' }), ritorno: '//evil.example' });
    expect(evil.headers.location).toMatch(/^\/creditori\/\d+$/);
  });

  it('edits with the version (409 when stale), lists with search, 404 across schools', async () => {
    // A creditore of its own (another partita IVA than the creation test's).
    const mine = valid({ partita_iva: '12345678903' });
    const created = await ctx.agent.post('/creditori').type('form').send(mine);
    expect(created.status).toBe(302);
    const row = await ctx.knex('creditori').where({ scuola_id: ctx.cast.scuola1.id, partita_iva: '12345678903' }).first();
    const ok = await ctx.agent.post(`/creditori/${row.id}`).type('form').send({ ...mine, indirizzo: 'Via Milano 2', version: '1' });
    expect(ok.status).toBe(302);
    const stale = await ctx.agent.post(`/creditori/${row.id}`).type('form').send({ ...mine, version: '1' });
    expect(stale.status).toBe(409);
    const list = await ctx.agent.get('/creditori?q=cartoleria');
    expect(list.text).toContain('Cartoleria Verdi S.r.l.');
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await agent2.get(`/creditori/${row.id}`)).status).toBe(404);
  });
});
