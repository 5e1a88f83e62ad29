import fs from 'node:fs';
import { makeTemplate, templatePath } from '../db/pgliteTemplate.js';

/**
 * npm's postinstall: the embedded database's empty cluster, made once per PGlite version
 * (src/db/pgliteTemplate.ts). Never fails the install: without it the first start runs
 * initdb itself, a few seconds slower.
 */
const file = templatePath();
if (fs.existsSync(file)) {
  console.log(`Modello del database integrato già pronto: ${file}`);
} else {
  try {
    const started = performance.now();
    await makeTemplate(file);
    console.log(`Modello del database integrato creato in ${((performance.now() - started) / 1000).toFixed(1)} s: ${file}`);
  } catch (err) {
    console.warn(`Modello del database integrato non creato (${(err as Error).message}): al primo avvio il database si crea senza, qualche secondo più lentamente.`);
  }
}
