import { describe, expect, it } from 'vitest';
import { expectFieldRefused, readForm } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs } from '../helpers/testApp.js';
import { cigCheckOrdinario } from '../../src/domain/cig.js';
import { documentUses } from '../../src/repositories/usiRepository.js';
import { createCig, createCreditore, createImpegno, createMandato } from '../helpers/factories.js';

const ctx = useSegreteria('/cig/nuovo');

const countCig = async (scuolaId = ctx.cast.scuola1.id) => Number((await ctx.knex('cig').where({ scuola_id: scuolaId }).count({ n: '*' }).first())?.n);
const countAudit = async () => Number((await ctx.knex('audit_log').count({ n: '*' }).first())?.n);

const valid = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token,
  codice: '1234567CE7',
  oggetto: 'Acquisto di materiale didattico',
  data_generazione: '2023-03-15',
  data_scadenza_offerte: '',
  importo: '1.234,56',
  fornitore_id: '',
  scelta_contraente: 'AFFIDAMENTO_DIRETTO',
  stato: 'attivo',
  note: '',
  ...overrides,
});

/** A valid ordinario CIG from its progressive (ANAC: KKK = hex3((N × 211) mod 4091)). */
const ordinario = (n: number) => `${n}${cigCheckOrdinario(n)}`;

const post = (body: Record<string, string>, path = '/cig') => ctx.agent.post(path).type('form').send(body);

