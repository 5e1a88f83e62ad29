import { beforeAll, describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createUtente } from '../helpers/factories.js';

/** Impostazioni → Scuola e cassiere: the school's identity towards its bank, admin only, on the real app and database. */
const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];
let admin2: Awaited<ReturnType<typeof createUtente>>;
type Agent = Awaited<ReturnType<typeof loginAs>>;

const PAGE = '/impostazioni/scuola';
const GOOD = {
  codice_fiscale: '97812345011', descrizione_ente: 'Istituto Comprensivo di prova', codice_ipa: 'ISTSC_RMIC81200X', codice_univoco_ufficio: 'uf7k2m',
  codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
  codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente ai sensi dell’art. 16 Tabella B DPR 642/1972',
  spese_soggetto: 'A CARICO ENTE',
};

const adminOf1 = () => loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
const scuola = (id: number) => ctx.knex('scuole').where({ id }).first();
const versionOn = async (agent: Agent) => /name="version" value="(\d+)"/.exec((await agent.get(PAGE)).text)![1]!;

async function post(agent: Agent, fields: Record<string, string>, version?: string) {
  const token = await csrfToken(agent, PAGE);
  return agent.post(PAGE).type('form').send({ ...fields, version: version ?? (await versionOn(agent)), _csrf: token });
}

beforeAll(async () => {
  app = buildTestApp(ctx.db).app;
  admin2 = await createUtente(ctx.knex, ctx.cast.scuola2.id, { ruolo: 'admin' });
});

