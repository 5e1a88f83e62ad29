import { Router } from 'express';
import { paths } from '../paths.js';

/** Guida: one static page for every logged-in user (the admin's links shown to admins only). */
export function guidaRouter() {
  const router = Router();
  router.get(paths.guida, (_req, res) => {
    res.render('guida/index', { title: 'Guida' });
  });
  return router;
}
