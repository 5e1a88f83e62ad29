import { describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { LOGIN_THROTTLE } from '../../src/services/authService.js';
import { SESSION_COOKIE, TOUCH_INTERVAL } from '../../src/middleware/session.js';
import { deleteExpiredSessions } from '../../src/repositories/sessioniRepository.js';
import { LOGOUT_MESSAGE } from '../../src/routes/auth.js';
import { createUtente } from '../helpers/factories.js';

const ctx = useTwoSchools();

/** A new visitor on the login page of a fresh app: her agent and CSRF token. */
async function visitor() {
  const { app } = buildTestApp(ctx.db);
  const agent = request.agent(app);
  return { app, agent, token: await csrfToken(agent) };
}

describe('login e logout', () => {
  it('shows the login form with a CSRF token', async () => {
    const { app } = buildTestApp(ctx.db);
    const res = await request(app).get('/login');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Accedi a Bilancio Scuola');
    expect(res.text).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it('logs in with the right password, regenerating the session id', async () => {
    const { agent, token } = await visitor();
    const before = (await agent.get('/login')).headers['set-cookie'];
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: ctx.cast.segreteria.username, password: ctx.cast.segreteria.password, _csrf: token });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/bilancio\.sid=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toBe(String(before));
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(ctx.cast.scuola1.denominazione);
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const { agent, token } = await visitor();
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: ctx.cast.admin.username, password: 'sbagliata', _csrf: token });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Nome utente o password non corretti');
    expect((await agent.get('/')).status).toBe(302);
  });

  it('answers 422 with field messages when fields are missing', async () => {
    const { agent, token } = await visitor();
    const res = await agent.post('/login').type('form').send({ _csrf: token });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Inserisci il nome utente');
    expect(res.text).toContain('href="#username"');
  });

  it('follows a same-site return path but never an external one', async () => {
    const { app, agent, token } = await visitor();
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ username: ctx.cast.segreteria.username, password: ctx.cast.segreteria.password, _csrf: token, ritorno: '/cig' });
    expect(ok.headers.location).toBe('/cig');
    const agent2 = request.agent(app);
    const token2 = await csrfToken(agent2);
    const evil = await agent2
      .post('/login')
      .type('form')
      .send({ username: ctx.cast.segreteria.username, password: ctx.cast.segreteria.password, _csrf: token2, ritorno: '//evil.example' });
    expect(evil.headers.location).toBe('/');
  });

  it('logs out and the old cookie no longer opens pages', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?uscito=1');
    const after = await agent.get('/');
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
  });

  it('says on the login page that the user has logged out, as a status message', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/logout').type('form').send({ _csrf: token });
    const login = await agent.get(res.headers.location!);
    expect(login.status).toBe(200);
    expect(login.text).toContain('Accedi a Bilancio Scuola');
    expect(login.text).toContain(`role="status">${LOGOUT_MESSAGE}<`);
    // Only once: the next visit to the login page no longer says it.
    expect((await agent.get('/login')).text).not.toContain(LOGOUT_MESSAGE);
  });

  it('shows only the fixed sentence, never text from the address', async () => {
    const { app } = buildTestApp(ctx.db);
    const plain = await request(app).get('/login');
    expect(plain.text).not.toContain(LOGOUT_MESSAGE);
    const odd = await request(app).get('/login?uscito=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(odd.status).toBe(200);
    expect(odd.text).not.toContain(LOGOUT_MESSAGE);
    expect(odd.text).not.toContain('<script>alert(1)');
  });

  it('slows down repeated failures: after the limit even the right password waits', async () => {
    const { agent, token } = await visitor();
    const username = ctx.cast.segreteria2.username;
    for (let i = 0; i < LOGIN_THROTTLE.maxPerUsername; i++) {
      const r = await agent.post('/login').type('form').send({ username, password: `errata-${i}`, _csrf: token });
      expect(r.status).toBe(401);
    }
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ username, password: ctx.cast.segreteria2.password, _csrf: token });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Troppi tentativi');
    // An hour later the window has passed: the service lets the right password in.
    const later = await buildTestApp(ctx.db).services.auth.login(
      { username, password: ctx.cast.segreteria2.password, ip: '127.0.0.1' },
      new Date(Date.now() + 60 * 60_000),
    );
    expect(later.ok).toBe(true);
  });
});

describe('l’utente nell’intestazione', () => {
  /** The text of the header's user label, spaces collapsed. */
  // The header's user: its visible text, whole (a phone cuts it with an ellipsis, its title keeps it).
  const label = (html: string) => {
    const m = /data-testid="utente" title="([^"]*)">[\s\S]*?<span class="utente-testo">([\s\S]*?)<\/span>/.exec(html);
    return m?.[1] !== undefined && m[1] === m[2] ? m[1].trim() : `title «${m?.[1]}» ≠ testo «${m?.[2]}»`;
  };

  it('shows the name and the role once', async () => {
    const { app } = buildTestApp(ctx.db);
    const dsga = await createUtente(ctx.knex, ctx.cast.scuola1.id, { nome: 'Maria Rossi (DSGA)' });
    const plain = await createUtente(ctx.knex, ctx.cast.scuola1.id, { nome: 'Paolo Verdi' });
    const admin = await createUtente(ctx.knex, ctx.cast.scuola1.id, { nome: 'Carla Neri', ruolo: 'admin' });
    const pageOf = async (u: { username: string; password: string }) => (await (await loginAs(app, u.username, u.password)).get('/')).text;
    expect(label(await pageOf(dsga))).toBe('Maria Rossi (DSGA)');
    expect(label(await pageOf(plain))).toBe('Paolo Verdi (segreteria)');
    expect(label(await pageOf(admin))).toBe('Carla Neri (amministratore)');
  });
});

