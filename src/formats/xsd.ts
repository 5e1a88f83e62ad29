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
 * Callers pass only XML that the readers already accepted (readFattura,
 * readEsitoApplicativo) or that the app built itself: a DOCTYPE never gets
 * here, and xmllint is not asked to load entities or the network anyway.
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

let opiFlusso: SchemaSet | null = null;
let opiEsito: SchemaSet | null = null;

/** The xmldsig and OPI_GLOBAL schemas every OPI schema imports or includes. */
const opiCommon = (): XMLFileInfo[] => [schemaFile('opi-1.7.1', 'OPI_GLOBAL_V_1_6_1.xsd'), schemaFile('opi-1.7.1', 'xmldsig-core-schema.xsd')];

/** SIOPE+ OPI 1.7.1 flusso_ordinativi (standards/opi-1.7.1/SOURCE.md), read on first use and kept. */
function opiFlussoSchema(): SchemaSet {
  opiFlusso ??= { schema: [schemaFile('opi-1.7.1', 'OPI_FLUSSO_ORDINATIVI_V_1_7_1.xsd')], preload: opiCommon() };
  return opiFlusso;
}

/** SIOPE+ OPI messaggi_esito_applicativo 1.6.1 (standards/opi-1.7.1/SOURCE.md), read on first use and kept. */
function opiEsitoSchema(): SchemaSet {
  opiEsito ??= { schema: [schemaFile('opi-1.7.1', 'OPI_MSG_ESITO_APPLICATIVO_V_1_6_1.xsd')], preload: opiCommon() };
  return opiEsito;
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

/**
 * A structurally complete XML signature standing in for the ente's one: the
 * OPI flow requires a ds:Signature, which the signing step adds after the
 * flow is built and checked. Put on the closing tag's line, so the line
 * numbers of the violations are those of the file.
 */
const SIGNATURE_PLACEHOLDER =
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>' +
  '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>' +
  '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>' +
  '<ds:Reference URI=""><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference>' +
  '</ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature>';

const HAS_SIGNATURE = /<(?:[\w.-]+:)?Signature[\s>]/;
const FLUSSO_END = '</flusso_ordinativi>';

/** The flow as it will be once signed: an unsigned one gets the placeholder signature as its last child. */
function withSignature(xml: Buffer): Buffer {
  const text = xml.toString('utf8');
  if (HAS_SIGNATURE.test(text)) return xml;
  const end = text.lastIndexOf(FLUSSO_END);
  if (end < 0) return xml;
  return Buffer.from(`${text.slice(0, end)}${SIGNATURE_PLACEHOLDER}${text.slice(end)}`, 'utf8');
}

/** One OPI document against its schema: the violations, or one line saying the check could not run. */
async function opiViolations(set: SchemaSet, xml: Buffer, what: string): Promise<string[]> {
  try {
    const [violations] = await validateBatch(set, [xml]);
    return violations ?? [];
  } catch {
    return [`Non è stato possibile controllare ${what} con lo schema OPI: riprova; se il problema resta, segnalalo all’assistenza.`];
  }
}

/**
 * The schema violations of an OPI 1.7.1 flusso_ordinativi (empty: valid).
 * The ente's signature is added after this check, so a flow without
 * ds:Signature is checked as it will be once signed; `requireSignature`
 * checks the file exactly as it is (the signed file about to be sent).
 * One flow of thousands of mandati (several MB) is validated in one call.
 */
export async function opiFlussoViolations(xml: Buffer, opts: { requireSignature?: boolean } = {}): Promise<string[]> {
  if (!opts.requireSignature) return opiViolations(opiFlussoSchema(), withSignature(xml), 'il flusso degli ordinativi');
  const violations = await opiViolations(opiFlussoSchema(), xml, 'il flusso degli ordinativi');
  const unsigned = !HAS_SIGNATURE.test(xml.toString('utf8'));
  return unsigned ? ['Il flusso non è firmato: manca la firma digitale dell’ente (ds:Signature).', ...violations] : violations;
}

/** The schema violations of the bank's OPI messaggi_esito_applicativo (empty: valid), signature included. */
export async function opiEsitoViolations(xml: Buffer): Promise<string[]> {
  return opiViolations(opiEsitoSchema(), xml, 'l’esito applicativo della banca');
}
