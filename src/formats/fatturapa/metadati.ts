/**
 * The SdI's metadata file (`<nome fattura>_MT_001.xml`, `MetadatiInvioFile`,
 * SdI message types 1.1 in standards/fatturapa-1.2.2/): it comes with every
 * received invoice and carries the IdentificativoSdI that the OPI payment
 * order needs (DOMAIN.md §5.1). Read with the same guards as the invoice
 * (xmlSicuro.ts: a DTD is refused before parsing) and the same size cap and advice.
 *
 * `Hash` (the digest of the invoice file) is not an element of MessaggiTypes
 * 1.1, the schema vendored here; files from other versions of the message
 * types may carry it, so it is read when present and null otherwise.
 *
 * Pure module of the format layer (src/formats): bytes in, plain records out, no I/O.
 */
import { parseXmlSicuro, text } from '../xmlSicuro.js';
import { CONSIGLI_FATTURA, MAX_XML_BYTES } from './fattura.js';

type MetadatiSdi = {
  identificativoSdI: string;
  nomeFile: string;
  hash: string | null;
  codiceDestinatario: string | null;
  formato: string | null;
  tentativiInvio: number | null;
  messageId: string | null;
};

type LetturaMetadati = { ok: true; metadati: MetadatiSdi } | { ok: false; motivo: string };

export function readMetadati(xml: Buffer | string): LetturaMetadati {
  const parsed = parseXmlSicuro(xml, { what: 'un file di metadati SdI', maxBytes: MAX_XML_BYTES, consiglio: CONSIGLI_FATTURA, attributes: true });
  if (!parsed.ok) return parsed;
  const { root, node } = parsed;
  if (root !== 'MetadatiInvioFile') {
    const hint = root === 'FatturaElettronica' ? ' È una fattura: caricala come fattura.' : '';
    return { ok: false, motivo: `Il file non è un file di metadati SdI (MetadatiInvioFile): l'elemento principale è «${root}».${hint}` };
  }
  const identificativoSdI = text(node, 'IdentificativoSdI');
  const nomeFile = text(node, 'NomeFile');
  if (!identificativoSdI || !/^\d{1,12}$/.test(identificativoSdI)) {
    return {
      ok: false,
      motivo: `Nel file di metadati l'identificativo SdI («${identificativoSdI ?? ''}») manca o non è un numero di al massimo 12 cifre: scarica di nuovo il file _MT_ dal canale di ricezione.`,
    };
  }
  if (!nomeFile) return { ok: false, motivo: 'Nel file di metadati manca il nome del file della fattura (NomeFile): scaricalo di nuovo dal canale di ricezione.' };
  const tentativi = text(node, 'TentativiInvio');
  return {
    ok: true,
    metadati: {
      identificativoSdI,
      nomeFile,
      hash: text(node, 'Hash')?.toLowerCase() ?? null,
      codiceDestinatario: text(node, 'CodiceDestinatario')?.toUpperCase() ?? null,
      formato: text(node, 'Formato')?.toUpperCase() ?? null,
      tentativiInvio: tentativi !== null && /^\d{1,6}$/.test(tentativi) ? Number(tentativi) : null,
      messageId: text(node, 'MessageId'),
    },
  };
}
