import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { testDbKind } from '../helpers/testDatabase.js';
import { createScuola, createUtente } from '../helpers/factories.js';
import { freshStore, login, post, startApp } from '../helpers/appProcess.js';
import { cigCheckOrdinario } from '../../src/domain/cig.js';

/**
 * The app keeps no state of its own between requests (docs/scala.md): sessions, flash
 * messages, the esercizio in use, CSRF secrets and login attempts live in the database.
 * Two app processes on different ports and one database serve one user who moves between
 * them at every step, as behind a load balancer without sticky sessions.
 * Only on the server: the embedded database belongs to one process by design.
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describe.skipIf(testDbKind !== 'postgresql')('due processi dell’app su un database', () => {
  it('move a logged-in secretary between them mid-journey without losing anything', { timeout: 120_000 }, async () => {
    const store = await freshStore(cleanups);
    const db = await openDatabase(store.options);
    const scuola = await createScuola(db.knex);
    const user = await createUtente(db.knex, scuola.id, { username: 'due-processi', password: 'password-due-processi' });
    await db.close();

    const [a, b] = await Promise.all([startApp(store.env, { SEED_DEMO: 'never' }), startApp(store.env, { SEED_DEMO: 'never' })]);
    cleanups.push(a.kill9, b.kill9);
    expect(a.base).not.toBe(b.base);

    // Logged in on A: B knows the session.
    const s = await login(a.base, user.username, user.password);
    const form = await fetch(`${b.base}/cig/nuovo`, { headers: { cookie: s.cookie }, redirect: 'manual' });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('Nuovo CIG');

    // The form from B is saved on A with B's CSRF token; A's flash message shows on B.
    const valid = `7123456${cigCheckOrdinario(7123456)}`;
    const saved = await post(a.base, '/cig', { cookie: s.cookie, token: csrfOf(html) }, {
      codice: valid, oggetto: 'Servizio di pulizia palestra', data_generazione: '2026-03-10', importo: '1.234,56',
    });
    expect(saved.status).toBe(302);
    const record = await fetch(`${b.base}${saved.headers.get('location')}`, { headers: { cookie: s.cookie } });
    const recordHtml = await record.text();
    expect(recordHtml).toContain(`CIG ${valid} inserito.`);
    expect(recordHtml).toContain('Servizio di pulizia palestra');
    // The flash was shown once: A does not show it again.
    expect(await (await fetch(`${a.base}${saved.headers.get('location')}`, { headers: { cookie: s.cookie } })).text()).not.toContain('inserito.');

    // The esercizio chosen on B is the one A uses.
    const changed = await post(b.base, '/esercizio', s, { esercizio: '2025', ritorno: '/' });
    expect(changed.status).toBe(302);
    expect(await (await fetch(`${a.base}/`, { headers: { cookie: s.cookie } })).text()).toMatch(/Esercizio 2025/);

    // Logged out on B: A refuses the session.
    expect((await post(b.base, '/logout', s, {})).status).toBe(302);
    const after = await fetch(`${a.base}/cig`, { headers: { cookie: s.cookie }, redirect: 'manual' });
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/^\/login/);
  });
});
