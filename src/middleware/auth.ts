import type { NextFunction, Request, Response } from 'express';
import type { AuthService } from '../services/authService.js';
import type { CurrentUser, Ruolo } from '../repositories/utentiRepository.js';
import { paths } from '../paths.js';
import { wantsJson } from './errors.js';
import { userLabel } from '../presenters/userPresenter.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: CurrentUser;
    /** The user the session store read with the session (null: none, or not active); undefined when it read none. */
    sessionUser?: CurrentUser | null;
  }
}

/**
 * The logged-in user (and the school), once per request: as the session store
 * read it with the session, or from the database when the store read none.
 */
export function loadCurrentUser(auth: AuthService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session.userId;
    if (userId) {
      const user = req.sessionUser?.id === userId ? req.sessionUser : await auth.currentUser(userId);
      if (user) {
        req.user = user;
        res.locals.user = user;
        res.locals.userLabel = userLabel(user);
      } else {
        delete req.session.userId;
      }
    }
    next();
  };
}

export function requireLogin(req: Request, res: Response, next: NextFunction) {
  if (req.user) return next();
  if (wantsJson(req)) {
    res.status(401).json({ error: 'Sessione scaduta: accedi di nuovo.' });
    return;
  }
  const target = req.method === 'GET' ? req.originalUrl : paths.home;
  res.redirect(`${paths.login}?${new URLSearchParams({ ritorno: target })}`);
}

export function requireRole(ruolo: Ruolo) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.user?.ruolo === ruolo) return next();
    res.status(403);
    if (wantsJson(req)) {
      res.json({ error: 'Operazione riservata agli amministratori.' });
      return;
    }
    res.render('errors/403', { title: 'Accesso non consentito' });
  };
}

/** The user in a handler behind requireLogin. */
export function currentUser(req: Request): CurrentUser {
  if (!req.user) throw new Error('currentUser() usato fuori da requireLogin');
  return req.user;
}
