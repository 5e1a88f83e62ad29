import type { NextFunction, Request, Response } from 'express';
import { formatDateIt, todayIso, yearOf } from '../domain/dates.js';
import type { Clock } from '../clock.js';

/** Now, by the app's clock (createApp's `clock`, kept in the app's settings). */
export function nowOf(req: Request): Date {
  return (req.app.get('clock') as Clock)();
}

/** Today in Rome, 'YYYY-MM-DD', by the app's clock. */
export function todayOf(req: Request): string {
  return todayIso(nowOf(req));
}

/** The esercizio a session starts in: the current year. */
export function currentEsercizio(req: Request): number {
  return yearOf(todayOf(req));
}

/** Per-request view data: the flash messages (consumed by pages only), the esercizio in use, the current path, today (the printed pages' date). */
export function setLocals(req: Request, res: Response, next: NextFunction) {
  res.locals.currentPath = req.path;
  const oggi = todayOf(req);
  res.locals.oggi = formatDateIt(oggi);
  const anno = yearOf(oggi);
  res.locals.esercizio = req.session?.esercizio ?? anno;
  // The header's choice of esercizio: next year down to five years ago.
  res.locals.anniEsercizio = Array.from({ length: 7 }, (_, i) => anno + 1 - i);
  // A page shows the flash messages once; a background request of a page's script (JSON: the
  // form's verifica, a picker's search) neither shows nor consumes them, or the page the user is
  // going to would lose the message of a save if the script's request arrived first.
  res.locals.flash = req.session?.flash ?? [];
  if (req.session?.flash && req.accepts(['html', 'json']) === 'html') delete req.session.flash;
  next();
}

export function flash(req: Request, tipo: 'success' | 'info' | 'warning' | 'danger', testo: string) {
  req.session.flash = [...(req.session.flash ?? []), { tipo, testo }];
}

export function esercizioInUso(req: Request): number {
  return req.session.esercizio ?? currentEsercizio(req);
}
