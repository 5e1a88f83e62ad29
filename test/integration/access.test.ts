import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';

const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];

const MENU = ['/cig', '/cup', '/impegni', '/mandati', '/creditori', '/impostazioni/piano-destinazioni', '/flussi'];

beforeAll(async () => {
  app = buildTestApp(ctx.db).app;
});

describe('accesso', () => {
  it('sends anonymous page requests to the login, keeping the target', async () => {
    for (const path of ['/', ...MENU, '/impostazioni/importazione', '/impostazioni/dati-aperti']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.location).toBe(`/login?ritorno=${encodeURIComponent(path)}`);
    }
  });

  it('answers 401 JSON to anonymous JSON requests', async () => {
    const res = await request(app).get('/cig').set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/accedi/i);
  });

  it('opens every menu entry for a secretary', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    for (const path of ['/', ...MENU]) {
      const res = await agent.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text).toContain('Gestione CIG');
    }
  });

  it('keeps admin pages from secretaries (403) and opens them to admins', async () => {
    const secretary = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const refused = await secretary.get('/impostazioni/importazione');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('riservata agli amministratori');
    expect((await secretary.get('/')).text).not.toContain('Importazione CIG/CUP</span>');
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    expect((await admin.get('/impostazioni/importazione')).status).toBe(200);
    expect((await admin.get('/')).text).toContain('Importazione CIG/CUP</span>');
    expect((await secretary.get('/impostazioni/dati-aperti')).status).toBe(403);
    expect((await secretary.get('/')).text).not.toContain('Dati aperti CIG/CUP</span>');
    expect((await admin.get('/impostazioni/dati-aperti')).status).toBe(200);
    expect((await admin.get('/')).text).toContain('Dati aperti CIG/CUP</span>');
  });

  it('answers 404 with an Italian page for unknown paths', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const res = await agent.get('/non-esiste');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Pagina non trovata');
  });

  it('shows each school only its own name and figures', async () => {
    const one = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const two = await loginAs(app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const a = (await one.get('/')).text;
    const b = (await two.get('/')).text;
    expect(a).toContain(ctx.cast.scuola1.denominazione);
    expect(a).not.toContain(ctx.cast.scuola2.denominazione);
    expect(b).toContain(ctx.cast.scuola2.denominazione);
    expect(b).not.toContain(ctx.cast.scuola1.denominazione);
  });
});

describe('CSRF', () => {
  it('refuses a POST without a token (403) and with a wrong one', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const without = await agent.post('/logout').type('form').send({});
    expect(without.status).toBe(403);
    expect(without.text).toContain('Ricarica la pagina');
    const wrong = await agent.post('/logout').type('form').send({ _csrf: 'token-falso' });
    expect(wrong.status).toBe(403);
    // Still logged in: the refused logout did nothing.
    expect((await agent.get('/')).status).toBe(200);
  });

  it('refuses a login POST without a token', async () => {
    const res = await request(app).post('/login').type('form').send({ username: 'x', password: 'y' });
    expect(res.status).toBe(403);
  });

  it('accepts the token in the x-csrf-token header (background posts)', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/esercizio').set('x-csrf-token', token).type('form').send({ esercizio: '2025' });
    expect(res.status).toBe(302);
    expect((await agent.get('/')).text).toContain('esercizio 2025');
  });
});

describe('intestazioni di sicurezza', () => {
  it('sends a CSP without inline scripts and hides X-Powered-By', async () => {
    const res = await request(app).get('/login');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('turns on HSTS, upgrade-insecure-requests and secure cookies with TLS', async () => {
    const tlsApp = buildTestApp(ctx.db, { tls: true }).app;
    const res = await request(tlsApp).get('/login').set('X-Forwarded-Proto', 'https');
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
