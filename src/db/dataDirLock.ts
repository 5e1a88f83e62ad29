import fs from 'node:fs';
import path from 'node:path';

/**
 * Two processes on one PGlite data folder silently lose writes, so the folder
 * is locked with a pid file created atomically. A lock left by a dead process
 * (e.g. after kill -9) is taken over.
 */
export class DataDirLockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'bilancio-scuola.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `La cartella dati ${dataDir} è già in uso dal processo ${holder}. ` +
            'Un solo processo alla volta può usare il database integrato: ferma l’altra istanza ' +
            'oppure avvia questa con un altro DATA_DIR (o con DATABASE_URL verso un server PostgreSQL).',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Impossibile acquisire il blocco della cartella dati ${dataDir}.`);
}
