import { describe, expect, it } from 'vitest';
import type request from 'supertest';
import { readForm } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createCig, createCup, createImpegno, createScuola, createUtente } from '../helpers/factories.js';
import { CUP_DESCRIZIONE_IMPORTATA } from '../../src/domain/cup.js';
import { up as cupDaCompletareUp } from '../../migrations/20261207_08_cup_da_completare.js';

const ctx = useSegreteria('/da-completare');
const PAGE = '/da-completare';

/** A CIG as the import leaves it: no data di generazione, oggetto from a payment text. */
const importedCig = (scuolaId = ctx.cast.scuola1.id, oggetto = 'Pagamento fattura 12/2024 materiale di pulizia') =>
  createCig(ctx.knex, scuolaId, { data_generazione: null, da_completare: true, importo_cents: null, oggetto });
const importedCup = (scuolaId = ctx.cast.scuola1.id) =>
  createCup(ctx.knex, scuolaId, { descrizione: CUP_DESCRIZIONE_IMPORTATA, da_completare: true, importo_finanziato_cents: null, fonte_finanziamento: null });

const cigRow = (id: number) => ctx.knex('cig').where({ id }).first();
const cupRow = (id: number) => ctx.knex('cup').where({ id }).first();
const auditOf = (entita: 'cig' | 'cup', id: number) => ctx.knex('audit_log').where({ entita, entita_id: id }).orderBy('id');

/** The page's form as a browser would post it, with some fields changed. */
async function pageForm(agent: request.Agent = ctx.agent, url = PAGE) {
  const page = await agent.get(url);
  expect(page.status).toBe(200);
  return readForm(page.text, { action: PAGE }).fields;
}

const post = (body: Record<string, string>, agent: request.Agent = ctx.agent) => agent.post(PAGE).type('form').send(body);

/** A school of its own with one logged-in secretary: for counts and empty states no other test touches. */
async function ownSchool() {
  const scuola = await createScuola(ctx.knex);
  const user = await createUtente(ctx.knex, scuola.id);
  const agent = await loginAs(ctx.app, user.username, user.password);
  return { scuola, agent, token: await csrfToken(agent, PAGE) };
}

