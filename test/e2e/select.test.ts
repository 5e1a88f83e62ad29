import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createTwoSchools } from '../helpers/factories.js';
import { chromiumPath, closeWithoutErrors, openLoggedIn, screenshot, useBrowserApp } from '../helpers/browser.js';

/** Every select on the page as drawn: its id, computed appearance, and how many arrows its background images draw. */
const drawnSelects = (page: Page) =>
  page.$$eval('select', (selects) =>
    selects.map((s) => {
      const style = getComputedStyle(s);
      const images = style.backgroundImage;
      return {
        id: s.id,
        appearance: style.appearance,
        webkitAppearance: style.getPropertyValue('-webkit-appearance'),
        // Bootstrap Italia's chevron (the path "m2 5 6 6 6-6"); an invalid select adds an error icon, not an arrow.
        arrows: (images.match(/m2 5 6 6 6-6/g) ?? []).length,
        // The text stops before the arrow drawn at the right.
        paddingRight: parseFloat(style.paddingRight),
      };
    }),
  );

describe.skipIf(!chromiumPath)('le select nel browser', () => {
  const ctx = useBrowserApp((db) => createTwoSchools(db.knex));

  it('draw one arrow each (Bootstrap Italia’s), never the browser’s too, also when invalid', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/impegni/nuovo', ignore: (t) => t.includes('422') });
    const selects = await drawnSelects(page);
    // The header's esercizio, the form's pickers (voce, creditore, conto, CIG, CUP) and its plain selects.
    expect(selects.map((s) => s.id)).toEqual(expect.arrayContaining(['esercizio-in-uso', 'voce_id', 'cig_id', 'cup_id']));
    for (const s of selects) {
      expect(s, s.id).toMatchObject({ appearance: 'none', webkitAppearance: 'none', arrows: 1 });
      expect(s.paddingRight, s.id).toBeGreaterThanOrEqual(24);
    }
    await screenshot(page, 'select-una-freccia');

    // Saved empty: the required voce is refused, drawn with its arrow and the error icon, still one arrow.
    await page.click('#documento-salva');
    await page.waitForSelector('#voce_id.is-invalid');
    const invalid = (await drawnSelects(page)).find((s) => s.id === 'voce_id')!;
    expect(invalid).toMatchObject({ appearance: 'none', arrows: 1 });
    await closeWithoutErrors(page);
  });

  it('draws one arrow on a register’s form too', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/cig/nuovo' });
    const selects = await drawnSelects(page);
    expect(selects.length).toBeGreaterThan(1);
    for (const s of selects) expect(s, s.id).toMatchObject({ appearance: 'none', webkitAppearance: 'none', arrows: 1 });
    await closeWithoutErrors(page);
  });
});
