import path from 'node:path';
import { z } from 'zod';

/** Environment read once, checked with zod. Production refuses insecure defaults. */

const DEV_SESSION_SECRET = 'solo-per-sviluppo-non-usare-in-produzione';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().default('./data'),
  SESSION_SECRET: z.string().optional(),
  // TLS terminated by this deployment (directly or by a proxy in front of it):
  // turns on secure cookies, HSTS and upgrade-insecure-requests.
  TLS: booleanFlag,
  // Number of proxies in front of the app (Express "trust proxy").
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  // Processes serving requests (one per core is usual); more than one needs the PostgreSQL server.
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  tls: boolean;
  trustProxy: number;
  logLevel: string;
  seedDemo: boolean;
  workers: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Configurazione non valida: ${details}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction) {
    if (!e.SESSION_SECRET) {
      throw new ConfigError(
        'In produzione SESSION_SECRET è obbligatorio: impostalo con una stringa casuale di almeno 32 caratteri (es. `openssl rand -hex 32`).',
      );
    }
    if (e.SESSION_SECRET.length < 32 || e.SESSION_SECRET === DEV_SESSION_SECRET) {
      throw new ConfigError('In produzione SESSION_SECRET deve essere casuale e lungo almeno 32 caratteri.');
    }
  }
  if (e.WORKERS > 1 && !e.DATABASE_URL) {
    throw new ConfigError('Con il database integrato l’app usa un solo processo: togli WORKERS, oppure imposta DATABASE_URL (server PostgreSQL).');
  }
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET ?? DEV_SESSION_SECRET,
    tls: e.TLS,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    seedDemo: !isProduction && e.SEED_DEMO === 'auto',
    workers: e.WORKERS,
  };
}
