import path from 'node:path';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { setUpViews } from './views.js';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type session from 'express-session';
import type { Config } from './config.js';
import type { Services } from './services/index.js';
import { noStore, setUpSecurity } from './middleware/security.js';
import { setUpSession } from './middleware/session.js';
import { setUpCsrf } from './middleware/csrf.js';
import { loadCurrentUser, requireLogin } from './middleware/auth.js';
import { setLocals } from './middleware/locals.js';
import { systemClock, type Clock } from './clock.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { healthRouter } from './routes/health.js';
import { authRouter } from './routes/auth.js';
import { homeRouter } from './routes/home.js';
import { guidaRouter } from './routes/guida.js';
import { sessioneRouter } from './routes/sessione.js';
import { cigRouter } from './routes/cig.js';
import { cupRouter } from './routes/cup.js';
import { importazioneRouter } from './routes/importazione.js';
import { scuolaRouter } from './routes/scuola.js';
import { contiRouter } from './routes/conti.js';
import { datiApertiRouter } from './routes/datiAperti.js';
import { flussiRouter } from './routes/flussi.js';
import { distinteRouter } from './routes/distinte.js';
import { impegniRouter } from './routes/impegni.js';
import { mandatiRouter } from './routes/mandati.js';
import { pianoRouter } from './routes/piano.js';
import { creditoriRouter } from './routes/creditori.js';
import { daCompletareRouter } from './routes/daCompletare.js';
import { fattureRouter } from './routes/fatture.js';
import { fattureCaricaRouter } from './routes/fattureCarica.js';
import { fattureAzioniRouter } from './routes/fattureAzioni.js';
import { fatturePagamentiRouter } from './routes/fatturePagamenti.js';
import { importBanner } from './middleware/importBanner.js';
import { paths } from './paths.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bootstrapItalia = path.join(path.dirname(createRequire(import.meta.url).resolve('bootstrap-italia/package.json')), 'dist');

export type AppDeps = {
  config: Config;
  logger: Logger;
  sessionStore: session.Store;
  services: Services;
  /** Where "today" comes from (the esercizio, the default dates, file names); the system's clock unless a test fixes it. */
  clock?: Clock;
};

export function createApp({ config, logger, sessionStore, services, clock = systemClock }: AppDeps) {
  const app = express();
  app.set('clock', clock);
  // An array: EJS then resolves includes like 'partials/top' from any page's folder.
  setUpViews(app, path.join(root, 'views'));
  app.set('query parser', 'simple');
  // Defaults every view can rely on, even pages rendered before setLocals (e.g. a CSRF refusal).
  Object.assign(app.locals, { paths, flash: [], errorList: [], fieldErrors: {}, currentPath: '/', anniEsercizio: [] });

  setUpSecurity(app, config);
  app.use(pinoHttp({ logger, genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID(), quietReqLogger: true }));
  // Each asset folder on its own path: a static lookup at the root would cost a stat() on every page request.
  for (const folder of ['css', 'js']) {
    app.use(`/${folder}`, express.static(path.join(root, 'public', folder), { maxAge: config.isProduction ? '1d' : 0 }));
  }
  app.use('/vendor/bootstrap-italia', express.static(bootstrapItalia, { maxAge: config.isProduction ? '7d' : 0 }));
  app.use(healthRouter(services.health));
  app.use(noStore);
  setUpSession(app, sessionStore, config);
  // Pages that post a row per code (Da completare, the open-data proposals) get larger limits of their
  // own; the parser below then skips a body already read. Every other form keeps the small ones.
  app.post(paths.daCompletare(), express.urlencoded({ extended: false, limit: '1mb', parameterLimit: 1000 }));
  app.post(paths.impostazioni.datiApertiApplica, express.urlencoded({ extended: false, limit: '5mb', parameterLimit: 20_000 }));
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '200kb' }));
  setUpCsrf(app);
  app.use(setLocals);
  app.use(loadCurrentUser(services.auth));
  app.use(authRouter(services.auth));
  app.use(requireLogin);
  app.use(sessioneRouter());
  app.use(importBanner);
  app.use(homeRouter(services.home));
  app.use(guidaRouter());
  app.use(cigRouter(services.cig));
  app.use(cupRouter(services.cup));
  app.use(importazioneRouter(services.importazione));
  app.use(scuolaRouter(services.scuola));
  app.use(contiRouter(services.conti));
  app.use(datiApertiRouter(services.datiAperti));
  // Before the Flussi router: its /flussi/:esercizio/:file would take /flussi/cassiere/distinte.
  app.use(distinteRouter(services.distinte));
  app.use(flussiRouter(services.flussi));
  app.use(impegniRouter(services.impegni));
  app.use(mandatiRouter(services.mandati));
  app.use(pianoRouter(services.piano));
  app.use(creditoriRouter(services.creditori));
  app.use(daCompletareRouter(services.daCompletare));
  app.use(fattureCaricaRouter(services.fattureCaricamento));
  app.use(fattureAzioniRouter(services.fattureCollegamento, services.fatture));
  app.use(fatturePagamentiRouter(services.fatturePagamenti));
  app.use(fattureRouter(services.fatture));
  app.use(notFound);
  app.use(errorHandler(logger, !config.isProduction));
  return app;
}
