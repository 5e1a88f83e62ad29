import { Router } from 'express';
import { requireRole } from '../middleware/auth.js';

/**
 * Menu entries whose pages arrive with later releases: each answers with an
 * "in arrivo" page so the menu is complete and every entry works.
 */
const PAGES: readonly { path: string; title: string; admin: boolean }[] = [];

export function inArrivoRouter() {
  const router = Router();
  for (const page of PAGES) {
    const render = (_req: unknown, res: import('express').Response) => res.render('in-arrivo', { title: page.title });
    if (page.admin) router.get(page.path, requireRole('admin'), render);
    else router.get(page.path, render);
  }
  return router;
}
