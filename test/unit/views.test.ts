import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { setUpViews } from '../../src/views.js';

/**
 * The page's locals reach its includes with the include's own data, and a polluted
 * Object.prototype never stands in for a global a template calls, neither in the page
 * (its locals are copied without prototype by setUpViews) nor in an include (by EJS).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-viste-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const probe = `<%= encodeURIComponent('a b') %>`;
fs.writeFileSync(path.join(dir, 'pagina.ejs'), `${probe} <%= titolo %> [<%- include('/parziale', { riga: 7 }) %>]`);
fs.writeFileSync(path.join(dir, 'parziale.ejs'), `${probe} <%= titolo %> <%= riga %>`);

function render(viewCache: boolean): Promise<string> {
  const app = express();
  setUpViews(app, dir);
  app.set('view cache', viewCache);
  return new Promise((resolve, reject) => app.render('pagina', { titolo: 'Elenco' }, (err, html) => (err ? reject(err) : resolve(html!))));
}

describe('setUpViews', () => {
  it.each([true, false])('renders a page and its include on their locals (view cache %s)', async (viewCache) => {
    expect(await render(viewCache)).toBe('a%20b Elenco [a%20b Elenco 7]');
  });

  it('never takes a global from a polluted Object.prototype', async () => {
    (Object.prototype as Record<string, unknown>).encodeURIComponent = () => 'INQUINATO';
    try {
      expect(await render(true)).toBe('a%20b Elenco [a%20b Elenco 7]');
    } finally {
      delete (Object.prototype as Record<string, unknown>).encodeURIComponent;
    }
  });
});
