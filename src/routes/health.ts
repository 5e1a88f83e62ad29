import { Router } from 'express';
import type { Knex } from 'knex';
import { pingDatabase, type DatabaseKind } from '../db/database.js';
import { paths } from './paths.js';

export function healthRouter(knex: Knex, kind: DatabaseKind) {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    const ok = await pingDatabase(knex);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: kind });
  });
  return router;
}
