import { beforeAll, describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createImpegno, createUtente } from '../helpers/factories.js';
import { findConto } from '../../src/repositories/contiRepository.js';

/** Impostazioni → Piano dei conti: each conto's SIOPE classification, admin only, on the real app and database. */
const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];
let admin2: Awaited<ReturnType<typeof createUtente>>;
type Agent = Awaited<ReturnType<typeof loginAs>>;
type Conto = { id: number; tipo: number; conto: number; sottoconto: number };

const LIST = '/impostazioni/conti';
let cancelleria: Conto;
let hardware: Conto;
let pulizie: Conto;
let altraScuola: Conto;

const adminOf1 = () => loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
const row = (id: number) => ctx.knex('piano_conti').where({ id }).first();
const edit = (id: number, query = '') => `${LIST}/${id}/modifica${query}`;
const versionOn = async (agent: Agent, id: number) => /name="version" value="(\d+)"/.exec((await agent.get(edit(id))).text)![1]!;

async function post(agent: Agent, id: number, fields: Record<string, string>, options: { version?: string; query?: string } = {}) {
  const token = await csrfToken(agent, edit(id));
  return agent
    .post(`${LIST}/${id}${options.query ?? ''}`)
    .type('form')
    .send({ ...fields, version: options.version ?? (await versionOn(agent, id)), _csrf: token });
}

async function insertConto(scuolaId: number, tipo: number, conto: number, sottoconto: number, descrizione: string, extra: object = {}): Promise<Conto> {
  const [r] = await ctx.knex('piano_conti').insert({ scuola_id: scuolaId, tipo, conto, sottoconto, descrizione, ...extra }).returning('*');
  return r;
}

beforeAll(async () => {
  app = buildTestApp(ctx.db).app;
  admin2 = await createUtente(ctx.knex, ctx.cast.scuola2.id, { ruolo: 'admin' });
  const s1 = ctx.cast.scuola1.id;
  cancelleria = await insertConto(s1, 2, 1, 1, 'Carta, cancelleria e stampati', { codice_siope: '1201', natura_spesa: 'CORRENTE' });
  hardware = await insertConto(s1, 4, 1, 1, "Beni d'investimento: Hardware");
  pulizie = await insertConto(s1, 2, 2, 2, 'Materiale igienico e di pulizia', { attivo: false });
  altraScuola = await insertConto(ctx.cast.scuola2.id, 3, 7, 1, 'Trasporti della scuola due', { codice_siope: '1308' });
  const impegno = await createImpegno(ctx.knex, s1);
  await ctx.knex('impegni').where({ id: impegno.id }).update({ conto_id: cancelleria.id });
});

