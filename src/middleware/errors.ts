import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

type HttpishError = Error & { code?: string; status?: number; statusCode?: number; type?: string };

// Connection failures of pg and of the pool: the database is down, not the request wrong.
const DATABASE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '08006', '08001', '08003']);

function isDatabaseDown(err: HttpishError) {
  return (
    (err.code !== undefined && DATABASE_DOWN_CODES.has(err.code)) ||
    err.name === 'KnexTimeoutError' ||
    /Connection terminated|Client has encountered a connection error/.test(err.message)
  );
}

/** The request asks for JSON (the + modal's background posts), not a page. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

function respond(req: Request, res: Response, status: number, view: string, title: string, message: string) {
  res.status(status);
  if (wantsJson(req)) {
    res.json({ error: message });
    return;
  }
  res.render(view, { title, message });
}

export function notFound(req: Request, res: Response) {
  respond(req, res, 404, 'errors/404', 'Pagina non trovata', 'La pagina richiesta non esiste o non è accessibile.');
}

export function errorHandler(logger: Logger, showDetails: boolean) {
  return (err: HttpishError, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // Already answered in full (e.g. the session store failed saving after the page was sent):
      // nothing to undo, and the connection may already carry the client's next request.
      // Cut off mid-answer: close the connection, so the client cannot take it as complete.
      logger.warn({ err: { message: err.message, code: err.code }, completed: res.writableEnded }, 'errore dopo l’invio della risposta');
      if (!res.writableEnded) req.socket.destroy();
      return;
    }
    if (err.code === 'EBADCSRFTOKEN') {
      respond(req, res, 403, 'errors/403', 'Richiesta non valida',
        'Il modulo è scaduto o non proviene da questa applicazione. Ricarica la pagina e riprova.');
      return;
    }
    const status = err.status ?? err.statusCode;
    if (status && status >= 400 && status < 500) {
      respond(req, res, status, 'errors/400', 'Richiesta non valida',
        status === 413 ? 'I dati inviati sono troppo grandi.' : 'I dati inviati non sono leggibili. Ricarica la pagina e riprova.');
      return;
    }
    if (isDatabaseDown(err)) {
      logger.error({ err: { message: err.message, code: err.code } }, 'database non raggiungibile');
      res.setHeader('Retry-After', '10');
      // No saving the session after this page: it would fail too, and that second error, past
      // this handler, would make Express's final handler close a connection the client reuses.
      delete (req as Partial<Request>).session;
      respond(req, res, 503, 'errors/503', 'Servizio momentaneamente non disponibile',
        'Il database non risponde. Riprova tra qualche istante: i dati già salvati sono al sicuro.');
      return;
    }
    logger.error({ err }, 'errore non gestito');
    res.status(500);
    if (wantsJson(req)) {
      res.json({ error: 'Errore interno: riprova. Se il problema persiste contatta l’assistenza.' });
      return;
    }
    res.render('errors/500', { title: 'Errore interno', message: 'Si è verificato un errore imprevisto. Riprova; se il problema persiste contatta l’assistenza.', details: showDetails ? err.stack : undefined });
  };
}
