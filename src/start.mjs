/**
 * `npm start`: src/server.ts bundled by esbuild at each start (about 0.1 s) into one file and
 * run by plain Node. Loaded through tsx's hooks instead, each of the app's modules is resolved
 * and transformed one by one: the same start took about 0.5 s longer, build included
 * (bench/BENCHMARKS.md, issue 18). Packages stay outside the bundle, loaded from node_modules as usual; every module
 * keeps its own `import.meta.url` (its source file), so views/, public/ and standards/ are found
 * as from the sources; stack traces point at the sources (inline source map). Development and
 * tests run the sources through tsx and vitest; the browser tests and the benchmarks start the
 * app through this file, as users do. If the bundle cannot be made (no esbuild, a read-only
 * node_modules): the sources through tsx, as before, with a line that says why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cacheDir = path.join(root, 'node_modules', '.cache', 'bilancio-scuola');
// One file per process: the WORKERS=n processes start from this file too, at the same moment.
const bundle = path.join(cacheDir, `server-${process.pid}.mjs`);

/** `import.meta.url` of each source file stays that file's, not the bundle's. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

/** Bundles of processes killed before theirs was removed (kill -9 within the first second). */
function removeOrphans() {
  for (const name of fs.readdirSync(cacheDir)) {
    const pid = Number(/^server-(\d+)\.mjs$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function bundleServer() {
  const esbuild = await import('esbuild');
  fs.mkdirSync(cacheDir, { recursive: true });
  removeOrphans();
  // esbuild's service process goes away once the bundle is written: no idle child beside the app.
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'server.ts')],
    outfile: bundle,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [sourceUrls],
  }).finally(() => esbuild.stop());
}

let bundled = false;
try {
  await bundleServer();
  bundled = true;
} catch (err) {
  console.error(`Avvio dai sorgenti con tsx (il pacchetto unico non si può creare in ${cacheDir}: ${err.message.split('\n')[0]})`);
}
if (bundled) {
  process.setSourceMapsEnabled(true);
  try {
    await import(pathToFileURL(bundle).href);
  } finally {
    fs.rmSync(bundle, { force: true });
  }
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./server.ts');
}
