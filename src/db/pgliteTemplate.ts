import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/**
 * The empty cluster that PGlite's initdb makes, kept as a dump: a new data folder is loaded
 * from it in about 0.7 s instead of the 3–4.5 s of initdb (bench/BENCHMARKS.md, issue 18).
 * It is made once by `npm ci`/`npm install` (the postinstall script, src/cli/pgliteTemplate.ts)
 * and kept in node_modules/.cache under PGlite's version, so a PGlite update never loads a
 * cluster of another version: its file is not found and initdb runs as without a template.
 * Nothing in it is ours: the migrations run on the loaded cluster as on a new one.
 */

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/bilancio-scuola/', import.meta.url));

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = path.join(path.dirname(entry), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Where this PGlite version's template is kept. */
export function templatePath(): string {
  return path.join(CACHE_DIR, `pglite-${pgliteVersion()}-vuoto.tar.gz`);
}

/**
 * The template as the tar PGlite loads, or undefined when none was made (e.g. `npm ci
 * --ignore-scripts`). Unzipped here, where a damaged file throws: PGlite's own unzip of a
 * truncated file fails outside any promise and stops the process.
 */
export function readTemplate(file: string): Blob | undefined {
  let zipped: Buffer;
  try {
    zipped = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return new Blob([zlib.gunzipSync(zipped)]);
}

/** Makes the template (initdb in memory, then its dump), written whole or not at all. */
export async function makeTemplate(file = templatePath()): Promise<string> {
  const pglite = await PGlite.create('memory://');
  let dump: Blob;
  try {
    dump = await pglite.dumpDataDir('gzip');
  } finally {
    await pglite.close();
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.parziale`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  return file;
}