describe('Impostazioni → Piano dei conti', () => {
  it('lists every conto of the school in plan order, with codice SIOPE, natura, whether in use and its impegni (and the menu links it)', async () => {
    const agent = await adminOf1();
    const page = await agent.get(LIST);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="${LIST}"`);
    const order = ['2/1/1', '2/2/2', '4/1/1'].map((c) => page.text.indexOf(`data-conto="${c}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.text).toContain('1201');
    expect(page.text).toContain('Spesa corrente');
    expect(page.text).toContain('non più in uso');
    expect(page.text).toContain('da indicare');
    expect(page.text).not.toContain('Trasporti della scuola due');
    expect(page.text).toContain(`href="${edit(hardware.id)}"`);
  });

  it('the filter «solo senza codice SIOPE» leaves out the conti that have one, and its edit links keep it', async () => {
    const agent = await adminOf1();
    const page = await agent.get(`${LIST}?senza_siope=1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-conto="4/1/1"');
    expect(page.text).toContain('data-conto="2/2/2"');
    expect(page.text).not.toContain('data-conto="2/1/1"');
    expect(page.text).toContain(`href="${edit(hardware.id, '?senza_siope=1')}"`);
  });

  it('saves codice and natura: spaces removed, version moved on, audited, a flash, back to the list with its filter, the history on the form', async () => {
    const agent = await adminOf1();
    const before = await row(hardware.id);
    const form = await agent.get(edit(hardware.id, '?senza_siope=1'));
    expect(form.status).toBe(200);
    expect(form.text).toContain(`action="${LIST}/${hardware.id}?senza_siope=1"`);
    const res = await post(agent, hardware.id, { codice_siope: ' 21 01 ', natura_spesa: 'CAPITALE' }, { query: '?senza_siope=1' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${LIST}?senza_siope=1`);
    expect(await row(hardware.id)).toMatchObject({ codice_siope: '2101', natura_spesa: 'CAPITALE', version: before.version + 1, updated_by: ctx.cast.admin.id });
    const list = await agent.get(res.headers.location!);
    expect(list.text).toContain('Conto 4/1/1 salvato.');
    expect(list.text).not.toContain('data-conto="4/1/1"');
    const audit = await ctx.knex('audit_log').where({ entita: 'conto', entita_id: hardware.id, azione: 'modifica' }).orderBy('id', 'desc').first();
    expect(audit.utente_id).toBe(ctx.cast.admin.id);
    expect(audit.scuola_id).toBe(ctx.cast.scuola1.id);
    expect(audit.prima).toMatchObject({ codice_siope: null, natura_spesa: null });
    expect(audit.dopo).toMatchObject({ codice_siope: '2101', natura_spesa: 'CAPITALE' });
    const shown = await agent.get(edit(hardware.id));
    expect(shown.text).toContain('value="2101"');
    expect(shown.text).toContain('Storia delle modifiche');
    expect(shown.text).toContain('Spesa in conto capitale');
    // The repository the payment order will use reads it back.
    expect(await findConto(ctx.knex, ctx.cast.scuola1.id, hardware.id)).toMatchObject({ codice_siope: '2101', natura_spesa: 'CAPITALE' });
    expect(await findConto(ctx.knex, ctx.cast.scuola2.id, hardware.id)).toBeUndefined();
  });

  it('both may be emptied again', async () => {
    const agent = await adminOf1();
    expect((await post(agent, pulizie.id, { codice_siope: '1204', natura_spesa: 'CORRENTE' })).status).toBe(302);
    expect((await post(agent, pulizie.id, { codice_siope: '', natura_spesa: '' })).status).toBe(302);
    expect(await row(pulizie.id)).toMatchObject({ codice_siope: null, natura_spesa: null });
  });

  it('the impegno’s page shows its conto’s codice SIOPE', async () => {
    const agent = await adminOf1();
    const impegno = await ctx.knex('impegni').where({ conto_id: cancelleria.id }).first('id');
    const page = await agent.get(`/impegni/${impegno.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('codice SIOPE 1201');
  });

  const INVALID: [string, Record<string, string>, string][] = [
    ['codice_siope', { codice_siope: '230' }, 'Il codice SIOPE è fatto di sole cifre, di solito 4 per una scuola'],
    ['codice_siope', { codice_siope: '23A1' }, 'per esempio 2301'],
    ['codice_siope', { codice_siope: '12345678901' }, 'al massimo 10'],
    ['codice_siope', { codice_siope: 'U.1.03.01.02.001' }, 'Il codice SIOPE è fatto di sole cifre'],
    ['natura_spesa', { natura_spesa: 'corrente' }, 'Scegli la natura della spesa dall’elenco'],
    ['natura_spesa', { natura_spesa: 'MISTA' }, 'Scegli la natura della spesa dall’elenco'],
  ];

  it.each(INVALID)('a wrong %s: 422 with its message, what was typed kept, nothing stored', async (field, change, message) => {
    const agent = await adminOf1();
    const before = await row(cancelleria.id);
    const res = await post(agent, cancelleria.id, { codice_siope: '1299', natura_spesa: 'CAPITALE', ...change });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`id="${field}-error"`);
    if (field === 'natura_spesa') expect(res.text).toContain('value="1299"');
    expect(res.text).toContain('Storia delle modifiche');
    expect(await row(cancelleria.id)).toEqual(before);
  });

  it('an unknown field, a missing or wrong version: 422, never 500, nothing stored', async () => {
    const agent = await adminOf1();
    const before = await row(cancelleria.id);
    expect((await post(agent, cancelleria.id, { codice_siope: '1299', scuola_id: String(ctx.cast.scuola2.id) })).status).toBe(422);
    expect((await post(agent, cancelleria.id, { codice_siope: '1299' }, { version: 'abc' })).status).toBe(422);
    expect((await post(agent, cancelleria.id, { codice_siope: '1299' }, { version: '' })).status).toBe(422);
    const token = await csrfToken(agent, LIST);
    const arrays = await agent.post(`${LIST}/${cancelleria.id}`).type('form').send(`codice_siope=1&codice_siope=2&version=1&_csrf=${encodeURIComponent(token)}`);
    expect(arrays.status).toBe(422);
    expect(await row(cancelleria.id)).toEqual(before);
  });

  it('a missing CSRF token: 403, nothing stored', async () => {
    const agent = await adminOf1();
    const before = await row(cancelleria.id);
    const res = await agent.post(`${LIST}/${cancelleria.id}`).type('form').send({ codice_siope: '1299', version: String(before.version) });
    expect(res.status).toBe(403);
    expect(await row(cancelleria.id)).toEqual(before);
  });

  it('a stale version: 409 with both versions, nothing overwritten', async () => {
    const a = await adminOf1();
    const b = await adminOf1();
    const stale = await versionOn(b, cancelleria.id);
    expect((await post(a, cancelleria.id, { codice_siope: '1211', natura_spesa: 'CORRENTE' })).status).toBe(302);
    const before = await row(cancelleria.id);
    const res = await post(b, cancelleria.id, { codice_siope: '1222', natura_spesa: 'CAPITALE' }, { version: stale });
    expect(res.status).toBe(409);
    expect(res.text).toContain('qualcun altro ha salvato');
    expect(res.text).toContain('1222');
    expect(res.text).toContain('1211');
    expect(await row(cancelleria.id)).toEqual(before);
  });

  it('the secretary gets 403 on the list, the form and the save, and the menu does not list it', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const before = await row(cancelleria.id);
    expect((await agent.get(LIST)).status).toBe(403);
    expect((await agent.get(edit(cancelleria.id))).status).toBe(403);
    const token = await csrfToken(agent, '/');
    expect((await agent.post(`${LIST}/${cancelleria.id}`).type('form').send({ codice_siope: '1299', version: String(before.version), _csrf: token })).status).toBe(403);
    expect((await agent.get('/')).text).not.toContain(`href="${LIST}"`);
    expect(await row(cancelleria.id)).toEqual(before);
  });

  it('isolation: another school’s conto is a 404 to see and to save; its admin sees only its own', async () => {
    const agent = await adminOf1();
    const theirs = await row(altraScuola.id);
    expect((await agent.get(edit(altraScuola.id))).status).toBe(404);
    const token = await csrfToken(agent, LIST);
    const save = (fields: Record<string, string>) =>
      agent.post(`${LIST}/${altraScuola.id}`).type('form').send({ ...fields, version: String(theirs.version), _csrf: token });
    expect((await save({ codice_siope: '9999', natura_spesa: 'CAPITALE' })).status).toBe(404);
    expect((await save({ codice_siope: 'xx' })).status).toBe(404);
    expect((await agent.get(edit(999_999_999))).status).toBe(404);
    expect((await agent.get(`${LIST}/abc/modifica`)).status).toBe(404);
    expect(await row(altraScuola.id)).toEqual(theirs);

    const other = await loginAs(app, admin2.username, 'password-di-prova');
    const page = await other.get(LIST);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Trasporti della scuola due');
    expect(page.text).not.toContain('Carta, cancelleria e stampati');
    expect((await other.get(edit(cancelleria.id))).status).toBe(404);
  });
});