describe('Nuovo CIG', () => {
  it('shows the form with the required fields marked and the CSRF field', async () => {
    const res = await ctx.agent.get('/cig/nuovo');
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="_csrf"');
    for (const field of ['codice', 'oggetto', 'data_generazione']) {
      expect(res.text).toMatch(new RegExp(`for="${field}" class="active">[^<]+ <span class="required-mark"`));
    }
    expect(res.text).not.toMatch(/for="data_scadenza_offerte" class="active">[^<]+ <span class="required-mark"/);
    expect(res.text).toContain('href="/cig"'); // Annulla goes back
  });

  it('stores a valid CIG (lower case, spaced, CIG: prefix, Italian date and amount) and redirects to the record', async () => {
    const res = await post(valid({ codice: ' cig: 9050626 cd6 ', data_generazione: '15/03/2023', importo: '1.234,56' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('cig').where({ scuola_id: ctx.cast.scuola1.id, codice: '9050626CD6' }).first();
    expect(row).toMatchObject({ famiglia: 'ordinario', data_generazione: '2023-03-15', importo_cents: 123456, stato: 'attivo', version: 1 });
    expect(res.headers.location).toBe(`/cig/${row.id}`);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain('CIG 9050626CD6 inserito');
    expect(page.text).toContain('CIG ordinario');
    expect(page.text).toContain('1.234,56');
    expect(page.text).toContain('15/03/2023');
    expect(page.text).toContain('dettaglio_cig/?cig=9050626CD6');
    const audit = await ctx.knex('audit_log').where({ entita: 'cig', entita_id: row.id }).first();
    expect(audit).toMatchObject({ azione: 'crea', utente_id: ctx.cast.segreteria.id, scuola_id: ctx.cast.scuola1.id });
    expect(audit.dopo.codice).toBe('9050626CD6');
  });

  it('accepts the three families and an amount with a decimal point', async () => {
    for (const [codice, famiglia] of [['ZC81A2B3C4', 'smart'], ['B123456659', 'pcp'], ['A0A1B2C147', 'pcp']] as const) {
      const res = await post(valid({ codice, importo: '1234.5', data_generazione: '2024-02-01' }));
      expect(res.status, codice).toBe(302);
      expect(await ctx.knex('cig').where({ codice }).first()).toMatchObject({ famiglia, importo_cents: 123450 });
    }
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['wrong check part', { codice: '1234567CE8' }, 'codice', /Carattere di controllo errato: atteso CE7/],
    ['PCP wrong check', { codice: 'B123456789' }, 'codice', /atteso 659/],
    ['wrong length', { codice: '123456' }, 'codice', /Lunghezza errata/],
    ['first letter V', { codice: 'V123456789' }, 'codice', /Primo carattere non ammesso/],
    ['missing codice', { codice: '' }, 'codice', /Inserisci il codice CIG/],
    ['missing oggetto', { oggetto: '   ' }, 'oggetto', /Inserisci l’oggetto della gara/],
    ['missing data generazione', { data_generazione: '' }, 'data_generazione', /Inserisci la data di generazione/],
    ['impossible date', { data_generazione: '31/02/2025' }, 'data_generazione', /31\/02\/2025 non esiste/],
    ['garbage date', { data_scadenza_offerte: 'domani' }, 'data_scadenza_offerte', /gg\/mm\/aaaa/],
    ['10,000-character oggetto', { oggetto: 'x'.repeat(10_000) }, 'oggetto', /troppo lungo/],
    ['bad amount', { importo: '12,345' }, 'importo', /per esempio 1\.234,56/],
    ['negative amount', { importo: '-5' }, 'importo', /non può essere negativo/],
    ['unknown scelta', { scelta_contraente: "x' OR 1=1 --" }, 'scelta_contraente', /dall’elenco/],
    ['SQL-looking fornitore', { fornitore_id: '1; drop table cig' }, 'fornitore_id', /fornitore/i],
    ['unknown stato', { stato: 'cancellato' }, 'stato', /attivo o annullato/],
  ];

  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422, the field's message and nothing stored`, async () => {
      const before = await countCig();
      const audits = await countAudit();
      const res = await post(valid({ codice: '7654321183', ...overrides }));
      expectFieldRefused(res, field, message);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(await countCig()).toBe(before);
      expect(await countAudit()).toBe(audits);
    });
  }

  it('re-fills the form after a refusal, escaping what was typed', async () => {
    const res = await post(valid({ codice: '1234567CE8', oggetto: '<script>alert(1)</script>' }));
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).toContain('value="1234567CE8"');
  });

  it('stores <script> and SQL-looking text verbatim and shows them escaped', async () => {
    const oggetto = `<script>alert('x')</script> Robert'); DROP TABLE cig;--`;
    const res = await post(valid({ codice: '2000001508', oggetto, note: "1' OR '1'='1" }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('cig').where({ codice: '2000001508' }).first();
    expect(row.oggetto).toBe(oggetto);
    expect(row.note).toBe("1' OR '1'='1");
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).not.toContain("<script>alert('x')</script>");
    expect(page.text).toContain('&lt;script&gt;');
  });

  it('refuses unexpected fields and fornitori of another school', async () => {
    const before = await countCig();
    const extra = await post({ ...valid({ codice: '7654321183' }), scuola_id: String(ctx.cast.scuola2.id) });
    expect(extra.status).toBe(422);
    const altrui = await createCreditore(ctx.knex, ctx.cast.scuola2.id);
    const foreign = await post(valid({ codice: '7654321183', fornitore_id: String(altrui.id) }));
    expect(foreign.status).toBe(422);
    expect(foreign.text).toContain('Il fornitore scelto non esiste');
    expect(await countCig()).toBe(before);
  });

  it('refuses a POST without the CSRF token', async () => {
    const { _csrf: _, ...body } = valid({ codice: '7654321183' });
    const res = await ctx.agent.post('/cig').type('form').send(body);
    expect(res.status).toBe(403);
  });

  it('shows date-order oddities as warnings, never errors', async () => {
    const res = await post(valid({ codice: ordinario(3000001), data_generazione: '2023-05-10', data_scadenza_offerte: '2023-05-01' }));
    expect(res.status).toBe(302);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain('è precedente alla data di generazione');
  });
});

describe('duplicates', () => {
  it('refuses an existing code with a link to it; another school may have the same code', async () => {
    const existing = await createCig(ctx.knex, ctx.cast.scuola1.id, { codice: ordinario(4000001) });
    const before = await countCig();
    const res = await post(valid({ codice: existing.codice.toLowerCase() }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('CIG già presente');
    expect(res.text).toContain(`href="/cig/${existing.id}"`);
    expect(await countCig()).toBe(before);

    const other = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const otherToken = await csrfToken(other, '/cig/nuovo');
    const ok = await other.post('/cig').type('form').send({ ...valid({ codice: existing.codice }), _csrf: otherToken });
    expect(ok.status).toBe(302);
  });

  it('stores one of two concurrent creates of the same code; the other gets the 422', async () => {
    const codice = ordinario(5000001);
    const [a, b] = await Promise.all([post(valid({ codice })), post(valid({ codice }))]);
    expect([a.status, b.status].sort()).toEqual([302, 422]);
    expect(Number((await ctx.knex('cig').where({ scuola_id: ctx.cast.scuola1.id, codice }).count({ n: '*' }).first())?.n)).toBe(1);
    expect((a.status === 422 ? a : b).text).toContain('CIG già presente');
  });
});

describe('the + link without JavaScript', () => {
  it('goes back to the document with the new cig_id; foreign addresses are ignored', async () => {
    const form = await ctx.agent.get('/cig/nuovo?ritorno=%2Fimpegni%2Fnuovo%3Fvoce%3D3');
    expect(form.text).toContain('name="ritorno" value="/impegni/nuovo?voce=3"');
    expect(form.text).toContain('href="/impegni/nuovo?voce=3"'); // Annulla goes back to the document
    const res = await post({ ...valid({ codice: ordinario(8000001) }), ritorno: '/impegni/nuovo?voce=3' });
    expect(res.status).toBe(302);
    const row = await ctx.knex('cig').where({ codice: ordinario(8000001) }).first();
    expect(res.headers.location).toBe(`/impegni/nuovo?voce=3&cig_id=${row.id}`);
    const invalid = await post({ ...valid({ codice: '' }), ritorno: '/impegni/nuovo' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('name="ritorno" value="/impegni/nuovo"');
    const evil = await post({ ...valid({ codice: ordinario(8000002) }), ritorno: '//evil.example/x' });
    expect(evil.headers.location).toMatch(/^\/cig\/\d+$/);
    expect((await ctx.agent.get('/cig/nuovo?ritorno=https://evil.example')).text).not.toContain('evil.example');
  });
});

describe('JSON create (the + modal)', () => {
  it('answers 201 with id, codice and label, token in the header and a JSON body', async () => {
    const res = await ctx.agent
      .post('/cig')
      .set('Accept', 'application/json')
      .set('x-csrf-token', ctx.token)
      .send({ codice: ordinario(6000001), oggetto: 'Dal modale', data_generazione: '2023-01-10', importo: 1500 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ codice: expect.stringMatching(/^6000001/), label: expect.stringContaining('Dal modale') });
    expect(typeof res.body.id).toBe('number');
    expect((await ctx.knex('cig').where({ id: res.body.id }).first()).importo_cents).toBe(150000);
  });

  it('answers 422 with errors per field, nothing stored; a form body works too', async () => {
    const before = await countCig();
    const res = await ctx.agent.post('/cig').set('Accept', 'application/json').type('form').send({ _csrf: ctx.token, codice: '1234567CE8', oggetto: '' });
    expect(res.status).toBe(422);
    expect(res.body.errors.codice).toMatch(/atteso CE7/);
    expect(res.body.errors.oggetto).toMatch(/Inserisci/);
    expect(res.body.errors.data_generazione).toBeDefined();
    expect(await countCig()).toBe(before);
  });

  it('refuses JSON without a token', async () => {
    const res = await ctx.agent.post('/cig').set('Accept', 'application/json').send({ codice: '7654321183', oggetto: 'x', data_generazione: '2023-01-01' });
    expect(res.status).toBe(403);
  });
});

describe('Modifica with optimistic locking', () => {
  it('saves with the current version, bumps it and writes the history', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Prima' });
    const form = await ctx.agent.get(`/cig/${cig.id}/modifica`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="version" value="1"');
    const res = await post(valid({ codice: cig.codice, oggetto: 'Dopo', importo: '10,00', version: '1' }), `/cig/${cig.id}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/cig/${cig.id}`);
    expect(await ctx.knex('cig').where({ id: cig.id }).first()).toMatchObject({ oggetto: 'Dopo', version: 2, importo_cents: 1000 });
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    expect(page.text).toContain('Storia delle modifiche');
    expect(page.text).toMatch(/Oggetto della gara<\/td><td>Prima<\/td><td>Dopo<\/td>/);
    const nome = (await ctx.knex('utenti').where({ id: ctx.cast.segreteria.id }).first()).nome;
    expect(page.text).toContain(nome);
    expect(page.text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  });

  it('refuses a stale version with 409, shows both versions, changes nothing', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Originale' });
    expect((await post(valid({ codice: cig.codice, oggetto: 'Salvato da Anna', version: '1' }), `/cig/${cig.id}`)).status).toBe(302);
    const audits = await countAudit();
    const stale = await post(valid({ codice: cig.codice, oggetto: 'Scritto da Bruno', version: '1' }), `/cig/${cig.id}`);
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('modificato da un altro utente');
    expect(stale.text).toContain('Salvato da Anna');
    expect(stale.text).toContain('Scritto da Bruno');
    expect(await ctx.knex('cig').where({ id: cig.id }).first()).toMatchObject({ oggetto: 'Salvato da Anna', version: 2 });
    expect(await countAudit()).toBe(audits);
  });

  it('answers 422 on invalid edits, keeping the version and storing nothing', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Intatto' });
    const res = await post(valid({ codice: cig.codice, oggetto: '', version: '1' }), `/cig/${cig.id}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('name="version" value="1"');
    expect((await ctx.knex('cig').where({ id: cig.id }).first()).oggetto).toBe('Intatto');
  });

  it('of two concurrent saves on the same version, stores one and answers 409 to the other', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Concorrente' });
    const [a, b] = await Promise.all([
      post(valid({ codice: cig.codice, oggetto: 'Versione A', version: '1' }), `/cig/${cig.id}`),
      post(valid({ codice: cig.codice, oggetto: 'Versione B', version: '1' }), `/cig/${cig.id}`),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const stored = await ctx.knex('cig').where({ id: cig.id }).first();
    expect(stored.version).toBe(2);
    expect(stored.oggetto).toBe(a.status === 302 ? 'Versione A' : 'Versione B');
    expect(Number((await ctx.knex('audit_log').where({ entita: 'cig', entita_id: cig.id }).count({ n: '*' }).first())?.n)).toBe(1);
  });

  it('refuses changing the code to one already registered', async () => {
    const a = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const b = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const res = await post(valid({ codice: a.codice, version: '1' }), `/cig/${b.id}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('CIG già presente');
    expect((await ctx.knex('cig').where({ id: b.id }).first()).codice).toBe(b.codice);
  });
});

describe('annulla, riattiva, elimina', () => {
  it('annulla and riattiva with audit rows', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const a = await post({ _csrf: ctx.token, version: '1', conferma: '1' }, `/cig/${cig.id}/annulla`);
    expect(a.status).toBe(302);
    expect((await ctx.knex('cig').where({ id: cig.id }).first()).stato).toBe('annullato');
    const r = await post({ _csrf: ctx.token, version: '2' }, `/cig/${cig.id}/riattiva`);
    expect(r.status).toBe(302);
    expect((await ctx.knex('cig').where({ id: cig.id }).first())).toMatchObject({ stato: 'attivo', version: 3 });
    const azioni = (await ctx.knex('audit_log').where({ entita: 'cig', entita_id: cig.id }).orderBy('id')).map((x) => x.azione);
    expect(azioni).toEqual(['annulla', 'riattiva']);
    const stale = await post({ _csrf: ctx.token, version: '1', conferma: '1' }, `/cig/${cig.id}/annulla`);
    expect(stale.status).toBe(302);
    expect((await ctx.knex('cig').where({ id: cig.id }).first()).stato).toBe('attivo');
  });

  it('words the void «Annulla il CIG», apart from the form’s cancel, with a confirmation box', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    const html = new RegExp(`<form method="post" action="/cig/${cig.id}/annulla"[\\s\\S]*?</form>`).exec(page.text)?.[0] ?? '';
    expect(html).toContain('>Annulla il CIG</button>');
    expect(html).toContain('<input class="form-check-input" type="checkbox" name="conferma" value="1" id="annulla-conferma">');
    expect(html).toContain('<label class="form-check-label" for="annulla-conferma">Confermo l’annullamento del CIG</label>');
    expect(readForm(page.text, { action: `/cig/${cig.id}/annulla` }).fields.conferma).toBeUndefined(); // not ticked in advance
    const edit = await ctx.agent.get(`/cig/${cig.id}/modifica`);
    expect(edit.text).toContain('>Torna indietro senza salvare</a>');
    expect(edit.text).not.toMatch(/>Annulla</);
  });

  it('refuses to void a CIG without the confirmation, with a clear message and nothing changed', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const before = await ctx.knex('cig').where({ id: cig.id }).first();
    const res = await post({ _csrf: ctx.token, version: String(before.version) }, `/cig/${cig.id}/annulla`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/cig/${cig.id}`);
    expect(await ctx.knex('cig').where({ id: cig.id }).first()).toEqual(before);
    expect(await ctx.knex('audit_log').where({ entita: 'cig', entita_id: cig.id })).toEqual([]);
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    expect(page.text).toContain('role="alert">Il CIG non è stato annullato: per annullarlo spunta «Confermo l’annullamento del CIG» e premi di nuovo «Annulla il CIG».</div>');
    // Ticked, the same post voids it.
    const done = await post({ _csrf: ctx.token, version: String(before.version), conferma: '1' }, `/cig/${cig.id}/annulla`);
    expect(done.status).toBe(302);
    expect(await ctx.knex('cig').where({ id: cig.id }).first()).toMatchObject({ stato: 'annullato', version: before.version + 1 });
    expect((await ctx.agent.get(`/cig/${cig.id}`)).text).toContain(`CIG ${cig.codice} annullato.`);
  });

  it('deletes an unused CIG after confirmation, never a used one', async () => {
    const unused = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const confirm = await ctx.agent.get(`/cig/${unused.id}/elimina`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Sì, elimina');
    expect((await post({ _csrf: ctx.token }, `/cig/${unused.id}/elimina`)).status).toBe(302);
    expect(await ctx.knex('cig').where({ id: unused.id }).first()).toBeUndefined();
    expect(await ctx.knex('audit_log').where({ entita: 'cig', entita_id: unused.id, azione: 'elimina' }).first()).toBeDefined();

    const used = await createCig(ctx.knex, ctx.cast.scuola1.id);
    await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: used.id });
    expect((await ctx.agent.get(`/cig/${used.id}/elimina`)).text).toContain('non si può eliminare');
    const res = await post({ _csrf: ctx.token }, `/cig/${used.id}/elimina`);
    expect(res.status).toBe(302);
    expect(await ctx.knex('cig').where({ id: used.id }).first()).toBeDefined();
  });
});

describe('record page: dove è usato and totals', () => {
  it('lists impegni and mandati with links and totals, warning when impegnato exceeds importo', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { importo_cents: 10000 });
    const imp = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cig.id, importo_cents: 8000 });
    await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cig.id, importo_cents: 4000 });
    const man = await createMandato(ctx.knex, ctx.cast.scuola1.id, imp, { cig_id: cig.id, importo_cents: 3000 });
    const page = await ctx.agent.get(`/cig/${cig.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/impegni/${imp.id}"`);
    expect(page.text).toContain(`href="/mandati/${man.id}"`);
    expect(page.text).toContain('120,00'); // impegnato
    expect(page.text).toContain('30,00'); // pagato
    expect(page.text).toContain('-20,00'); // residuo
    expect(page.text).toContain('superano l’importo');
    expect(page.text).not.toContain('>Elimina<');
  });
});

describe('documentUses', () => {
  it('counts and totals every use, beyond the rows it lists, and only the school’s own', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const older = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cig.id, importo_cents: 1000 });
    await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cig.id, importo_cents: 2000 });
    const newest = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cig.id, importo_cents: 4000 });
    const mandato = await createMandato(ctx.knex, ctx.cast.scuola1.id, older, { cig_id: cig.id, importo_cents: 500 });
    const uses = await documentUses(ctx.knex, 'cig_id', ctx.cast.scuola1.id, cig.id, 2);
    expect(uses.impegni.righe.map((r) => r.id)).toEqual([newest.id, expect.any(Number)]);
    expect(uses.impegni).toMatchObject({ numero: 3, totaleCents: 7000 });
    expect(uses.mandati).toMatchObject({ numero: 1, totaleCents: 500, righe: [{ id: mandato.id, importo_cents: 500 }] });
    expect(await documentUses(ctx.knex, 'cig_id', ctx.cast.scuola2.id, cig.id)).toEqual({
      impegni: { righe: [], numero: 0, totaleCents: 0 },
      mandati: { righe: [], numero: 0, totaleCents: 0 },
    });
  });
});

