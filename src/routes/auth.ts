import { Router } from 'express';
import type { AuthService } from '../services/authService.js';
import { loginSchema } from '../validation/authSchemas.js';
import { fromFieldErrors, toFormErrors } from '../validation/formErrors.js';
import { addQuery, paths, safeReturnPath } from '../paths.js';
import { currentEsercizio } from '../middleware/locals.js';
import { destroySession, regenerateSession, saveSession, SESSION_COOKIE } from '../middleware/session.js';

/** Only same-site paths are followed after login (no open redirect). */
const safeReturn = (value: unknown) => safeReturnPath(value) ?? paths.home;

/** What a refused login answers: the status and the message under the password. */
const REFUSED = {
  invalid: { status: 401, message: 'Nome utente o password non corretti.' },
  throttled: { status: 429, message: 'Troppi tentativi di accesso non riusciti: attendi 15 minuti e riprova, oppure chiedi all’amministratore.' },
} as const;

/**
 * After logout the session is gone, so the login page learns it from a flag in its
 * address and shows this fixed sentence (nothing from the request is echoed).
 */
const LOGOUT_FLAG = 'uscito';
export const LOGOUT_MESSAGE = 'Hai chiuso la sessione di Bilancio Scuola. Per continuare, accedi di nuovo.';

export function authRouter(auth: AuthService) {
  const router = Router();

  router.get(paths.login, (req, res) => {
    if (req.user) return res.redirect(paths.home);
    if (req.query[LOGOUT_FLAG] === '1') res.locals.flash = [...res.locals.flash, { tipo: 'info', testo: LOGOUT_MESSAGE }];
    res.render('auth/login', { title: 'Accesso', values: {}, ritorno: safeReturn(req.query.ritorno) });
  });

  router.post(paths.login, async (req, res) => {
    const ritorno = safeReturn(req.body?.ritorno);
    const parsed = loginSchema.safeParse(req.body ?? {});
    const values = { username: typeof req.body?.username === 'string' ? req.body.username : '' };
    if (!parsed.success) {
      return res.status(422).render('auth/login', { title: 'Accesso', values, ritorno, ...toFormErrors(parsed.error) });
    }
    const result = await auth.login({ ...parsed.data, ip: req.ip ?? 'sconosciuto' });
    if (!result.ok) {
      const { status, message } = REFUSED[result.reason];
      return res.status(status).render('auth/login', { title: 'Accesso', values, ritorno, ...fromFieldErrors({ password: message }) });
    }
    // A new session id at login: a session fixed before login is worthless.
    await regenerateSession(req);
    req.session.userId = result.user.id;
    req.session.esercizio = currentEsercizio(req);
    await saveSession(req);
    res.redirect(ritorno);
  });

  router.post(paths.logout, async (req, res) => {
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE);
    res.redirect(addQuery(paths.login, { [LOGOUT_FLAG]: '1' }));
  });

  return router;
}
