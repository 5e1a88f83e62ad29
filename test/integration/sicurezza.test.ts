import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createAuthService, LOGIN_THROTTLE } from '../../src/services/authService.js';

const ctx = useTwoSchools();

/** Return addresses that a browser would follow to another host, or that are no path at all. */
const HOSTILE = ['//evil.example', '/\\evil.example', '/%5Cevil.example', '/\t/evil.example', 'https:evil.example', 'javascript:alert(1)', '/\uFF0F\uFF0Fevil.example', '/evil\u3002example'];

describe('return addresses taken from the request never leave the site', () => {
  it.each(HOSTILE)('POST /esercizio with ritorno %j goes home', async (ritorno) => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/esercizio').type('form').send({ _csrf: token, esercizio: '2026', ritorno });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
  });

  it('POST /esercizio still comes back to the page it was sent from', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/esercizio').type('form').send({ _csrf: token, esercizio: '2026', ritorno: '/cig?q=arredi' });
    expect(res.headers.location).toBe('/cig?q=arredi');
  });

  it.each(HOSTILE)('POST /login with ritorno %j goes home', async (ritorno) => {
    const { app } = buildTestApp(ctx.db);
    const agent = request.agent(app);
    const token = await csrfToken(agent);
    const res = await agent.post('/login').type('form').send({ username: ctx.cast.segreteria.username, password: ctx.cast.segreteria.password, _csrf: token, ritorno });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
  });

  it.each(HOSTILE)('the + form of a register drops ritorno %j', async (ritorno) => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const form = await agent.get(`/cup/nuovo?ritorno=${encodeURIComponent(ritorno)}`);
    expect(form.status).toBe(200);
    expect(form.text).not.toContain('evil');
  });
});

describe('login throttling under a burst', () => {
  it('checks at most the limit of 50 parallel wrong passwords, then refuses even the right one', async () => {
    const auth = createAuthService(ctx.knex);
    const username = ctx.cast.admin.username;
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => auth.login({ username, password: `sbagliata-${i}`, ip: `10.0.0.${i}` }, now)),
    );
    const invalid = results.filter((r) => !r.ok && r.reason === 'invalid').length;
    const throttled = results.filter((r) => !r.ok && r.reason === 'throttled').length;
    expect(invalid).toBe(LOGIN_THROTTLE.maxPerUsername);
    expect(throttled).toBe(50 - LOGIN_THROTTLE.maxPerUsername);
    const stored = await ctx.knex('login_tentativi').where({ username }).count<{ count: string }[]>('* as count');
    expect(Number(stored[0]!.count)).toBe(LOGIN_THROTTLE.maxPerUsername);
    expect(await auth.login({ username, password: ctx.cast.admin.password, ip: '10.0.1.1' }, now)).toEqual({ ok: false, reason: 'throttled' });
  });

  it('lets the right password in when it is among the first attempts of a burst, never more than the limit in all', async () => {
    const auth = createAuthService(ctx.knex);
    const username = ctx.cast.segreteria2.username;
    const now = new Date();
    const attempts = [
      auth.login({ username, password: ctx.cast.segreteria2.password, ip: '10.0.2.1' }, now),
      ...Array.from({ length: 49 }, (_, i) => auth.login({ username, password: `sbagliata-${i}`, ip: `10.0.2.${i + 2}` }, now)),
    ];
    const results = await Promise.all(attempts);
    const checked = results.filter((r) => r.ok || r.reason === 'invalid').length;
    expect(checked).toBeLessThanOrEqual(LOGIN_THROTTLE.maxPerUsername + 1);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
    const failures = await ctx.knex('login_tentativi').where({ username, riuscito: false }).count<{ count: string }[]>('* as count');
    expect(Number(failures[0]!.count)).toBeLessThanOrEqual(LOGIN_THROTTLE.maxPerUsername);
  });

  it('counts the attempts of one address across usernames under a burst', async () => {
    const auth = createAuthService(ctx.knex);
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: LOGIN_THROTTLE.maxPerIp + 10 }, (_, i) => auth.login({ username: `nessuno-${i}`, password: 'x', ip: '10.9.9.9' }, now)),
    );
    expect(results.filter((r) => !r.ok && r.reason === 'invalid').length).toBe(LOGIN_THROTTLE.maxPerIp);
  });
});

describe('pages and exports are never kept by the browser', () => {
  it.each(['/', '/cig', '/cig/export.csv', '/cup/export.xlsx', '/impegni', '/login'])('%s answers Cache-Control: no-store', async (page) => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const res = await agent.get(page);
    expect(res.status).toBeLessThan(400);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the login page is not kept either, and static assets still are cacheable', async () => {
    const { app } = buildTestApp(ctx.db);
    expect((await request(app).get('/login')).headers['cache-control']).toBe('no-store');
    expect((await request(app).get('/css/app.css')).headers['cache-control']).not.toBe('no-store');
  });
});
