import { Router } from 'express';
import type { HealthService } from '../services/healthService.js';
import { paths } from '../paths.js';

export function healthRouter(health: HealthService) {
  const router = Router();
  router.get(paths.health, async (_req, res) => {
    const { ok, database } = await health.check();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database });
  });
  return router;
}
