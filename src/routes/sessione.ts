import { Router } from 'express';
import { saveSession } from '../middleware/session.js';
import { paths } from '../paths.js';

/**
 * Resta collegato (public/js/sessione.js): a logged-in page about to lose its
 * idle session renews it in the background. Behind requireLogin and the CSRF
 * check like every POST; the save writes the new expiry now (an ordinary
 * request moves it at most once a minute). 204: nothing to show.
 */
export function sessioneRouter() {
  const router = Router();
  router.post(paths.sessioneRinnova, async (req, res) => {
    req.session.touch(); // the cookie's expiry from now (express-session would do it only after this handler)
    await saveSession(req);
    res.status(204).end();
  });
  return router;
}
