import { describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, loginAs } from '../helpers/testApp.js';

/** "Today" is the app's clock: the esercizio a session starts in and a new document's date follow it. */
const ctx = useTwoSchools();

describe('orologio dell’app', () => {
  it('starts the session in the clock’s year and proposes the clock’s day (in Rome) as the date', async () => {
    // 23:30 UTC on 31 December is already 1 January in Rome.
    const { app } = buildTestApp(ctx.db, { clock: () => new Date('2030-12-31T23:30:00Z') });
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const home = await agent.get('/');
    expect(home.text).toMatch(/<option value="2031"\s+selected/);
    const form = await agent.get('/impegni/nuovo');
    expect(form.text).toMatch(/name="data"[^>]*value="2031-01-01"|value="2031-01-01"[^>]*name="data"/);
  });

  it('names the register exports with the clock’s day', async () => {
    const { app } = buildTestApp(ctx.db, { clock: () => new Date('2029-05-06T08:00:00Z') });
    const agent = await loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const csv = await agent.get('/cig/export.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('cig-2029-05-06.csv');
  });
});
