import { describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { createImpegno } from '../helpers/factories.js';

/** The import banner and the import page say only what there is to do. */
const ctx = useTwoSchools();

const BANNER = 'data-banner="importazione"';

describe('importazione: il banner e la pagina', () => {
  it('a school with no code written as text never sees the banner nor a button that would do nothing', async () => {
    const { app } = buildTestApp(ctx.db);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    await createImpegno(ctx.knex, ctx.cast.scuola1.id); // linked to nothing, with no legacy text
    expect((await admin.get('/cig')).text).not.toContain(BANNER);
    const page = await admin.get('/impostazioni/importazione');
    expect(page.text).toContain('data-importazione="niente-da-fare"');
    expect(page.text).not.toContain('Esegui importazione');
  });

  it('with codes written in the documents: the banner leads to the import, and after the run both say it is done', async () => {
    const { app } = buildTestApp(ctx.db);
    const admin = await loginAs(app, ctx.cast.admin.username, ctx.cast.admin.password);
    const imp = await createImpegno(ctx.knex, ctx.cast.scuola1.id);
    await ctx.knex('impegni').where({ id: imp.id }).update({ cig_testo: '1234567CE7' });
    // The other school's secretary sees nothing: the banner is about her own school.
    const other = await loginAs(app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await other.get('/cig')).text).not.toContain(BANNER);

    expect((await admin.get('/cig')).text).toContain(BANNER);
    const before = await admin.get('/impostazioni/importazione');
    expect(before.text).toContain('Esegui importazione');
    const token = await csrfToken(admin, '/impostazioni/importazione');
    const run = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1' });
    expect(run.status).toBe(302);
    const id = Number(run.headers.location!.split('/').pop());

    expect((await admin.get('/cig')).text).not.toContain(BANNER);
    const after = await admin.get('/impostazioni/importazione');
    expect(after.text).not.toContain('Esegui importazione');
    expect(after.text).toContain(`href="/impostazioni/importazione/${id}">report n. ${id}</a>`);
  });
});
