import { beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { useTestDatabase } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs, TEST_ESERCIZIO, TEST_TODAY } from '../helpers/testApp.js';
import { readForm } from '../helpers/forms.js';
import { seedDemo } from '../../seeds/demo.js';

/**
 * Issue 6's journey on the demo data, through the app's own pages and forms:
 * after the import, the secretary opens Flussi, follows each error's link,
 * corrects it with the page it opens, and finally exports the lists.
 */
const ctx = useTestDatabase();
beforeAll(async () => {
  await seedDemo(ctx.knex, { today: TEST_TODAY });
});

const errorLinks = (html: string) =>
  [...html.matchAll(/<span class="badge bg-danger">Errore<\/span><\/td>\s*<td>[^<]*<\/td>\s*<td><a href="([^"]+)">/g)].map((m) => m[1]!);

/** Opens the edit form behind `href` (a record page or already an edit form), changes `change`, posts it. */
async function correct(agent: request.Agent, href: string, change: (f: Record<string, string>, options: Record<string, string[]>) => void) {
  const path = href.split('?')[0]!;
  const editHref = path.endsWith('/modifica') ? href : `${path}/modifica`;
  const page = await agent.get(editHref);
  expect(page.status, editHref).toBe(200);
  const form = readForm(page.text, { action: path.replace(/\/modifica$/, '') });
  change(form.fields, form.options);
  let res = await agent.post(form.action).type('form').send(form.fields);
  if (res.status === 422 && res.text.includes('name="conferma_cup"')) {
    // The voce has another CUP: keep the voce's, the document keeps its own.
    res = await agent.post(form.action).type('form').send({ ...form.fields, conferma_cup: '0' });
  }
  expect(res.status, `${form.action}: ${res.status} ${res.text.match(/<li><a href="#[^"]+">[^<]+/g)?.join(' | ') ?? ''}`).toBe(302);
  // An error's form comes back to the Flussi page it was opened from.
  const ritorno = new URLSearchParams(href.split('?')[1] ?? '').get('ritorno');
  if (ritorno) expect(res.headers.location, href).toBe(ritorno);
  return ritorno;
}

describe('Flussi dalla verifica all’esportazione', () => {
  it('fixes every error through its link and then exports', async () => {
    const { app } = buildTestApp(ctx.db);
    const admin = await loginAs(app, 'admin', 'demo-admin');
    const token = await csrfToken(admin, '/impostazioni/importazione');
    expect((await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1' })).status).toBe(302);

    const secretary = await loginAs(app, 'segreteria', 'demo-segreteria');
    const esercizio = TEST_ESERCIZIO;
    const first = await secretary.get(`/flussi`);
    const links = [...new Set(errorLinks(first.text))];
    expect(links.length).toBeGreaterThan(0);
    // Documents are fixed on their form, which comes back here.
    for (const href of links.filter((h) => /^\/(impegni|mandati)\//.test(h))) expect(href).toMatch(/\/modifica\?ritorno=%2Fflussi/);
    expect((await secretary.get(`/flussi/${esercizio}/elenchi.xml`)).status).toBe(409);

    for (const href of links) {
      if (href.startsWith('/cig/')) {
        await correct(secretary, href, (f) => {
          f.data_generazione = `${esercizio - 1}-03-15`;
        });
      } else if (href.startsWith('/impegni/') || href.startsWith('/mandati/')) {
        await correct(secretary, href, (f, options) => {
          // An unreadable legacy CIG: the spesa gets a registered CIG, or a motivo when none fits.
          if (!f.cig_id && !f.motivo_esclusione_cig) f.motivo_esclusione_cig = 'SPESE_ECONOMALI';
          // An unreadable legacy CUP: pick the project from the register.
          if (!f.cup_id && options.cup_id && options.cup_id.length > 1) f.cup_id = options.cup_id.find((v) => v !== '')!;
        });
      } else {
        throw new Error(`Unexpected link ${href}`);
      }
    }

    const after = await secretary.get(`/flussi`);
    expect(errorLinks(after.text)).toEqual([]);
    expect(after.text).toMatch(/<strong>0<\/strong> errori/);
    const xml = await secretary.get(`/flussi/${esercizio}/elenchi.xml`);
    expect(xml.status).toBe(200);
    expect(xml.text).toContain('<ElencoCIG numero="');
    const csv = await secretary.get(`/flussi/${esercizio}/cig.csv`);
    expect(csv.status).toBe(200);
    expect((await secretary.get(`/flussi`)).text).toContain('Elenco CIG (CSV)</td>');
  });
});
