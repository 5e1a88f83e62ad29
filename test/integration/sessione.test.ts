import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';

const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];

beforeAll(async () => {
  app = buildTestApp(ctx.db).app;
});

/** The stored expiry of the newest session of the segreteria (each test logs in anew), after a page view. */
async function expiry(agent: request.Agent): Promise<number> {
  await agent.get('/guida');
  const row = await ctx.knex('session')
    .whereRaw("(sess::jsonb ->> 'userId')::int = ?", [ctx.cast.segreteria.id])
    .orderBy('expire', 'desc')
    .first('expire');
  if (!row) throw new Error('sessione non trovata');
  return new Date(row.expire as Date).getTime();
}

describe('Resta collegato (POST /sessione/rinnova)', () => {
  it('renews the session: 204, and the stored expiry moves forward at once', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const before = await expiry(agent);
    await new Promise((r) => setTimeout(r, 1100));
    // An ordinary page view within the minute does not write the expiry again…
    expect(await expiry(agent)).toBe(before);
    // …the renewal does.
    const res = await agent.post('/sessione/rinnova').set('x-csrf-token', token).set('Accept', 'application/json');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await expiry(agent)).toBeGreaterThanOrEqual(before + 1000);
  });

  it('tells every logged-in page how long the session lasts idle, and where to renew it', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const page = (await agent.get('/')).text;
    // Eight hours, counted a minute short (the store writes the expiry at most once a minute).
    expect(page).toContain('<meta name="bi-sessione" content="28740000" data-rinnova="/sessione/rinnova" data-accesso="/login">');
    expect(page).toContain('<script src="/js/sessione.js"></script>');
    expect((await request(app).get('/login')).text).not.toContain('bi-sessione');
  });

  it('is refused without the CSRF token (403)', async () => {
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    expect((await agent.post('/sessione/rinnova').set('Accept', 'application/json')).status).toBe(403);
    expect((await agent.post('/sessione/rinnova').set('x-csrf-token', 'falso')).status).toBe(403);
  });

  it('needs a logged-in user: an expired session gets 401, never a new one', async () => {
    const agent = request.agent(app);
    const token = await csrfToken(agent, '/login');
    const res = await agent.post('/sessione/rinnova').set('x-csrf-token', token).set('Accept', 'application/json');
    expect(res.status).toBe(401);
    expect(res.body.error).toContain('Sessione scaduta');
    // A browser's ordinary request goes to the login instead.
    const html = await agent.post('/sessione/rinnova').set('x-csrf-token', token);
    expect(html.status).toBe(302);
    expect(html.headers.location).toMatch(/^\/login\?/);
  });
});
