/**
 * Validation of XML files against the vendored official schemas
 * (standards/<name>-<version>/, loaded once), with xmllint compiled to
 * WebAssembly: no native binary, nothing downloaded, no network. The schemas
 * import each other by local file name, so they are preloaded together.
 *
 * xmllint pays about 0.1 s to start and compile a schema, so many files are
 * validated in one call (a batch of files of a few megabytes at most); each
 * violation comes back with the file it belongs to.
 *
 * Callers pass only XML that the readers already accepted: a DOCTYPE never
 * gets here, and xmllint is not asked to load entities or the network anyway.
 */
import { messaggioSchema } from './xsdMessaggi.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

const STANDARDS = fileURLToPath(new URL('../../standards/', import.meta.url));

type SchemaSet = { schema: XMLFileInfo[]; preload: XMLFileInfo[] };

const schemaFile = (dir: string, fileName: string): XMLFileInfo => ({
  fileName,
  contents: readFileSync(`${STANDARDS}${dir}/${fileName}`, 'utf8'),
});

let fatturapa: SchemaSet | null = null;

/** FatturaPA 1.2.2 (standards/fatturapa-1.2.2/SOURCE.md), read on first use and kept. */
function fatturapaSchema(): SchemaSet {
  fatturapa ??= {
    schema: [schemaFile('fatturapa-1.2.2', 'FatturaPA_v1.2.2.xsd')],
    preload: [schemaFile('fatturapa-1.2.2', 'xmldsig-core.xsd')],
  };
  return fatturapa;
}

/** Files of one xmllint call, by their total size (a 5,000-line invoice needs tens of MB of tree). */
const BATCH_BYTES = 4 * 1024 * 1024;
const MAX_MEMORY_PAGES = 16_384; // 1 GiB of 64 KiB pages: a ceiling, not an allocation.
const MAX_VIOLATIONS = 20;

/** One line of the list shown to the user: where, and what the schema says. */
function violation(message: string, line: number): string {
  return `riga ${line}: ${messaggioSchema(message)}`;
}

async function validateBatch(set: SchemaSet, xmls: Buffer[]): Promise<string[][]> {
  const names = xmls.map((_, i) => `file${i}.xml`);
  const result = await validateXML({
    xml: xmls.map((contents, i) => ({ fileName: names[i]!, contents })),
    schema: set.schema,
    preload: set.preload,
    maxMemoryPages: MAX_MEMORY_PAGES,
  });
  const out: string[][] = xmls.map(() => []);
  for (const e of result.errors) {
    // xmllint's closing line per file ("fileN.xml fails to validate") carries no position: the violations above it say it all.
    const list = e.loc ? out[names.indexOf(e.loc.fileName)] : undefined;
    if (list && list.length < MAX_VIOLATIONS) list.push(violation(e.message, e.loc!.lineNumber));
  }
  return out;
}

/**
 * The schema violations of each FatturaPA file (empty: valid), in the order
 * given. A file the validator itself cannot handle gets one line saying so:
 * the check is a warning for received invoices, never a reason to lose one.
 */
export async function fatturapaViolations(xmls: Buffer[]): Promise<string[][]> {
  const set = fatturapaSchema();
  const out: string[][] = [];
  let batch: Buffer[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      out.push(...(await validateBatch(set, batch)));
    } catch {
      out.push(...batch.map(() => ['Non è stato possibile controllare il file con lo schema FatturaPA: è stato letto lo stesso.']));
    }
    batch = [];
    bytes = 0;
  };
  for (const xml of xmls) {
    if (bytes + xml.length > BATCH_BYTES) await flush();
    batch.push(xml);
    bytes += xml.length;
  }
  await flush();
  return out;
}
