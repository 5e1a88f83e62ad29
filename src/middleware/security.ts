import type { Express, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.js';

/**
 * Helmet with a strict CSP: scripts only from this origin (no inline scripts
 * anywhere). HSTS and upgrade-insecure-requests only when the deployment
 * really serves TLS, otherwise plain-HTTP access from another host breaks.
 */
export function setUpSecurity(app: Express, config: Config) {
  app.disable('x-powered-by');
  if (config.trustProxy > 0) app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.tls ? [] : null,
        },
      },
      strictTransportSecurity: config.tls,
    }),
  );
}

/**
 * Pages and exports are a school's accounts: no browser or proxy keeps a copy, so a shared
 * office PC shows nothing of them after logout (Back included). Static assets come before this.
 */
export function noStore(_req: Request, res: Response, next: NextFunction) {
  res.set('Cache-Control', 'no-store');
  next();
}
