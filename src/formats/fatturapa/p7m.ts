/**
 * Opening a signed invoice (`.xml.p7m`): a CAdES envelope, i.e. a CMS
 * SignedData (RFC 5652) whose encapsulated content is the XML. Suppliers and
 * their intermediaries send it as DER bytes, or as the same bytes in base64
 * text (with or without line breaks, with or without a PEM header).
 *
 * Only the envelope is opened here: the signature is NOT verified (neither the
 * signed digest nor the certificate chain). The SdI has already checked it
 * before delivering the file; checking it again, with the trusted lists of
 * qualified certificates, is a separate task.
 *
 * Read with pkijs + asn1js (pure JavaScript, no openssl process): every
 * failure, a truncated file included, becomes an Italian refusal, never an
 * exception.
 *
 * Pure module of the format layer (src/formats): bytes in, plain records out, no I/O.
 */
import * as asn1js from 'asn1js';
import { ContentInfo, SignedData } from 'pkijs';

type BustaP7m = { ok: true; xml: Buffer } | { ok: false; motivo: string };

/** A file signed twice (a signature around a signed file) is opened up to this depth. */
const MAX_NESTING = 3;

const ILLEGGIBILE =
  'Busta di firma illeggibile: il file .p7m è troncato o non è una firma CAdES. ' +
  'Scaricalo di nuovo dal canale da cui è arrivato (PEC, intermediario, portale) o chiedi al fornitore il file originale.';

const DER_SEQUENCE = 0x30;
const PEM_LINE = /-----(?:BEGIN|END)[^-]*-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** DER bytes, or the DER behind base64 text; null when it is neither. */
function derOf(bytes: Buffer): Buffer | null {
  if (bytes[0] === DER_SEQUENCE) return bytes;
  const text = bytes.toString('latin1').replace(PEM_LINE, '').replace(/\s+/g, '');
  if (text.length < 4 || !BASE64.test(text)) return null;
  const der = Buffer.from(text, 'base64');
  return der[0] === DER_SEQUENCE ? der : null;
}

type Apertura = { ok: true; content: Buffer } | { ok: false; motivo: string };

function openSignedData(der: Buffer): Apertura {
  const asn1 = asn1js.fromBER(der);
  // Trailing bytes after the envelope (a newline, padding) are tolerated; a truncated one is not.
  if (asn1.offset === -1) return { ok: false, motivo: ILLEGGIBILE };
  let info: ContentInfo;
  try {
    info = new ContentInfo({ schema: asn1.result });
  } catch {
    return { ok: false, motivo: ILLEGGIBILE };
  }
  if (info.contentType !== ContentInfo.SIGNED_DATA) {
    return {
      ok: false,
      motivo: `Il file .p7m non è una busta di firma CAdES (contiene un oggetto CMS di tipo ${info.contentType}): chiedi al fornitore il file firmato originale.`,
    };
  }
  let signed: SignedData;
  try {
    signed = new SignedData({ schema: info.content });
  } catch {
    return { ok: false, motivo: ILLEGGIBILE };
  }
  const content = signed.encapContentInfo.eContent;
  if (!content) {
    return {
      ok: false,
      motivo: 'La busta di firma non contiene il documento (è una firma separata dal file): carica la fattura .xml insieme alla sua firma, o chiedi al fornitore il file .xml.p7m.',
    };
  }
  return { ok: true, content: Buffer.from(content.getValue()) };
}

/** The XML inside a .p7m (DER or base64), or the reason it cannot be read. */
export function unwrapP7m(bytes: Buffer): BustaP7m {
  if (bytes.length === 0) return { ok: false, motivo: 'Il file .p7m è vuoto: scaricalo di nuovo o chiedine una copia al fornitore.' };
  try {
    let der = derOf(bytes);
    if (!der) return { ok: false, motivo: ILLEGGIBILE };
    for (let depth = 0; depth < MAX_NESTING; depth++) {
      const opened = openSignedData(der);
      if (!opened.ok) return opened;
      const inner = opened.content;
      // A signature around an already signed file: open the inner envelope too.
      if (inner[0] !== DER_SEQUENCE) return { ok: true, xml: inner };
      der = inner;
    }
    return { ok: false, motivo: `Il file .p7m ha più di ${MAX_NESTING} buste di firma una dentro l'altra: chiedi al fornitore il file originale.` };
  } catch {
    return { ok: false, motivo: ILLEGGIBILE };
  }
}
