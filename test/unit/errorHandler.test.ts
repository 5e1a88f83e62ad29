import { describe, expect, it, vi } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import path from 'node:path';
import express from 'express';
import { errorHandler } from '../../src/middleware/errors.js';
import { setUpViews } from '../../src/views.js';
import { paths } from '../../src/paths.js';

const logger = { warn: vi.fn(), error: vi.fn() } as unknown as Logger;
const next = (() => {}) as NextFunction;

function fakes(headersSent: boolean, writableEnded = false) {
  const req = { session: { userId: 1 }, socket: { destroy: vi.fn() }, accepts: () => 'html' };
  const res = { headersSent, writableEnded, setHeader: vi.fn(), status: vi.fn(), render: vi.fn(), json: vi.fn() };
  return { req, res, handle: (err: Error) => errorHandler(logger, false)(err, req as unknown as Request, res as unknown as Response, next) };
}

const withCode = (message: string, code?: string) => Object.assign(new Error(message), { code });

describe('errorHandler: the database is down', () => {
  // The errors seen while `npm run guasti:postgres` stops, kills and restarts PostgreSQL.
  it.each([
    ['connection refused (server stopped)', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['pg_ctl stop -m fast on a running query', withCode('terminating connection due to administrator command', '57P01')],
    ['starting up or in recovery', withCode('the database system is not yet accepting connections', '57P03')],
    ['connection cut, with the query in front (knex)', withCode('select 1 - Connection terminated unexpectedly')],
  ])('%s → 503 with Retry-After, and no session save into it', (_name, err) => {
    const { req, res, handle } = fakes(false);
    handle(err);
    expect(res.status).toHaveBeenCalledWith(503);
    expect(res.setHeader).toHaveBeenCalledWith('Retry-After', '10');
    expect(res.render).toHaveBeenCalledWith('errors/503', expect.objectContaining({ message: expect.stringContaining('Il database non risponde') }));
    // express-session saves nothing for a request without a session: that save would fail too.
    expect(req.session).toBeUndefined();
  });

  it('other errors stay 500 and keep the session', () => {
    const { req, res, handle } = fakes(false);
    handle(new Error('qualcosa d’altro'));
    expect(res.status).toHaveBeenCalledWith(500);
    expect(req.session).toBeDefined();
  });
});

describe('errorHandler after the answer was sent', () => {
  it('keeps the connection of an answer sent in full (e.g. the session store failed saving afterwards)', () => {
    // The connection is keep-alive: closing it would cut off the client's next request on it.
    const { req, handle } = fakes(true, true);
    handle(withCode('Connection terminated unexpectedly'));
    expect(req.socket.destroy).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalled();
  });

  it('closes the connection of an answer cut off half-way, so the client cannot take it as complete', () => {
    const { req, handle } = fakes(true, false);
    handle(new Error('stream failed'));
    expect(req.socket.destroy).toHaveBeenCalledOnce();
  });
});

describe('la pagina 503', () => {
  it('says the service is unavailable even when no message is passed', async () => {
    const app = express();
    setUpViews(app, path.resolve('views'));
    Object.assign(app.locals, { paths, flash: [], errorList: [], fieldErrors: {}, currentPath: '/' });
    const html = await new Promise<string>((resolve, reject) =>
      app.render('errors/503', { title: 'Servizio momentaneamente non disponibile' }, (err, out) => (err ? reject(err) : resolve(out))),
    );
    expect(html).toContain('Il servizio non risponde in questo momento');
    expect(html).not.toContain('amministratori');
  });
});