describe('Impostazioni → Scuola e cassiere', () => {
  it('the admin sees the page (in the menu too) and saves: codes normalised, version moved on, an audit row with before and after', async () => {
    const agent = await adminOf1();
    const page = await agent.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Scuola e cassiere');
    expect(page.text).toContain(`href="${PAGE}"`);
    const before = await scuola(ctx.cast.scuola1.id);
    const res = await post(agent, GOOD);
    expect(res.status).toBe(303);
    const after = await scuola(ctx.cast.scuola1.id);
    expect(after).toMatchObject({ ...GOOD, codice_ipa: 'istsc_rmic81200x', codice_univoco_ufficio: 'UF7K2M', version: before.version + 1, updated_by: ctx.cast.admin.id });
    const audit = await ctx.knex('audit_log').where({ entita: 'scuola', entita_id: ctx.cast.scuola1.id, azione: 'modifica' }).orderBy('id', 'desc').first();
    expect(audit.utente_id).toBe(ctx.cast.admin.id);
    expect(audit.prima.codice_abi).toBe(before.codice_abi);
    expect(audit.dopo.codice_abi).toBe('03069');
    const shown = await agent.get(PAGE);
    expect(shown.text).toContain('value="03069"');
    expect(shown.text).toContain('Storia delle modifiche');
    expect(shown.text).toContain('Codice ABI della banca cassiera');
  });

  it('everything may be emptied again (a school fills it in when it starts sending mandati)', async () => {
    const agent = await adminOf1();
    const empty = Object.fromEntries(Object.keys(GOOD).map((k) => [k, '']));
    expect((await post(agent, empty)).status).toBe(303);
    expect(await scuola(ctx.cast.scuola1.id)).toMatchObject({ codice_abi: null, codice_univoco_ufficio: null, bollo_assoggettamento: null, codice_fiscale: null });
    expect((await post(agent, GOOD)).status).toBe(303);
  });

  it('the secretary gets 403, on the page and on the save, and the menu does not list it', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    expect((await agent.get(PAGE)).status).toBe(403);
    const token = await csrfToken(agent, '/');
    expect((await agent.post(PAGE).type('form').send({ ...GOOD, version: '1', _csrf: token })).status).toBe(403);
    expect((await agent.get('/')).text).not.toContain(`href="${PAGE}"`);
  });

  it('a missing CSRF token: 403, nothing stored', async () => {
    const agent = await adminOf1();
    const before = await scuola(ctx.cast.scuola1.id);
    const res = await agent.post(PAGE).type('form').send({ ...GOOD, codice_abi: '01234', version: String(before.version) });
    expect(res.status).toBe(403);
    expect(await scuola(ctx.cast.scuola1.id)).toEqual(before);
  });

  const INVALID: [string, Record<string, string>, string][] = [
    ['codice_fiscale', { codice_fiscale: '97812345012' }, 'Cifra di controllo errata'],
    ['codice_fiscale', { codice_fiscale: 'RSSMRA80A01H501U' }, 'Una scuola ha il codice fiscale numerico di 11 cifre'],
    ['descrizione_ente', { descrizione_ente: 'x'.repeat(301) }, 'al massimo 300 caratteri'],
    ['codice_ipa', { codice_ipa: 'istsc-rmic' }, 'Il codice IPA dell’ente è fatto di lettere minuscole'],
    ['codice_univoco_ufficio', { codice_univoco_ufficio: 'UF7K2' }, 'Il codice univoco ufficio ha 6 caratteri'],
    ['codice_istat', { codice_istat: '12345' }, 'Il codice ISTAT dell’ente (codice SIOPE) ha da 9 a 15 cifre'],
    ['codice_abi', { codice_abi: '3069' }, 'Il codice ABI ha 5 cifre, per esempio 03069'],
    ['codice_ente', { codice_ente: 'UF7K2M9' }, 'Il codice ente ha 6 caratteri'],
    ['codice_ente_bt', { codice_ente_bt: 'x'.repeat(31) }, 'Il codice ente BT'],
    ['codice_tramite_ente', { codice_tramite_ente: 'A2A-1234' }, 'Il codice tramite ente si scrive A2A-'],
    ['codice_tramite_bt', { codice_tramite_bt: '12345678' }, 'Il codice tramite BT si scrive A2A-'],
    ['bollo_assoggettamento', { bollo_assoggettamento: 'ESENTE' }, 'Scegli il bollo dall’elenco'],
    ['bollo_causale_esenzione', { bollo_causale_esenzione: '' }, 'Per l’esenzione dal bollo scrivi la causale'],
    ['bollo_causale_esenzione', { bollo_assoggettamento: 'ASSOGGETTATO BOLLO A CARICO ENTE' }, 'La causale di esenzione vale solo se scegli'],
    ['spese_soggetto', { spese_soggetto: 'BANCA' }, 'Scegli chi paga le spese bancarie dall’elenco'],
  ];

  it.each(INVALID)('a wrong %s: 422 with its message, what was typed kept, nothing stored', async (field, change, message) => {
    const agent = await adminOf1();
    const before = await scuola(ctx.cast.scuola1.id);
    const [kept, typed] = field === 'codice_abi' ? ['codice_ente_bt', 'KEPT77'] : ['codice_abi', '05034'];
    const res = await post(agent, { ...GOOD, [kept]: typed, ...change });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain(`value="${typed}"`);
    expect(await scuola(ctx.cast.scuola1.id)).toEqual(before);
  });

  it('an unknown field or a wrong version field: 422, never 500', async () => {
    const agent = await adminOf1();
    expect((await post(agent, { ...GOOD, ruolo: 'admin' })).status).toBe(422);
    expect((await post(agent, GOOD, 'abc')).status).toBe(422);
  });

  it('a stale version: 409 with both versions, nothing overwritten', async () => {
    const a = await adminOf1();
    const b = await adminOf1();
    const stale = await versionOn(b);
    expect((await post(a, { ...GOOD, codice_ente_bt: 'PRIMO' })).status).toBe(303);
    const before = await scuola(ctx.cast.scuola1.id);
    const res = await post(b, { ...GOOD, codice_ente_bt: 'SECONDO' }, stale);
    expect(res.status).toBe(409);
    expect(res.text).toContain('qualcun altro ha salvato');
    expect(res.text).toContain('SECONDO');
    expect(await scuola(ctx.cast.scuola1.id)).toEqual(before);
  });

  it('isolation: the admin of school 2 sees and saves only school 2', async () => {
    const agent = await loginAs(app, admin2.username, 'password-di-prova');
    const one = await scuola(ctx.cast.scuola1.id);
    const page = await agent.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.text).toContain(ctx.cast.scuola2.denominazione);
    expect(page.text).not.toContain(ctx.cast.scuola1.denominazione);
    expect(page.text).not.toContain('value="03069"');
    // School 1's version number gives no access to school 1's row: the save is school 2's.
    const res = await post(agent, { ...GOOD, codice_fiscale: '97812345029', codice_abi: '08327' }, String(one.version));
    expect([303, 409]).toContain(res.status);
    expect(await scuola(ctx.cast.scuola1.id)).toEqual(one);
    expect((await post(agent, { ...GOOD, codice_fiscale: '97812345029', codice_abi: '08327' })).status).toBe(303);
    expect(await scuola(ctx.cast.scuola2.id)).toMatchObject({ codice_abi: '08327', updated_by: admin2.id });
    expect(await scuola(ctx.cast.scuola1.id)).toEqual(one);
  });
});
