/**
 * Reading an XML file the app receives from outside (a supplier's invoice,
 * the SdI's metadata, the bank's esito) without trusting it. Every reader of
 * such files goes through `parseXmlSicuro`, so the guards are written once:
 * - the size is capped and an empty file refused;
 * - the text is decoded as its declaration says (UTF-8, or the windows-1252
 *   family that some suppliers' software still writes), a BOM dropped;
 * - a document with a DTD (`<!DOCTYPE`, `<!ENTITY`) is refused before any
 *   parsing, so no entity is ever expanded and no external resource resolved
 *   (billion laughs, XXE); entity processing is also off in the parser, and
 *   only the five predefined XML entities and character references are
 *   decoded by hand, in `text`;
 * - the document must be well formed and have one root element;
 * - values stay text (the parser converts no number: no float touches money).
 * Refusals are in Italian for the user, name the document expected and end
 * with the reader's own advice.
 *
 * Pure module: no I/O; it depends only on the XML parser.
 */
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';

/** An element's content as the parser gives it: child elements by local name, `#text`, attributes as `@_name`. */
export type XmlNode = Record<string, unknown>;

/** The reader's advice that closes a refusal, by what is wrong with the file; a refusal without one ends at the fact. */
type Consigli = {
  /** After "Il file è vuoto:". */
  vuoto?: string;
  /** After "Il file è troppo grande per essere … (… MB, al massimo … MB):". */
  troppoGrande?: string;
  /** After the DOCTYPE/ENTITY refusal. */
  dtd?: string;
  /** After "Il file non è un XML leggibile (riga …: …)." (not well formed). */
  illeggibile?: string;
  /** After "Il file non è un XML leggibile (…)." when the parser fails on a file the check let through. */
  errore?: string;
};

type OpzioniXml = {
  /** The document expected, as the refusals name it: "una fattura elettronica", "un esito della banca". */
  what: string;
  /** Largest file read, in bytes. */
  maxBytes: number;
  consiglio?: Consigli;
  /** Read the attributes too, as `@_name` keys (default: ignored). */
  attributes?: boolean;
};

type XmlSicuro = { ok: true; root: string; node: XmlNode } | { ok: false; motivo: string };

const DTD = /<!(?:DOCTYPE|ENTITY)/i;
const DECLARED_ENCODING = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
const WINDOWS_1252 = new Set(['iso-8859-1', 'iso-8859-15', 'latin1', 'windows-1252', 'cp1252']);

/** The text of the file: a string as given, bytes in the encoding the declaration names (UTF-8 when none); without BOM. */
function decode(xml: Buffer | string): string {
  if (typeof xml === 'string') return xml.replace(/^\uFEFF/, '');
  const head = xml.subarray(0, 200).toString('latin1');
  const declared = DECLARED_ENCODING.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  return new TextDecoder(WINDOWS_1252.has(declared) ? 'windows-1252' : 'utf-8').decode(xml).replace(/^\uFEFF/, '');
}

const SAFE: X2jOptions = {
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
};
const withAttributes = new XMLParser({ ...SAFE, ignoreAttributes: false, attributeNamePrefix: '@_' });
const withoutAttributes = new XMLParser({ ...SAFE, ignoreAttributes: true });

/** A fact, closed by the advice after `sep` when there is one, by a full stop otherwise. */
function chiudi(fatto: string, consiglio: string | undefined, sep: ': ' | ' '): string {
  if (consiglio === undefined) return fatto.endsWith('.') ? fatto : `${fatto}.`;
  return `${fatto}${sep}${consiglio}`;
}

/**
 * Parse a document that must not carry a DTD. Returns the root element's
 * local name and content, or the Italian reason the file is not read.
 */
export function parseXmlSicuro(xml: Buffer | string, opts: OpzioniXml): XmlSicuro {
  const { what, maxBytes, consiglio = {} } = opts;
  const size = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (size === 0) return { ok: false, motivo: chiudi('Il file è vuoto', consiglio.vuoto, ': ') };
  if (size > maxBytes) {
    const mb = `${(size / 1024 / 1024).toFixed(1)} MB, al massimo ${maxBytes / 1024 / 1024} MB`;
    return { ok: false, motivo: chiudi(`Il file è troppo grande per essere ${what} (${mb})`, consiglio.troppoGrande, ': ') };
  }
  const source = decode(xml);
  if (DTD.test(source)) {
    const fatto = `Il file contiene una dichiarazione DOCTYPE o ENTITY, che ${what} non ha mai: per sicurezza non viene letto.`;
    return { ok: false, motivo: chiudi(fatto, consiglio.dtd, ' ') };
  }
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    return { ok: false, motivo: chiudi(`Il file non è un XML leggibile (riga ${valid.err.line}: ${valid.err.msg}).`, consiglio.illeggibile, ' ') };
  }
  let parsed: XmlNode;
  try {
    parsed = (opts.attributes ? withAttributes : withoutAttributes).parse(source) as XmlNode;
  } catch (err) {
    return { ok: false, motivo: chiudi(`Il file non è un XML leggibile (${(err as Error).message}).`, consiglio.errore, ' ') };
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('#') && !k.startsWith('?'));
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) return { ok: false, motivo: `Il file non è ${what}: non ha un unico elemento principale.` };
  const node = parsed[root];
  return { ok: true, root, node: isNode(node) ? node : {} };
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The predefined XML entities and character references: the only ones a document without DTD can use. */
function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

/** Elements as a list, whether the file has none, one or many. */
export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A child element (the first, if repeated). */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!isNode(node)) return undefined;
  const first = list(node[name])[0];
  return isNode(first) ? first : undefined;
}

/** The text of a child element (the first, if repeated), trimmed, entities decoded; null when absent or empty. */
export function text(node: unknown, name: string): string | null {
  if (!isNode(node)) return null;
  const first = list(node[name])[0];
  const raw = isNode(first) ? first['#text'] : first;
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  const value = decodeEntities(String(raw)).trim();
  return value === '' ? null : value;
}
