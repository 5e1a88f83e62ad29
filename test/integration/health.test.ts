import { describe, expect, it } from 'vitest';
import request from 'supertest';
import knexFactory from 'knex';
import { testDbKind, useTestDatabase } from '../helpers/testDatabase.js';
import session from 'express-session';
import { buildTestApp, csrfToken } from '../helpers/testApp.js';
import { migrateLatest } from '../../src/db/database.js';
import { MIGRATIONS } from '../../migrations/index.js';

const ctx = useTestDatabase();

describe('file statici', () => {
  it('serves the app’s CSS and scripts without a login, and nothing else from the public folder root', async () => {
    const { app } = buildTestApp(ctx.db);
    const css = await request(app).get('/css/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const js = await request(app).get('/js/picker.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect((await request(app).get('/vendor/bootstrap-italia/css/bootstrap-italia.min.css')).status).toBe(200);
    // The folder names are the only way in: /app.css is just an unknown page (anonymous → login).
    expect((await request(app).get('/app.css')).status).toBe(302);
  });
});

describe('GET /health', () => {
  it('answers ok with the kind of database, without a login', async () => {
    const res = await request(buildTestApp(ctx.db).app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: testDbKind });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers 503 when the database does not answer', async () => {
    const dead = knexFactory({ client: 'pg', connection: 'postgres://nessuno@127.0.0.1:1/x', acquireConnectionTimeout: 1000, pool: { min: 0, max: 1 } });
    // Sessions in memory here, so the login form still opens and the login itself meets the dead database.
    const { app } = buildTestApp({ knex: dead, kind: 'postgresql', close: () => dead.destroy() }, {}, new session.MemoryStore());
    const res = await request(app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    const agent = request.agent(app);
    const token = await csrfToken(agent);
    const page = await agent.post('/login').type('form').send({ username: 'segreteria', password: 'x', _csrf: token });
    expect(page.status).toBe(503);
    expect(page.text).toContain('Il database non risponde');
    await dead.destroy();
  });
});

describe('migrazioni', () => {
  it('run up on an empty database and again as a no-op', async () => {
    // The test database is already migrated: running again applies nothing.
    expect(await migrateLatest(ctx.knex)).toEqual([]);
    await ctx.knex.migrate.rollback(undefined, true);
    const tables = await ctx.knex.raw(`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'impegni'`);
    expect(tables.rows[0].n).toBe(0);
    const applied = await migrateLatest(ctx.knex);
    expect(applied.length).toBeGreaterThan(0);
    expect(await migrateLatest(ctx.knex)).toEqual([]);
  });

  it('apply the one migration missing, even when the rest are there (the quick check at start says no)', async () => {
    const last = MIGRATIONS.at(-1)!.name;
    await ctx.knex.migrate.down();
    expect(await ctx.knex('knex_migrations').where({ name: last }).first()).toBeUndefined();
    expect(await migrateLatest(ctx.knex)).toEqual([last]);
    expect(await migrateLatest(ctx.knex)).toEqual([]);
  });

  it('refuse a database migrated by a newer version instead of starting on it', async () => {
    await ctx.knex('knex_migrations').insert({ name: '29991231_01_futura.ts', batch: 99, migration_time: new Date() });
    try {
      await expect(migrateLatest(ctx.knex)).rejects.toThrow(/29991231_01_futura/);
    } finally {
      await ctx.knex('knex_migrations').where({ name: '29991231_01_futura.ts' }).del();
    }
    expect(await migrateLatest(ctx.knex)).toEqual([]);
  });
});
