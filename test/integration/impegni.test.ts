import { beforeAll, describe, expect, it } from 'vitest';
import { expectFieldRefused } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createImpegno, createUtente, createScuola, createVoce } from '../helpers/factories.js';
import { expectItalianDatesAndAmounts, mainText } from '../helpers/italiano.js';

const ctx = useSegreteria('/impegni/nuovo');
const anno = TEST_ESERCIZIO;
let voce: { id: number };
let cig: { id: number; codice: string };
let cup: { id: number; codice: string };
let creditore: { id: number };

beforeAll(async () => {
  voce = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 3, sottovoce: 13, descrizione: 'PNRR Next Generation Classroom' });
  cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
  cup = await createCup(ctx.knex, ctx.cast.scuola1.id);
  creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
});

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await ctx.knex(table).where(where).count({ n: '*' }).first())?.n);

const valid = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token,
  data: `${anno}-03-15`,
  voce_id: String(voce.id),
  conto_id: '',
  creditore_id: String(creditore.id),
  oggetto: 'Acquisto di notebook per la didattica',
  importo: '1.234,56',
  cig_id: String(cig.id),
  motivo_esclusione_cig: '',
  cup_id: '',
  note: '',
  ...overrides,
});

const post = (body: Record<string, string>, path = '/impegni', a = ctx.agent) => a.post(path).type('form').send(body);

describe('Nuovo impegno', () => {
  it('shows the form with the pickers, the + links that return here and the modals', async () => {
    const res = await ctx.agent.get('/impegni/nuovo');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="voce_id"');
    expect(res.text).toContain(`value="${cig.id}"`);
    // Without JavaScript the + submits the form as a draft (test/integration/bozze.test.ts), naming the register.
    expect(res.text).toMatch(/formaction="\/impegni\/bozza"[^>]*name="nuovo_registro" value="cig"/);
    expect(res.text).toMatch(/formaction="\/impegni\/bozza"[^>]*name="nuovo_registro" value="cup"/);
    expect(res.text).toContain('id="modal-cig"');
    expect(res.text).toContain('id="modal-cig-codice"');
    expect(res.text).toContain('id="modal-cup-codice"');
    // The modal's fields never take the document's ids.
    expect(res.text.match(/id="oggetto"/g)).toHaveLength(1);
    // The voce proposes its CUP to the CUP picker.
    expect(res.text).toContain('data-propone');
  });

  it('preselects what a register sends back (no-JavaScript +)', async () => {
    const res = await ctx.agent.get(`/impegni/nuovo?cig_id=${cig.id}&cup_id=${cup.id}`);
    expect(res.text).toMatch(new RegExp(`<option value="${cig.id}" selected`));
    expect(res.text).toMatch(new RegExp(`<option value="${cup.id}" selected`));
  });

  it('stores a valid impegno with the next number, audit row, money in cents, and redirects to the record', async () => {
    // The next number is the counter's, whatever the other tests saved before.
    const counter = await ctx.knex('contatori_numerazione').where({ scuola_id: ctx.cast.scuola1.id, tipo: 'impegno', esercizio: anno }).first();
    const numero = (counter?.ultimo ?? 0) + 1;
    const res = await post(valid());
    expect(res.status).toBe(302);
    const row = await ctx.knex('impegni').where({ scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero }).first();
    expect(row).toMatchObject({ oggetto: 'Acquisto di notebook per la didattica', importo_cents: 123456, cig_id: cig.id, creditore_id: creditore.id, version: 1 });
    expect(res.headers.location).toBe(`/impegni/${row.id}`);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain(`Impegno n. ${numero}/${anno} salvato`);
    expect(page.text).toContain('1.234,56');
    expect(page.text).toContain(cig.codice);
    const audit = await ctx.knex('audit_log').where({ entita: 'impegno', entita_id: row.id }).first();
    expect(audit).toMatchObject({ azione: 'crea', utente_id: ctx.cast.segreteria.id, scuola_id: ctx.cast.scuola1.id });
    expect(audit.dopo.numero).toBe(numero);
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['missing data', { data: '' }, 'data', /Inserisci la data/],
    ['impossible data', { data: '31/02/2026' }, 'data', /non esiste/],
    ['data of another esercizio', { data: `${anno - 1}-12-31` }, 'data', new RegExp(`nell’esercizio ${anno}`)],
    ['missing voce', { voce_id: '' }, 'voce_id', /Scegli la voce/],
    ['garbage voce', { voce_id: "1' or 1=1" }, 'voce_id', /Scegli la voce/],
    ['unknown voce', { voce_id: '999999' }, 'voce_id', /Scegli la voce/],
    ['unknown conto', { conto_id: '999999' }, 'conto_id', /Scegli il conto/],
    ['garbage creditore', { creditore_id: 'abc' }, 'creditore_id', /Scegli il creditore/],
    ['unknown creditore', { creditore_id: '999999' }, 'creditore_id', /Scegli il creditore/],
    ['missing oggetto', { oggetto: '  ' }, 'oggetto', /Inserisci l’oggetto/],
    ['oggetto too long', { oggetto: 'x'.repeat(2001) }, 'oggetto', /troppo lungo/],
    ['missing importo', { importo: '' }, 'importo', /Inserisci l’importo/],
    ['bad importo', { importo: '12,345' }, 'importo', /per esempio 1\.234,56/],
    ['zero importo', { importo: '0' }, 'importo', /maggiore di zero/],
    ['negative importo', { importo: '-5' }, 'importo', /maggiore di zero/],
    ['unknown CIG', { cig_id: '999999' }, 'cig_id', /Scegli il CIG/],
    ['unknown motivo', { cig_id: '', motivo_esclusione_cig: 'PERCHE_NO' }, 'motivo_esclusione_cig', /motivo di esclusione dall’elenco/],
    ['CIG and motivo together', { motivo_esclusione_cig: 'SPESE_ECONOMALI' }, 'motivo_esclusione_cig', /non entrambi/],
    ['unknown CUP', { cup_id: '999999' }, 'cup_id', /Scegli il CUP/],
    ['note too long', { note: 'x'.repeat(4001) }, 'note', /troppo lunghe/],
  ];
  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422, the field's message and nothing stored`, async () => {
      const before = await count('impegni');
      const audits = await count('audit_log');
      const res = await post(valid(overrides));
      expectFieldRefused(res, field, message);
      expect(await count('impegni')).toBe(before);
      expect(await count('audit_log')).toBe(audits);
    });
  }

  it('refuses unknown fields and a post without the CSRF token', async () => {
    expect((await post({ ...valid(), numero: '7' })).status).toBe(422);
    const res = await ctx.agent.post('/impegni').type('form').send({ ...valid(), _csrf: 'sbagliato' });
    expect(res.status).toBe(403);
  });
});

