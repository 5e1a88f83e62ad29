import type { Express } from 'express';
import ejs from 'ejs';

/**
 * EJS pages from `viewsDir`. Includes are written from that folder
 * ('/partials/top') and EJS gets it as `root`, so it resolves them without
 * looking for the file on disk at every render (bench/BENCHMARKS.md: ~9 % of
 * the CPU under load went to those lookups). Compiled templates are cached
 * when Express's "view cache" is on (production).
 */
export function setUpViews(app: Express, viewsDir: string) {
  // EJS copies the locals of every template it runs into an object without prototype, so that a
  // polluted Object.prototype can never stand in for a global a template uses (with(locals) would
  // find it there first). An include already gets such a copy from EJS (its page's locals and its
  // own data): copying it again was about half of EJS's copying, 5 % of the app's CPU under load
  // (bench/BENCHMARKS.md). With unsafePrototypeLocals EJS renders on the object it is given, and
  // the page's own object is made without prototype here.
  const options = { root: viewsDir, views: [viewsDir], unsafePrototypeLocals: true } as ejs.Options;
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', (file, data, callback) => {
    const cache = Boolean(app.get('view cache'));
    // Line numbers in template errors only where templates are not cached (development, tests).
    ejs.renderFile(file, withoutPrototype(data), { ...options, cache, compileDebug: !cache }, callback);
  });
}

const withoutPrototype = (data: object): ejs.Data => Object.assign(Object.create(null) as ejs.Data, data);
