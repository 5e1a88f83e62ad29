import { readFattura, type Fattura } from './fattura.js';
import { unwrapP7m } from './p7m.js';

/** How an invoice file came: plain XML, or a CAdES envelope in DER or in base64 text. */
export type BustaFile = 'xml' | 'p7m' | 'p7m_base64';

/** The XML inside a received file and how it came, or the Italian reason it cannot be opened. */
export function openEnvelope(bytes: Buffer, nome: string): { ok: true; xml: Buffer; busta: BustaFile } | { ok: false; motivo: string } {
  const start = bytes.subarray(0, 64).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart();
  if (start.startsWith('<')) return { ok: true, xml: bytes, busta: 'xml' };
  const looksSigned = /\.p7m$/i.test(nome) || bytes[0] === 0x30 || /^MI[IJ]/.test(start);
  if (!looksSigned) {
    return { ok: false, motivo: 'Il file non è un XML né una fattura firmata (.p7m): si caricano fatture elettroniche .xml o .xml.p7m, i metadati _MT_ dello SdI o uno .zip che li contiene.' };
  }
  const opened = unwrapP7m(bytes);
  if (!opened.ok) return opened;
  return { ok: true, xml: opened.xml, busta: bytes[0] === 0x30 ? 'p7m' : 'p7m_base64' };
}

/** An invoice file as stored at upload (already accepted once), read again for its page. */
export function readStoredFattura(file: { contenuto: Buffer; busta: BustaFile }): Fattura | null {
  const xml = file.busta === 'xml' ? file.contenuto : (() => {
    const opened = unwrapP7m(file.contenuto);
    return opened.ok ? opened.xml : null;
  })();
  if (!xml) return null;
  const read = readFattura(xml);
  return read.ok ? read.fattura : null;
}
