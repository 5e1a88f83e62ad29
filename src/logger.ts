import { pino, type Logger, type DestinationStream } from 'pino';

/** Passwords, cookies and session ids never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'body.password',
  'sessionId',
  'sid',
];

/**
 * Logs go to stdout written at once (sync): a line is out before the next step
 * runs, so the last lines before a crash or a kill -9 are never lost in a buffer,
 * and a long query on the embedded database (which holds the event loop) cannot
 * hold back the line that said it started.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[nascosto]' } }, destination);
}
