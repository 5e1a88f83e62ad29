import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { arrivals, errorSummary, runStep } from '../../bench/openLoop.js';

/** bench/openLoop.ts: the arrivals it schedules and what it says about the errors of a step. */
const server = http.createServer((req, res) => {
  if (req.url === '/rotta') return res.socket!.destroy();
  res.statusCode = req.url === '/guasto' ? 500 : 200;
  res.end('ok');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('open-loop generator', () => {
  it('spaces uniform arrivals evenly over the step', () => {
    expect(arrivals(4, 1, 'uniform')).toEqual([0, 250, 500, 750]);
  });

  it('counts the answers with the expected status and says what each error was', async () => {
    const paths = ['/', '/guasto', '/', '/rotta'];
    const step = await runStep(base, {
      rate: 40, seconds: 0.5, spacing: 'uniform',
      pick: (i) => ({ kind: 'prova', ok: 200, method: 'GET', path: paths[i % paths.length]!, headers: {} }),
    });
    expect(step.sent).toBe(20);
    expect(step.byKind.get('prova')!.latencies).toHaveLength(10);
    expect(step.errors).toBe(10);
    expect(Object.fromEntries(step.reasons)).toEqual({ 'HTTP 500': 5, ECONNRESET: 5 });
    expect(errorSummary(step)).toBe('10 (HTTP 500 ×5, ECONNRESET ×5)');
    expect(errorSummary({ errors: 0, reasons: new Map() })).toBe('0');
  });
});
