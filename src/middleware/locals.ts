import type { NextFunction, Request, Response } from 'express';

export const currentYear = () => new Date().getFullYear();

/** Per-request view data: the flash messages, the esercizio in use, the current path. */
export function setLocals(req: Request, res: Response, next: NextFunction) {
  res.locals.currentPath = req.path;
  res.locals.esercizio = req.session?.esercizio ?? currentYear();
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash) delete req.session.flash;
  next();
}

export function flash(req: Request, tipo: 'success' | 'info' | 'warning' | 'danger', testo: string) {
  req.session.flash = [...(req.session.flash ?? []), { tipo, testo }];
}

export function esercizioInUso(req: Request): number {
  return req.session.esercizio ?? currentYear();
}
