import http from 'node:http';

/**
 * An open-loop load generator: requests leave at a fixed arrival rate, whatever the
 * server does (a closed loop waits for each answer and so slows down with the server,
 * hiding its stalls). Each latency is measured from the request's *scheduled* time,
 * so a request that could not even leave on time counts its wait (no coordinated
 * omission). Keep-alive sockets are opened as needed, without limit.
 */
export type Planned = { kind: string; ok: number; method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };

export type StepResult = {
  rate: number;
  seconds: number;
  sent: number;
  /** Answers received with the expected status, per second of the step. */
  served: number;
  byKind: Map<string, { latencies: number[]; errors: number }>;
  errors: number;
  /** What the errors were: an unexpected status (`HTTP 500`), a socket error's code, or `nessuna risposta`. */
  reasons: Map<string, number>;
};

export type Spacing = 'uniform' | 'poisson';

/** Arrival offsets (ms) of `rate` requests per second for `seconds`: evenly spaced, or a Poisson process (exponential gaps). */
export function arrivals(rate: number, seconds: number, spacing: Spacing, random: () => number = Math.random): number[] {
  const out: number[] = [];
  const end = seconds * 1000;
  const gap = 1000 / rate;
  for (let t = spacing === 'uniform' ? 0 : -Math.log(1 - random()) * gap; t < end; t += spacing === 'uniform' ? gap : -Math.log(1 - random()) * gap) out.push(t);
  return out;
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/** Sends `pick(i)` at each arrival of one step; waits for the answers (at most `drainMs` after the step). */
export async function runStep(
  baseUrl: string,
  options: { rate: number; seconds: number; spacing: Spacing; pick: (i: number) => Planned; drainMs?: number },
): Promise<StepResult> {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const schedule = arrivals(options.rate, options.seconds, options.spacing);
  const byKind = new Map<string, { latencies: number[]; errors: number }>();
  const kindOf = (k: string) => byKind.get(k) ?? byKind.set(k, { latencies: [], errors: 0 }).get(k)!;
  const reasons = new Map<string, number>();
  const failed = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  let pending = 0;
  let served = 0;
  const start = performance.now();
  let allSent!: () => void;
  const sentAll = new Promise<void>((resolve) => (allSent = resolve));

  const fire = (i: number) => {
    const planned = options.pick(i);
    const scheduled = start + schedule[i]!;
    const stats = kindOf(planned.kind);
    pending++;
    const done = (failure?: string) => {
      pending--;
      if (failure === undefined) {
        stats.latencies.push(performance.now() - scheduled);
        served++;
      } else {
        stats.errors++;
        failed(failure);
      }
    };
    const socketError = (err: NodeJS.ErrnoException) => done(err.code ?? err.message);
    const req = http.request(
      { agent, host: url.hostname, port: url.port, method: planned.method, path: planned.path, headers: planned.body ? { ...planned.headers, 'content-length': Buffer.byteLength(planned.body) } : planned.headers },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode === planned.ok ? undefined : `HTTP ${res.statusCode}`));
        res.on('error', socketError);
      },
    );
    req.on('error', socketError);
    req.end(planned.body);
  };

  let next = 0;
  const tick = () => {
    const now = performance.now() - start;
    while (next < schedule.length && schedule[next]! <= now) fire(next++);
    if (next < schedule.length) setTimeout(tick, Math.max(0, schedule[next]! - (performance.now() - start)));
    else allSent();
  };
  tick();
  await sentAll;
  const drainUntil = performance.now() + (options.drainMs ?? 10_000);
  while (pending > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
  // Answers still missing are errors (the server did not answer within the drain time).
  const missing = pending;
  if (missing) reasons.set('nessuna risposta', missing);
  agent.destroy();
  for (const s of byKind.values()) s.latencies.sort((a, b) => a - b);
  const errors = [...byKind.values()].reduce((n, s) => n + s.errors, 0) + missing;
  return { rate: options.rate, seconds: options.seconds, sent: schedule.length, served: served / options.seconds, byKind, errors, reasons };
}

/** The errors of a step with what they were, e.g. `2 (ECONNRESET ×2)`. */
export function errorSummary(step: Pick<StepResult, 'errors' | 'reasons'>): string {
  if (!step.errors) return '0';
  return `${step.errors} (${[...step.reasons].map(([reason, n]) => `${reason} ×${n}`).join(', ')})`;
}