describe('Da completare: the page', () => {
  it('lists only this school’s incomplete CIG and CUP, with a labelled field per cell', async () => {
    const mine = await importedCig();
    const cup = await importedCup();
    const complete = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const otherCig = await importedCig(ctx.cast.scuola2.id);
    const otherCup = await importedCup(ctx.cast.scuola2.id);
    await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: mine.id });

    const res = await ctx.agent.get(PAGE);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="/cig/${mine.id}"`);
    expect(res.text).toContain(`href="/cup/${cup.id}"`);
    expect(res.text).not.toContain(complete.codice);
    expect(res.text).not.toContain(otherCig.codice);
    expect(res.text).not.toContain(otherCup.codice);
    expect(res.text).toContain(`Data generazione<span class="visually-hidden"> del CIG ${mine.codice}</span>`);
    expect(res.text).toContain(`Descrizione del progetto<span class="visually-hidden"> del CUP ${cup.codice}</span>`);
    expect(res.text).toContain(`id="cig_${mine.id}_data_generazione"`);
    expect(res.text).toContain(`href="/cig/${mine.id}#uso-titolo">1 documento`);
    const fields = readForm(res.text, { action: PAGE }).fields;
    expect(fields[`cig_${mine.id}_version`]).toBe('1');
    expect(fields[`cig_${mine.id}_oggetto`]).toBe(mine.oggetto);
    expect(fields[`cup_${cup.id}_descrizione`]).toBe(CUP_DESCRIZIONE_IMPORTATA);
  });

  it('is in the Gestisci menu, and says when there is nothing to complete', async () => {
    const { agent } = await ownSchool();
    const res = await agent.get(PAGE);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Nessun codice da completare');
    expect(res.text).toContain('href="/flussi"');
    expect((await agent.get('/')).text).toContain('href="/da-completare" ><span>Da completare</span>');
  });
});

describe('Da completare: saving together', () => {
  it('saves the changed rows through the audited edit, clears da_completare and leaves untouched rows alone', async () => {
    const a = await importedCig();
    const b = await importedCig();
    const untouched = await importedCig();
    const cup = await importedCup();
    const fields = await pageForm();
    const res = await post({
      ...fields,
      [`cig_${a.id}_data_generazione`]: '15/03/2025',
      [`cig_${a.id}_importo`]: '1.234,56',
      [`cig_${b.id}_data_generazione`]: '2025-04-01',
      [`cig_${b.id}_data_scadenza_offerte`]: '30/04/2025',
      [`cig_${b.id}_oggetto`]: 'Fornitura di materiale di pulizia',
      [`cup_${cup.id}_descrizione`]: 'Laboratori PNRR per le competenze digitali',
      [`cup_${cup.id}_importo_finanziato`]: '50.000,00',
      [`cup_${cup.id}_fonte_finanziamento`]: 'PNRR',
    });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(PAGE);
    expect(await cigRow(a.id)).toMatchObject({ data_generazione: '2025-03-15', importo_cents: 123456, da_completare: false, version: 2, updated_by: ctx.cast.segreteria.id });
    expect(await cigRow(b.id)).toMatchObject({ data_generazione: '2025-04-01', data_scadenza_offerte: '2025-04-30', oggetto: 'Fornitura di materiale di pulizia', da_completare: false });
    expect(await cupRow(cup.id)).toMatchObject({ descrizione: 'Laboratori PNRR per le competenze digitali', importo_finanziato_cents: 5000000, fonte_finanziamento: 'PNRR', da_completare: false, version: 2 });
    expect(await cigRow(untouched.id)).toMatchObject({ version: 1, da_completare: true });
    const audit = await auditOf('cig', a.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ azione: 'modifica', utente_id: ctx.cast.segreteria.id, scuola_id: ctx.cast.scuola1.id });
    expect(audit[0].prima.data_generazione).toBeNull();
    expect(audit[0].dopo.data_generazione).toBe('2025-03-15');
    expect(await auditOf('cup', cup.id)).toHaveLength(1);
    expect(await auditOf('cig', untouched.id)).toHaveLength(0);

    const page = await ctx.agent.get(PAGE);
    expect(page.text).toContain('2 CIG e 1 CUP completati.');
    expect(page.text).not.toContain(`href="/cig/${a.id}"`);
    expect(page.text).toContain(`href="/cig/${untouched.id}"`);
  });

  it('saves the right rows of a post with wrong ones, and shows the wrong ones as typed with their messages (422)', async () => {
    const good = await importedCig();
    const badDate = await importedCig();
    const noOggetto = await importedCig();
    const fields = await pageForm();
    const res = await post({
      ...fields,
      [`cig_${good.id}_data_generazione`]: '01/02/2026',
      [`cig_${badDate.id}_data_generazione`]: '31/02/2026',
      [`cig_${badDate.id}_importo`]: '99,90',
      [`cig_${noOggetto.id}_data_generazione`]: '02/02/2026',
      [`cig_${noOggetto.id}_oggetto`]: '   ',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('1 salvato, 2 da correggere');
    expect(await cigRow(good.id)).toMatchObject({ data_generazione: '2026-02-01', da_completare: false });
    expect(await cigRow(badDate.id)).toMatchObject({ data_generazione: null, importo_cents: null, version: 1 });
    expect(await cigRow(noOggetto.id)).toMatchObject({ data_generazione: null, oggetto: noOggetto.oggetto, version: 1 });

    expect(res.text).not.toContain(`href="/cig/${good.id}"`);
    const again = readForm(res.text, { action: PAGE }).fields;
    expect(again[`cig_${badDate.id}_data_generazione`]).toBe('31/02/2026');
    expect(again[`cig_${badDate.id}_importo`]).toBe('99,90');
    expect(again[`cig_${noOggetto.id}_data_generazione`]).toBe('02/02/2026');
    expect(res.text).toContain('Data di generazione: il giorno 31/02/2026 non esiste nel calendario');
    expect(res.text).toContain('Inserisci l’oggetto della gara');
    // The error summary links to the fields.
    expect(res.text).toContain(`href="#cig_${badDate.id}_data_generazione">CIG ${badDate.codice}: Data di generazione`);
    expect(res.text).toContain(`href="#cig_${noOggetto.id}_oggetto">CIG ${noOggetto.codice}: Inserisci`);
    expect(res.text).toContain(`id="cig_${badDate.id}_data_generazione-error"`);

    // Corrected and posted again, as the page stands: the rest is saved, nothing was lost.
    const fixed = await post({ ...again, [`cig_${badDate.id}_data_generazione`]: '28/02/2026', [`cig_${noOggetto.id}_oggetto`]: 'Noleggio fotocopiatrici' });
    expect(fixed.status).toBe(302);
    expect(await cigRow(badDate.id)).toMatchObject({ data_generazione: '2026-02-28', importo_cents: 9990, da_completare: false });
    expect(await cigRow(noOggetto.id)).toMatchObject({ oggetto: 'Noleggio fotocopiatrici', da_completare: false });
  });

  it('reports a row someone else saved meanwhile as a conflict, without overwriting it', async () => {
    const stale = await importedCig();
    const other = await importedCig();
    const untouched = await importedCig();
    const fields = await pageForm();
    await ctx.knex('cig').where({ id: stale.id }).update({ oggetto: 'Scritto da un collega', version: 2 });
    await ctx.knex('cig').where({ id: untouched.id }).update({ oggetto: 'Cambiato da un collega', version: 2 });
    const res = await post({
      ...fields,
      [`cig_${stale.id}_data_generazione`]: '10/01/2026',
      [`cig_${other.id}_data_generazione`]: '11/01/2026',
    });
    expect(res.status).toBe(422);
    // The row this user left alone but a colleague changed is a conflict too, not a missing-date error.
    expect(res.text).toContain('1 salvato, 2 da correggere');
    expect(res.text).toContain(`href="#cig_${untouched.id}_data_generazione">CIG ${untouched.codice}: Modificato da un altro utente`);
    expect(await cigRow(untouched.id)).toMatchObject({ oggetto: 'Cambiato da un collega', version: 2 });
    expect(await cigRow(stale.id)).toMatchObject({ oggetto: 'Scritto da un collega', data_generazione: null, version: 2 });
    expect(await cigRow(other.id)).toMatchObject({ data_generazione: '2026-01-11', da_completare: false });
    expect(res.text).toContain('Modificato da un altro utente mentre la pagina era aperta');
    expect(res.text).toContain('Scritto da un collega');
    const again = readForm(res.text, { action: PAGE }).fields;
    expect(again[`cig_${stale.id}_data_generazione`]).toBe('10/01/2026');
    expect(again[`cig_${stale.id}_version`]).toBe('2');
  });

  it('refuses a CUP whose description is still the import’s placeholder', async () => {
    const cup = await importedCup();
    const fields = await pageForm();
    const res = await post({ ...fields, [`cup_${cup.id}_importo_finanziato`]: '1.000,00' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('quella dell’importazione è solo un segnaposto');
    expect(readForm(res.text, { action: PAGE }).fields[`cup_${cup.id}_importo_finanziato`]).toBe('1.000,00');
    expect(await cupRow(cup.id)).toMatchObject({ version: 1, da_completare: true });
  });

  it('never writes another school’s code, whatever id is posted', async () => {
    const theirs = await importedCig(ctx.cast.scuola2.id);
    const theirCup = await importedCup(ctx.cast.scuola2.id);
    const res = await post({
      _csrf: ctx.token,
      [`cig_${theirs.id}_data_generazione`]: '01/01/2026',
      [`cig_${theirs.id}_data_scadenza_offerte`]: '',
      [`cig_${theirs.id}_oggetto`]: 'Scritto dalla scuola sbagliata',
      [`cig_${theirs.id}_importo`]: '',
      [`cig_${theirs.id}_version`]: '1',
      [`cup_${theirCup.id}_descrizione`]: 'Scritto dalla scuola sbagliata',
      [`cup_${theirCup.id}_importo_finanziato`]: '',
      [`cup_${theirCup.id}_fonte_finanziamento`]: '',
      [`cup_${theirCup.id}_version`]: '1',
    });
    expect(res.status).toBe(302);
    expect(await cigRow(theirs.id)).toMatchObject({ oggetto: theirs.oggetto, data_generazione: null, da_completare: true, version: 1 });
    expect(await cupRow(theirCup.id)).toMatchObject({ descrizione: CUP_DESCRIZIONE_IMPORTATA, da_completare: true, version: 1 });
    expect(await auditOf('cig', theirs.id)).toHaveLength(0);
    expect((await ctx.agent.get(PAGE)).text).toContain('Nessuna modifica da salvare.');
  });

  it('refuses a post without the CSRF token (403) and saves nothing', async () => {
    const cig = await importedCig();
    const { _csrf, ...fields } = await pageForm();
    expect(_csrf).toBeTruthy();
    const res = await post({ ...fields, [`cig_${cig.id}_data_generazione`]: '01/01/2026' });
    expect(res.status).toBe(403);
    expect(await cigRow(cig.id)).toMatchObject({ data_generazione: null, version: 1 });
  });

  it('takes a whole demo import in one post: more fields than the app’s usual limit of 200', async () => {
    const { scuola, agent } = await ownSchool();
    const rows = await Promise.all(Array.from({ length: 45 }, () => importedCig(scuola.id)));
    const fields = await pageForm(agent);
    for (const r of rows) fields[`cig_${r.id}_data_generazione`] = '05/05/2025';
    expect(Object.keys(fields).length).toBeGreaterThan(200);
    const res = await post(fields, agent);
    expect(res.status).toBe(302);
    const left = await ctx.knex('cig').where({ scuola_id: scuola.id, da_completare: true }).count({ n: '*' }).first();
    expect(Number(left?.n)).toBe(0);
    expect((await agent.get(PAGE)).text).toContain('45 CIG completati.');
  });
});

describe('Da completare: ritorno', () => {
  it('goes back to a same-site ritorno after saving, and says so on the button', async () => {
    const cig = await importedCig();
    const page = await ctx.agent.get(`${PAGE}?ritorno=${encodeURIComponent('/flussi?esercizio=2026')}`);
    expect(page.text).toContain('Salva e torna ai Flussi');
    const fields = readForm(page.text, { action: PAGE }).fields;
    expect(fields.ritorno).toBe('/flussi?esercizio=2026');
    const res = await post({ ...fields, [`cig_${cig.id}_data_generazione`]: '01/01/2026' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/flussi?esercizio=2026');
  });

  it('ignores a hostile ritorno, on the page and after the save', async () => {
    const cig = await importedCig();
    const page = await ctx.agent.get(`${PAGE}?ritorno=${encodeURIComponent('//evil.example')}`);
    expect(page.text).not.toContain('evil.example');
    expect(page.text).not.toContain('Salva e torna');
    const fields = readForm(page.text, { action: PAGE }).fields;
    const res = await post({ ...fields, ritorno: '//evil.example', [`cig_${cig.id}_data_generazione`]: '01/01/2026' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(PAGE);
  });
});

describe('Da completare: elsewhere', () => {
  it('shows the count on the home page, linking to the page, only when something waits', async () => {
    const { scuola, agent } = await ownSchool();
    expect((await agent.get('/')).text).not.toContain('data-home="da-completare"');
    await importedCig(scuola.id);
    await importedCig(scuola.id);
    await importedCup(scuola.id);
    const home = await agent.get('/');
    expect(home.text).toContain('Da completare: 2 CIG senza data di generazione, 1 CUP senza descrizione');
    expect(home.text).toContain('href="/da-completare">Completali da una sola pagina');
  });

  it('clears a CUP’s flag when its normal edit saves a real description, and badges it in the list until then', async () => {
    const cup = await importedCup();
    const list = await ctx.agent.get(`/cup?codice=${cup.codice}`);
    expect(list.text).toMatch(new RegExp(`${cup.codice}</a> <span class="badge badge-avviso">da completare</span>`));
    const form = readForm((await ctx.agent.get(`/cup/${cup.id}/modifica`)).text, { action: `/cup/${cup.id}` }).fields;
    const res = await ctx.agent.post(`/cup/${cup.id}`).type('form').send({ ...form, descrizione: 'Cablaggio delle aule' });
    expect(res.status).toBe(302);
    expect(await cupRow(cup.id)).toMatchObject({ descrizione: 'Cablaggio delle aule', da_completare: false });
  });

  it('the migration marks the CUPs with the import’s placeholder, and runs again harmlessly', async () => {
    const cup = await createCup(ctx.knex, ctx.cast.scuola2.id, { descrizione: CUP_DESCRIZIONE_IMPORTATA });
    expect(await cupRow(cup.id)).toMatchObject({ da_completare: false });
    await cupDaCompletareUp(ctx.knex);
    expect(await cupRow(cup.id)).toMatchObject({ da_completare: true });
  });

  it('is open to admins too', async () => {
    const admin = await loginAs(buildTestApp(ctx.db).app, ctx.cast.admin.username, ctx.cast.admin.password);
    expect((await admin.get(PAGE)).status).toBe(200);
  });
});
