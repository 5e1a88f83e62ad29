import { Writable } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import session from 'express-session';
import { createApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createServices } from '../../src/services/index.js';
import { createSessionStore } from '../../src/middleware/session.js';
import type { Clock } from '../../src/clock.js';
import type { TestDatabase } from './testDatabase.js';

/**
 * The tests' "today": every app they build reads this clock, so that no test
 * depends on the day it runs (the esercizio a session starts in, default dates).
 */
export const TEST_TODAY = new Date('2026-11-27T10:00:00Z');
export const TEST_ESERCIZIO = 2026;
const testClock: Clock = () => new Date(TEST_TODAY);

/** The real app on a test database; logs are captured so tests can read them. */
export function buildTestApp(db: TestDatabase, overrides: Partial<Config> & { clock?: Clock } = {}, sessionStore?: session.Store) {
  const { clock = testClock, ...configOverrides } = overrides;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' }), ...configOverrides };
  const services = createServices(db.knex, { databaseKind: db.kind, clock });
  const app = createApp({
    config,
    logger: createLogger(config.logLevel, sink),
    sessionStore: sessionStore ?? createSessionStore(db.knex),
    services,
    clock,
  });
  return { app, services, logs };
}

/** The CSRF token of the session behind `agent`, read from a page's hidden field. */
export async function csrfToken(agent: request.Agent, page = '/login'): Promise<string> {
  const res = await agent.get(page);
  const match = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!match?.[1]) throw new Error(`Nessun token CSRF in ${page} (status ${res.status})`);
  return match[1];
}

/** A supertest agent logged in as the given user. */
export async function loginAs(app: Express, username: string, password: string) {
  const agent = request.agent(app);
  const token = await csrfToken(agent);
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: token });
  if (res.status !== 302) throw new Error(`Login di ${username} non riuscito: ${res.status}`);
  return agent;
}

/** A download (XLSX, ZIP…) read whole as bytes: supertest would otherwise try to parse it as text. */
export function downloadBytes(req: request.Test): Promise<request.Response & { body: Buffer }> {
  return req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }) as Promise<request.Response & { body: Buffer }>;
}