describe('school scoping and ids', () => {
  it('answers 404 for another school’s CIG on every route, and for bad ids', async () => {
    const foreign = await createCig(ctx.knex, ctx.cast.scuola2.id, { oggetto: 'Della seconda scuola' });
    for (const path of [`/cig/${foreign.id}`, `/cig/${foreign.id}/modifica`, `/cig/${foreign.id}/elimina`]) {
      expect((await ctx.agent.get(path)).status, path).toBe(404);
    }
    for (const path of [`/cig/${foreign.id}`, `/cig/${foreign.id}/elimina`, `/cig/${foreign.id}/annulla`, `/cig/${foreign.id}/riattiva`]) {
      expect((await post(valid({ codice: foreign.codice, version: '1' }), path)).status, path).toBe(404);
    }
    expect(await ctx.knex('cig').where({ id: foreign.id }).first()).toMatchObject({ oggetto: 'Della seconda scuola', stato: 'attivo' });
    for (const path of ['/cig/abc', '/cig/0', '/cig/99999999999', '/cig/1.5/modifica', "/cig/1'/modifica"]) {
      expect((await ctx.agent.get(path)).status, path).toBe(404);
    }
    expect((await ctx.agent.get('/cig')).text).not.toContain('Della seconda scuola');
  });
});
