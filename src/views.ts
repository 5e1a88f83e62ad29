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
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.engine('ejs', (file, data, callback) => {
    const cache = Boolean(app.get('view cache'));
    // Line numbers in template errors only where templates are not cached (development, tests).
    ejs.renderFile(file, data as ejs.Data, { root: viewsDir, views: [viewsDir], cache, compileDebug: !cache }, callback);
  });
}