describe('numbering', () => {
  it('gives 1..20 with no gaps and no duplicates to 20 concurrent saves', async () => {
    const scuola = await createScuola(ctx.knex);
    const utente = await createUtente(ctx.knex, scuola.id);
    const v = await createVoce(ctx.knex, scuola.id);
    const a = await loginAs(ctx.app, utente.username, utente.password);
    const t = await csrfToken(a, '/impegni/nuovo');
    const body = (i: number) => ({ _csrf: t, data: `${anno}-05-10`, voce_id: String(v.id), oggetto: `Impegno concorrente ${i}`, importo: '10,00', motivo_esclusione_cig: 'SPESE_ECONOMALI' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => a.post('/impegni').type('form').send(body(i))));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(302));
    const numeri = (await ctx.knex('impegni').where({ scuola_id: scuola.id, esercizio: anno }).orderBy('numero').pluck('numero')).map(Number);
    expect(numeri).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await ctx.knex('contatori_numerazione').where({ scuola_id: scuola.id, tipo: 'impegno', esercizio: anno }).first()).toMatchObject({ ultimo: 20 });
  });

  it('a refused save does not use up a number', async () => {
    const before = await ctx.knex('contatori_numerazione').where({ scuola_id: ctx.cast.scuola1.id, tipo: 'impegno', esercizio: anno }).first();
    await post(valid({ importo: 'abc' }));
    await post(valid({ cig_id: '999999' }));
    const after = await ctx.knex('contatori_numerazione').where({ scuola_id: ctx.cast.scuola1.id, tipo: 'impegno', esercizio: anno }).first();
    expect(after?.ultimo).toBe(before?.ultimo);
  });
});