describe('sessione nel database', () => {
  it('survives an app restart', async () => {
    const first = buildTestApp(ctx.db);
    const agent = await loginAs(first.app, ctx.cast.admin.username, ctx.cast.admin.password);
    const res = await agent.get('/');
    const cookie = res.request.cookies;
    const second = buildTestApp(ctx.db);
    const again = await request(second.app).get('/').set('Cookie', cookie);
    expect(again.status).toBe(200);
    expect(again.text).toContain(ctx.cast.scuola1.denominazione);
    const stored = await ctx.knex('session').count<{ count: string }[]>('* as count');
    expect(Number(stored[0]!.count)).toBeGreaterThan(0);
  });
});

/** The session id behind the agent's signed cookie. */
function sessionIdOf(agent: request.Agent, url: string) {
  const cookie = agent.jar.getCookie(SESSION_COOKIE, { domain: new URL(url).hostname, path: '/', secure: false, script: false });
  return decodeURIComponent(cookie!.value).slice(2).split('.')[0];
}

describe('la sessione e il suo utente', () => {
  it('are read in one query per page, not one each', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    await agent.get('/'); // reads the login's flash message
    const statements: string[] = [];
    const record = (query: { sql: string }) => statements.push(query.sql);
    ctx.knex.on('query', record);
    try {
      const res = await agent.get('/cig');
      expect(res.status).toBe(200);
      expect(res.text).toContain(ctx.cast.scuola1.denominazione);
    } finally {
      ctx.knex.off('query', record);
    }
    expect(statements.filter((sql) => sql.includes('"session"'))).toHaveLength(1);
    expect(statements.filter((sql) => sql.includes('"utenti"'))).toHaveLength(1);
    expect(statements.find((sql) => sql.includes('"utenti"'))).toContain('"session"');
  });

  it('ends at the next page when the user is deactivated meanwhile', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    expect((await agent.get('/')).status).toBe(200);
    await ctx.knex('utenti').where({ id: ctx.cast.segreteria.id }).update({ attivo: false });
    try {
      const res = await agent.get('/cig');
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login\?ritorno=/);
    } finally {
      await ctx.knex('utenti').where({ id: ctx.cast.segreteria.id }).update({ attivo: true });
    }
    // Reactivated, the old session stays logged out: the user id left it at the refusal.
    expect((await agent.get('/')).status).toBe(302);
  });

  it('is pruned once expired, and only then', async () => {
    const sess = { cookie: { originalMaxAge: 1000 } };
    await ctx.knex('session').insert([
      { sid: 'prune-scaduta', sess: JSON.stringify(sess), expire: ctx.knex.raw("now() - interval '1 minute'") },
      { sid: 'prune-viva', sess: JSON.stringify(sess), expire: ctx.knex.raw("now() + interval '1 minute'") },
    ]);
    expect(await deleteExpiredSessions(ctx.knex)).toBeGreaterThanOrEqual(1);
    expect(await ctx.knex('session').whereIn('sid', ['prune-scaduta', 'prune-viva']).pluck('sid')).toEqual(['prune-viva']);
  });

  it('is dropped when expired, even before pruning removes the row', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    expect((await agent.get('/')).status).toBe(200);
    const url = (await agent.get('/')).request.url;
    const sid = sessionIdOf(agent, url);
    await ctx.knex('session').where({ sid }).update({ expire: ctx.knex.raw("now() - interval '1 second'") });
    expect((await agent.get('/')).status).toBe(302);
  });
});

describe('scadenza della sessione', () => {
  /** The session's expiry as stored, for the session behind the agent's cookie. */
  async function storedExpiry(agent: request.Agent, url: string) {
    const sid = sessionIdOf(agent, url);
    const row = await ctx.knex('session').where({ sid }).first('expire');
    return new Date(row.expire).getTime();
  }

  it('moves forward at most once a minute, not with a write on every page', async () => {
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    // The first page after login changes the session (its flash message is read), the second one touches it.
    await agent.get('/');
    const first = await agent.get('/');
    expect(first.status).toBe(200);
    const url = first.request.url;
    const afterFirst = await storedExpiry(agent, url);

    // The session's clock moves on, not the test's: 5 s later (well inside a minute)
    // a touch would store a later expiry, so an unchanged one proves there was none.
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now + 5_000);
      expect((await agent.get('/')).status).toBe(200);
      expect(await storedExpiry(agent, url)).toBe(afterFirst);

      clock.mockReturnValue(now + TOUCH_INTERVAL + 1_000);
      expect((await agent.get('/')).status).toBe(200);
    } finally {
      clock.mockRestore();
    }
    expect(await storedExpiry(agent, url)).toBeGreaterThan(afterFirst);
  });
});

describe('log', () => {
  it('never writes passwords or session cookies', async () => {
    const built = buildTestApp(ctx.db);
    const agent = await loginAs(built.app, ctx.cast.admin.username, ctx.cast.admin.password);
    await agent.get('/');
    const all = built.logs.join('\n');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(ctx.cast.admin.password);
    expect(all).not.toMatch(/bilancio\.sid=/);
  });
});

describe('password dimostrative in produzione', () => {
  it('refuses a refused (demo) password even when it is the right one', async () => {
    const { createAuthService } = await import('../../src/services/authService.js');
    const auth = createAuthService(ctx.knex, { refusedPasswords: [ctx.cast.admin.password] });
    const result = await auth.login({ username: ctx.cast.admin.username, password: ctx.cast.admin.password, ip: '10.9.9.9' });
    expect(result).toEqual({ ok: false, reason: 'invalid' });
  });
});