describe('the CUP follows the document to its voce', () => {
  it('sets the CUP on a voce without one, with an audit row of the voce', async () => {
    const v = await createVoce(ctx.knex, ctx.cast.scuola1.id, { descrizione: 'Voce senza CUP' });
    const res = await post(valid({ voce_id: String(v.id), cup_id: String(cup.id), oggetto: 'Con CUP, voce vuota' }));
    expect(res.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: v.id }).first()).toMatchObject({ cup_id: cup.id, version: 2 });
    const audit = await ctx.knex('audit_log').where({ entita: 'voce', entita_id: v.id }).first();
    expect(audit.prima.cup).toBeNull();
    expect(audit.dopo.cup).toBe(cup.codice);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain(`Il CUP ${cup.codice} è stato scritto anche sulla voce`);
  });

  it('leaves a voce with the same CUP unchanged', async () => {
    const v = await createVoce(ctx.knex, ctx.cast.scuola1.id);
    await ctx.knex('voci_destinazione').where({ id: v.id }).update({ cup_id: cup.id });
    const res = await post(valid({ voce_id: String(v.id), cup_id: String(cup.id), oggetto: 'Stesso CUP' }));
    expect(res.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: v.id }).first()).toMatchObject({ cup_id: cup.id, version: 1 });
    expect(await count('audit_log', { entita: 'voce', entita_id: v.id })).toBe(0);
  });

  it('asks before replacing a different CUP: nothing stored without an answer, replaced with conferma_cup=1, kept with 0', async () => {
    const altro = await createCup(ctx.knex, ctx.cast.scuola1.id);
    const v = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'P', voce: 4, sottovoce: 2 });
    await ctx.knex('voci_destinazione').where({ id: v.id }).update({ cup_id: altro.id });
    const before = await count('impegni');
    const ask = await post(valid({ voce_id: String(v.id), cup_id: String(cup.id), oggetto: 'CUP diverso' }));
    expect(ask.status).toBe(422);
    expect(ask.text).toContain(`La voce P04/2 ha già il CUP ${altro.codice}: sostituirlo con ${cup.codice}?`);
    expect(ask.text).toContain('name="conferma_cup" id="conferma_cup_1" value="1"');
    expect(ask.text).toContain('>CUP diverso</textarea>'); // what was typed is still there
    expect(await count('impegni')).toBe(before);
    expect(await ctx.knex('voci_destinazione').where({ id: v.id }).first()).toMatchObject({ cup_id: altro.id });

    const keep = await post(valid({ voce_id: String(v.id), cup_id: String(cup.id), oggetto: 'CUP diverso, voce invariata', conferma_cup: '0' }));
    expect(keep.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: v.id }).first()).toMatchObject({ cup_id: altro.id });
    expect(await ctx.knex('impegni').where({ oggetto: 'CUP diverso, voce invariata' }).first()).toMatchObject({ cup_id: cup.id });

    const replace = await post(valid({ voce_id: String(v.id), cup_id: String(cup.id), oggetto: 'CUP diverso, sostituito', conferma_cup: '1' }));
    expect(replace.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: v.id }).first()).toMatchObject({ cup_id: cup.id });
    const audit = await ctx.knex('audit_log').where({ entita: 'voce', entita_id: v.id }).orderBy('id', 'desc').first();
    expect(audit).toMatchObject({ azione: 'modifica', utente_id: ctx.cast.segreteria.id });
    expect(audit.prima.cup).toBe(altro.codice);
    expect(audit.dopo.cup).toBe(cup.codice);
  });

  it('proposes, never sets, the voce’s CUP on a document saved without one', async () => {
    const v = await createVoce(ctx.knex, ctx.cast.scuola1.id);
    await ctx.knex('voci_destinazione').where({ id: v.id }).update({ cup_id: cup.id });
    // Without JavaScript the first save proposes it (422, test/integration/cupDallaVoce.test.ts); left empty on purpose, it stays empty.
    const proposed = await post(valid({ voce_id: String(v.id), cup_id: '', oggetto: 'Senza CUP su voce con CUP' }));
    expect(proposed.status).toBe(422);
    const res = await post(valid({ voce_id: String(v.id), cup_id: '', oggetto: 'Senza CUP su voce con CUP', cup_dalla_voce: '1' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('impegni').where({ oggetto: 'Senza CUP su voce con CUP' }).first();
    expect(row.cup_id).toBeNull();
    const edit = await ctx.agent.get(`/impegni/${row.id}/modifica`);
    expect(edit.text).toContain(`ha il CUP ${cup.codice}: sceglilo se la spesa rientra nel progetto`);
  });
});

describe('school boundaries', () => {
  it('refuses a voce, CIG, CUP, creditore or conto of another school with 422 and stores nothing', async () => {
    const voce2 = await createVoce(ctx.knex, ctx.cast.scuola2.id);
    const cig2 = await createCig(ctx.knex, ctx.cast.scuola2.id);
    const cup2 = await createCup(ctx.knex, ctx.cast.scuola2.id);
    const cred2 = await createCreditore(ctx.knex, ctx.cast.scuola2.id);
    const [conto2] = await ctx.knex('piano_conti').insert({ scuola_id: ctx.cast.scuola2.id, tipo: 2, conto: 1, sottoconto: 1, descrizione: 'Carta' }).returning('id');
    const before = await count('impegni');
    for (const [field, id, message] of [
      ['voce_id', voce2.id, /Scegli la voce/], ['cig_id', cig2.id, /Scegli il CIG/], ['cup_id', cup2.id, /Scegli il CUP/],
      ['creditore_id', cred2.id, /Scegli il creditore/], ['conto_id', conto2.id, /Scegli il conto/],
    ] as const) {
      const res = await post(valid({ [field]: String(id) }));
      expect(res.status, field).toBe(422);
      expect(res.text).toMatch(message);
    }
    expect(await count('impegni')).toBe(before);
  });

  it('the database itself refuses an impegno pointing at another school’s rows', async () => {
    const voce2 = await createVoce(ctx.knex, ctx.cast.scuola2.id);
    const cig2 = await createCig(ctx.knex, ctx.cast.scuola2.id);
    const base = { scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: 999001, data: `${anno}-01-10`, oggetto: 'x', importo_cents: 100 };
    await expect(ctx.knex('impegni').insert({ ...base, voce_id: voce2.id })).rejects.toMatchObject({ code: '23503' });
    await expect(ctx.knex('impegni').insert({ ...base, voce_id: voce.id, cig_id: cig2.id })).rejects.toMatchObject({ code: '23503' });
  });

  it('answers 404 for another school’s impegno', async () => {
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const row = await createImpegno(ctx.knex, ctx.cast.scuola1.id);
    expect((await agent2.get(`/impegni/${row.id}`)).status).toBe(404);
    expect((await agent2.get(`/impegni/${row.id}/modifica`)).status).toBe(404);
    const t2 = await csrfToken(agent2, '/impegni/nuovo');
    expect((await agent2.post(`/impegni/${row.id}`).type('form').send({ ...valid(), _csrf: t2, version: '1' })).status).toBe(404);
    expect((await ctx.agent.get('/impegni/abc')).status).toBe(404);
  });
});

describe('annullato and chiuso codes', () => {
  it('are not offered nor accepted for a new document, but still show on an old one', async () => {
    const annullato = await createCig(ctx.knex, ctx.cast.scuola1.id, { stato: 'annullato' });
    const chiuso = await createCup(ctx.knex, ctx.cast.scuola1.id, { stato: 'chiuso' });
    const nuovo = await ctx.agent.get('/impegni/nuovo');
    expect(nuovo.text).not.toContain(annullato.codice);
    expect(nuovo.text).not.toContain(chiuso.codice);
    const refused = await post(valid({ cig_id: String(annullato.id) }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`Il CIG ${annullato.codice} è annullato`);
    expect((await post(valid({ cup_id: String(chiuso.id) }))).text).toContain(`Il CUP ${chiuso.codice} è chiuso`);

    const [old] = await ctx.knex('impegni')
      .insert({ scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: 999100, data: `${anno}-01-05`, voce_id: voce.id, oggetto: 'Vecchio', importo_cents: 500, cig_id: annullato.id })
      .returning('*');
    const edit = await ctx.agent.get(`/impegni/${old.id}/modifica`);
    expect(edit.text).toMatch(new RegExp(`<option value="${annullato.id}" selected[^>]*>${annullato.codice}[^<]*\\(annullato`));
    // Saving the old document with its annullato CIG is fine.
    const saved = await post({ ...valid({ cig_id: String(annullato.id), oggetto: 'Vecchio, modificato' }), version: String(old.version) }, `/impegni/${old.id}`);
    expect(saved.status).toBe(302);
  });
});

describe('Modifica impegno', () => {
  it('saves with the version, writes the audit, and answers 409 to a stale form without overwriting', async () => {
    const res = await post(valid({ oggetto: 'Da modificare' }));
    const row = await ctx.knex('impegni').where({ oggetto: 'Da modificare' }).first();
    expect(res.status).toBe(302);
    const ok = await post({ ...valid({ oggetto: 'Modificato' }), version: '1' }, `/impegni/${row.id}`);
    expect(ok.status).toBe(302);
    expect(await ctx.knex('impegni').where({ id: row.id }).first()).toMatchObject({ oggetto: 'Modificato', version: 2, numero: row.numero });
    const stale = await post({ ...valid({ oggetto: 'Vecchia versione' }), version: '1' }, `/impegni/${row.id}`);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('modificato da un altro utente');
    expect(await ctx.knex('impegni').where({ id: row.id }).first()).toMatchObject({ oggetto: 'Modificato', version: 2 });
    expect(await count('audit_log', { entita: 'impegno', entita_id: row.id })).toBe(2);
  });

  it('refuses an importo below what the mandati already paid', async () => {
    await post(valid({ oggetto: 'Pagato in parte', importo: '100' }));
    const row = await ctx.knex('impegni').where({ oggetto: 'Pagato in parte' }).first();
    await ctx.knex('mandati').insert({
      scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: 999200, data: `${anno}-04-01`, impegno_id: row.id, causale: 'Acconto', importo_cents: 6000,
      modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'NON_COMMERCIALE',
    });
    const res = await post({ ...valid({ oggetto: 'Pagato in parte', importo: '50' }), version: '1' }, `/impegni/${row.id}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('già pagato con i mandati (60,00');
    const page = await ctx.agent.get(`/impegni/${row.id}`);
    expect(page.text).toContain('Residuo da pagare');
    expect(page.text).toContain('40,00');
    expect(page.text).toContain(`/mandati/nuovo?impegno_id=${row.id}`);
  });
});

describe('Elenco impegni', () => {
  it('lists the esercizio in use with search, sorting, pagination and totals', async () => {
    expect((await post(valid())).status).toBe(302);
    const res = await ctx.agent.get('/impegni');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Totale impegnato');
    const byCig = await ctx.agent.get(`/impegni?q=${cig.codice.slice(0, 6)}`);
    expect(byCig.text).toContain('Acquisto di notebook');
    const byVoce = await ctx.agent.get('/impegni?q=A03/13');
    expect(byVoce.text).toContain('Acquisto di notebook');
    const none = await ctx.agent.get('/impegni?q=nessuntestocosi');
    expect(none.text).toContain('Nessun impegno corrisponde alla ricerca');
    const sorted = await ctx.agent.get('/impegni?ordina=importo&verso=desc&per=25&pagina=99');
    expect(sorted.status).toBe(200);
    expect(sorted.text).toContain('aria-sort="descending"');
  });
});

describe('La pagina dell’impegno', () => {
  it('shows next to the CIG its oggetto and next to the CUP its descrizione, dates and amounts in Italian', async () => {
    const conOggetto = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Notebook per la didattica digitale' });
    const progetto = await createCup(ctx.knex, ctx.cast.scuola1.id, { descrizione: 'Ambienti di apprendimento innovativi' });
    const fresca = await createVoce(ctx.knex, ctx.cast.scuola1.id);
    const res = await post(valid({ voce_id: String(fresca.id), cig_id: String(conOggetto.id), cup_id: String(progetto.id) }));
    expect(res.status).toBe(302);
    const page = await ctx.agent.get(res.headers.location!);
    const text = mainText(page.text);
    expect(text).toContain(`${conOggetto.codice} Notebook per la didattica digitale`);
    expect(text).toContain(`${progetto.codice} Ambienti di apprendimento innovativi`);
    expect(text).toContain(`15/03/${anno}`);
    expect(text).toContain('1.234,56\u00a0€');
    expectItalianDatesAndAmounts(page.text);
  });
});
