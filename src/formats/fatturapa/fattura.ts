/**
 * Reading a received electronic invoice (FatturaPA 1.2.x: FPA12 and FPR12;
 * 1.2.3 files share the namespace and are read the same way). Schema and its
 * source: standards/fatturapa-1.2.2/ (DOMAIN.md §5.1).
 *
 * The reader never trusts the file:
 * - it is parsed by xmlSicuro.ts: a document with a DTD (`<!DOCTYPE`,
 *   `<!ENTITY`) is refused before any parsing, so no entity is ever expanded
 *   and no external resource resolved (billion laughs, XXE), and only the five
 *   predefined XML entities and character references are decoded in text values;
 * - the XML is capped in size and in number of bodies and detail lines;
 * - values are kept as text by the parser (no float ever touches money):
 *   amounts become integer cents with string arithmetic.
 * What suppliers really write is tolerated: one element where the schema
 * allows many, `1234.5` for `1234.50`, missing optional blocks, any namespace
 * prefix (`p:`, `ns2:`, none). CIG and CUP are returned raw, as written:
 * fatturaCodici.ts reads them with the app's own validators.
 *
 * Pure module: no I/O; it depends only on the domain's money parsing and xmlSicuro.ts.
 */
import { parseEuro } from '../../domain/money.js';
import { child, isNode, list, parseXmlSicuro, text, type XmlNode } from '../xmlSicuro.js';

/** Largest XML text read (the caller caps uploaded files before this). */
export const MAX_XML_BYTES = 5 * 1024 * 1024;
/** Largest number of detail lines (DettaglioLinee) read from one file, all bodies together. */
export const MAX_LINEE = 20_000;
/** Largest number of bodies (invoices of a lotto) read from one file. */
const MAX_CORPI = 1_000;

// ---------------------------------------------------------------------------
// Result types
// ---------------------------------------------------------------------------

type FormatoFattura = 'FPA12' | 'FPR12';

type Indirizzo = {
  indirizzo: string | null;
  numeroCivico: string | null;
  cap: string | null;
  comune: string | null;
  provincia: string | null;
  nazione: string | null;
};

type IdFiscaleIva = { idPaese: string; idCodice: string };

export type Cedente = {
  denominazione: string | null;
  nome: string | null;
  cognome: string | null;
  idFiscaleIva: IdFiscaleIva | null;
  codiceFiscale: string | null;
  regimeFiscale: string | null;
  sede: Indirizzo;
};

type Cessionario = {
  codiceFiscale: string | null;
  idFiscaleIva: IdFiscaleIva | null;
  denominazione: string | null;
};

const BLOCCHI_RIFERIMENTO = ['DatiOrdineAcquisto', 'DatiContratto', 'DatiConvenzione', 'DatiRicezione', 'DatiFattureCollegate'] as const;
type BloccoRiferimento = (typeof BLOCCHI_RIFERIMENTO)[number];

export type Riferimento = {
  blocco: BloccoRiferimento;
  idDocumento: string | null;
  data: string | null;
  /** RiferimentoNumeroLinea: the lines the block concerns; empty = the whole document. */
  righe: number[];
  /** As written by the supplier (trimmed), not validated. */
  codiceCIG: string | null;
  codiceCUP: string | null;
};

type Linea = {
  numeroLinea: number;
  descrizione: string;
  quantita: string | null;
  /** As written (up to 8 decimals), not rounded to cents. */
  prezzoUnitario: string | null;
  prezzoTotale: number;
  /** Percent as written, e.g. '22.00'. */
  aliquotaIVA: string;
};

type Pagamento = {
  condizioni: string | null;
  modalita: string | null;
  beneficiario: string | null;
  iban: string | null;
  scadenza: string | null;
  importo: number | null;
};

type EsigibilitaIva = 'I' | 'D' | 'S';

export type CorpoFattura = {
  tipoDocumento: string;
  divisa: string;
  data: string;
  numero: string;
  /** The Causale lines (0..n, up to 200 characters each), joined by a space. */
  causale: string | null;
  /** Cents; ImportoTotaleDocumento, or imponibile + imposta when the supplier left it out. */
  importoTotaleDocumento: number;
  totaleDaRiepilogo: boolean;
  imponibile: number;
  imposta: number;
  /** S (split payment) if any riepilogo says S, else D, else I; null when none says. */
  esigibilitaIva: EsigibilitaIva | null;
  riferimenti: Riferimento[];
  linee: Linea[];
  pagamenti: Pagamento[];
};

export type Fattura = {
  formato: FormatoFattura;
  progressivoInvio: string | null;
  codiceDestinatario: string | null;
  pecDestinatario: string | null;
  cedente: Cedente;
  cessionario: Cessionario;
  corpi: CorpoFattura[];
};

type LetturaFattura = { ok: true; fattura: Fattura } | { ok: false; motivo: string };

// ---------------------------------------------------------------------------
// Reading the XML (the guards are in xmlSicuro.ts)
// ---------------------------------------------------------------------------

/** The invoice's advice after each refusal of the file; the metadata file, received with it, shares them. */
export const CONSIGLI_FATTURA = {
  vuoto: 'caricalo di nuovo o chiedine una copia al fornitore.',
  troppoGrande: 'controlla di aver scelto il file giusto.',
  dtd: 'Chiedi al fornitore il file originale ricevuto dallo SdI.',
  illeggibile: 'Se è una fattura firmata (.p7m) caricala come .p7m; altrimenti chiedi al fornitore il file originale.',
  errore: 'Chiedi al fornitore il file originale.',
};

/** The texts of a repeated child element (each read as `text` reads one), empty ones left out. */
function texts(node: XmlNode, name: string): string[] {
  return list(node[name]).map((value) => text({ [name]: value }, name)).filter((t): t is string => t !== null);
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

const XML_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * An xs:decimal amount ('1234.50', '1234.5', '1234', '12.34567890') to integer
 * cents, rounded half away from zero on the third decimal. In XML the dot is
 * always the decimal point, so the text is rewritten with two decimals and a
 * comma before money.ts reads it (parseEuro would take '1.234' for a thousand).
 */
export function xmlDecimalToCents(value: string | null): number | null {
  const m = value === null ? null : XML_DECIMAL.exec(value.trim());
  if (!m) return null;
  const [, sign, int = '0', dec = ''] = m;
  let cents = BigInt(int) * 100n + BigInt(dec.slice(0, 2).padEnd(2, '0'));
  if (Number(dec.charAt(2) || '0') >= 5) cents += 1n;
  const euro = parseEuro(`${cents / 100n},${String(cents % 100n).padStart(2, '0')}`);
  if (euro === null) return null;
  return sign === '-' && euro !== 0 ? -euro : euro;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** 'YYYY-MM-DD' from an xs:date (a time zone or time after it is dropped), or null when not a real date. */
function isoDate(value: string | null): string | null {
  const m = value === null ? null : ISO_DATE.exec(value);
  if (!m) return null;
  const [, y, mo, d] = m.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? m[0] : null;
}

function positiveInt(value: string | null): number | null {
  return value !== null && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

// ---------------------------------------------------------------------------
// The invoice
// ---------------------------------------------------------------------------

const FORMATI = new Set<string>(['FPA12', 'FPR12']);

class Rifiuto extends Error {}

function idFiscale(node: XmlNode | undefined): IdFiscaleIva | null {
  const id = child(node, 'IdFiscaleIVA');
  const idPaese = text(id, 'IdPaese');
  const idCodice = text(id, 'IdCodice');
  return idPaese && idCodice ? { idPaese: idPaese.toUpperCase(), idCodice } : null;
}

function readCedente(header: XmlNode): Cedente {
  const cp = child(header, 'CedentePrestatore');
  if (!cp) throw new Rifiuto('Nella fattura manca il fornitore (CedentePrestatore): il file non è completo. Chiedi al fornitore il file originale.');
  const anagrafici = child(cp, 'DatiAnagrafici');
  const anagrafica = child(anagrafici, 'Anagrafica');
  const sede = child(cp, 'Sede');
  return {
    denominazione: text(anagrafica, 'Denominazione'),
    nome: text(anagrafica, 'Nome'),
    cognome: text(anagrafica, 'Cognome'),
    idFiscaleIva: idFiscale(anagrafici),
    codiceFiscale: text(anagrafici, 'CodiceFiscale'),
    regimeFiscale: text(anagrafici, 'RegimeFiscale'),
    sede: {
      indirizzo: text(sede, 'Indirizzo'),
      numeroCivico: text(sede, 'NumeroCivico'),
      cap: text(sede, 'CAP'),
      comune: text(sede, 'Comune'),
      provincia: text(sede, 'Provincia'),
      nazione: text(sede, 'Nazione'),
    },
  };
}

function readCessionario(header: XmlNode): Cessionario {
  const cc = child(header, 'CessionarioCommittente');
  if (!cc) throw new Rifiuto('Nella fattura manca il destinatario (CessionarioCommittente): il file non è completo. Chiedi al fornitore il file originale.');
  const anagrafici = child(cc, 'DatiAnagrafici');
  const anagrafica = child(anagrafici, 'Anagrafica');
  const nome = [text(anagrafica, 'Nome'), text(anagrafica, 'Cognome')].filter(Boolean).join(' ');
  return {
    codiceFiscale: text(anagrafici, 'CodiceFiscale'),
    idFiscaleIva: idFiscale(anagrafici),
    denominazione: text(anagrafica, 'Denominazione') ?? (nome === '' ? null : nome),
  };
}

function readRiferimenti(generali: XmlNode | undefined): Riferimento[] {
  const out: Riferimento[] = [];
  for (const blocco of BLOCCHI_RIFERIMENTO) {
    for (const b of list(generali?.[blocco])) {
      if (!isNode(b)) continue;
      out.push({
        blocco,
        idDocumento: text(b, 'IdDocumento'),
        data: isoDate(text(b, 'Data')),
        righe: list(b['RiferimentoNumeroLinea'])
          .map((r) => positiveInt(typeof r === 'string' ? r.trim() : null))
          .filter((n): n is number => n !== null),
        codiceCIG: text(b, 'CodiceCIG'),
        codiceCUP: text(b, 'CodiceCUP'),
      });
    }
  }
  return out;
}

function readLinee(beni: XmlNode | undefined, n: number, budget: { linee: number }): Linea[] {
  const righe = list(beni?.['DettaglioLinee']);
  budget.linee += righe.length;
  if (budget.linee > MAX_LINEE) {
    throw new Rifiuto(
      `Il file ha più di ${MAX_LINEE.toLocaleString('it-IT')} righe di dettaglio: troppe per essere lette qui. ` +
        'Chiedi al fornitore di dividere la fattura in più documenti.',
    );
  }
  return righe.filter(isNode).map((r, i) => {
    const prezzo = xmlDecimalToCents(text(r, 'PrezzoTotale'));
    if (prezzo === null) throw new Rifiuto(`Fattura ${n}, riga ${i + 1}: il prezzo totale «${text(r, 'PrezzoTotale') ?? ''}» non è un importo leggibile.`);
    return {
      numeroLinea: positiveInt(text(r, 'NumeroLinea')) ?? i + 1,
      descrizione: text(r, 'Descrizione') ?? '',
      quantita: text(r, 'Quantita'),
      prezzoUnitario: text(r, 'PrezzoUnitario'),
      prezzoTotale: prezzo,
      aliquotaIVA: text(r, 'AliquotaIVA') ?? '',
    };
  });
}

function readPagamenti(body: XmlNode): Pagamento[] {
  const out: Pagamento[] = [];
  for (const dp of list(body['DatiPagamento'])) {
    const condizioni = text(dp, 'CondizioniPagamento');
    for (const d of list(isNode(dp) ? dp['DettaglioPagamento'] : undefined)) {
      out.push({
        condizioni,
        modalita: text(d, 'ModalitaPagamento'),
        beneficiario: text(d, 'Beneficiario'),
        iban: text(d, 'IBAN')?.replace(/\s+/g, '').toUpperCase() ?? null,
        scadenza: isoDate(text(d, 'DataScadenzaPagamento')),
        importo: xmlDecimalToCents(text(d, 'ImportoPagamento')),
      });
    }
  }
  return out;
}

const ESIGIBILITA_ORDER: EsigibilitaIva[] = ['S', 'D', 'I'];

function readCorpo(body: XmlNode, n: number, budget: { linee: number }): CorpoFattura {
  const generali = child(body, 'DatiGenerali');
  const doc = child(generali, 'DatiGeneraliDocumento');
  const where = `Nella fattura ${n} del file`;
  if (!doc) throw new Rifiuto(`${where} mancano i dati del documento (DatiGeneraliDocumento): il file non è completo. Chiedi al fornitore il file originale.`);
  const tipoDocumento = text(doc, 'TipoDocumento');
  const numero = text(doc, 'Numero');
  const dataText = text(doc, 'Data');
  const data = isoDate(dataText);
  if (!tipoDocumento) throw new Rifiuto(`${where} manca il tipo di documento (TipoDocumento).`);
  if (!numero) throw new Rifiuto(`${where} manca il numero del documento.`);
  if (!data) throw new Rifiuto(`${where} la data del documento («${dataText ?? ''}») manca o non è una data: si scrive AAAA-MM-GG.`);

  const beni = child(body, 'DatiBeniServizi');
  let imponibile = 0;
  let imposta = 0;
  const esigibilita = new Set<string>();
  for (const r of list(beni?.['DatiRiepilogo'])) {
    const imp = xmlDecimalToCents(text(r, 'ImponibileImporto'));
    const iva = xmlDecimalToCents(text(r, 'Imposta'));
    if (imp === null || iva === null) {
      throw new Rifiuto(`${where} un riepilogo IVA ha un imponibile o un'imposta che non è un importo leggibile.`);
    }
    imponibile += imp;
    imposta += iva;
    const e = text(r, 'EsigibilitaIVA')?.toUpperCase();
    if (e) esigibilita.add(e);
  }
  const totaleText = text(doc, 'ImportoTotaleDocumento');
  const totale = xmlDecimalToCents(totaleText);
  if (totaleText !== null && totale === null) throw new Rifiuto(`${where} l'importo totale «${totaleText}» non è un importo leggibile.`);

  return {
    tipoDocumento: tipoDocumento.toUpperCase(),
    divisa: text(doc, 'Divisa')?.toUpperCase() ?? 'EUR',
    data,
    numero,
    causale: texts(doc, 'Causale').join(' ') || null,
    importoTotaleDocumento: totale ?? imponibile + imposta,
    totaleDaRiepilogo: totale === null,
    imponibile,
    imposta,
    esigibilitaIva: ESIGIBILITA_ORDER.find((e) => esigibilita.has(e)) ?? null,
    riferimenti: readRiferimenti(generali),
    linee: readLinee(beni, n, budget),
    pagamenti: readPagamenti(body),
  };
}

/** Read a FatturaPA file (the XML, already out of its .p7m envelope). */
export function readFattura(xml: Buffer | string): LetturaFattura {
  const parsed = parseXmlSicuro(xml, { what: 'una fattura elettronica', maxBytes: MAX_XML_BYTES, consiglio: CONSIGLI_FATTURA, attributes: true });
  if (!parsed.ok) return parsed;
  const { root, node } = parsed;
  if (root !== 'FatturaElettronica') {
    const hint =
      root === 'MetadatiInvioFile'
        ? ' È il file di metadati che lo SdI invia insieme alla fattura: caricalo insieme alla fattura, come metadati.'
        : ' Controlla di aver scelto il file giusto.';
    return { ok: false, motivo: `Il file è un XML ma non una fattura elettronica FatturaPA: l'elemento principale è «${root}».${hint}` };
  }
  const header = child(node, 'FatturaElettronicaHeader');
  const trasmissione = child(header, 'DatiTrasmissione');
  const versione = (typeof node['@_versione'] === 'string' ? node['@_versione'] : text(trasmissione, 'FormatoTrasmissione'))?.trim().toUpperCase() ?? '';
  if (!FORMATI.has(versione)) {
    return {
      ok: false,
      motivo: `Versione della fattura non riconosciuta («${versione || 'assente'}»): si leggono le fatture FatturaPA 1.2 nei formati FPA12 (pubblica amministrazione) e FPR12.`,
    };
  }
  if (!header) return { ok: false, motivo: "Nella fattura manca l'intestazione (FatturaElettronicaHeader): il file non è completo. Chiedi al fornitore il file originale." };
  const bodies = list(node['FatturaElettronicaBody']).filter(isNode);
  if (bodies.length === 0) return { ok: false, motivo: 'Nella fattura manca il corpo (FatturaElettronicaBody): non contiene nessun documento. Chiedi al fornitore il file originale.' };
  if (bodies.length > MAX_CORPI) return { ok: false, motivo: `Il file contiene ${bodies.length} fatture: al massimo se ne leggono ${MAX_CORPI} per file.` };

  try {
    const budget = { linee: 0 };
    return {
      ok: true,
      fattura: {
        formato: versione as FormatoFattura,
        progressivoInvio: text(trasmissione, 'ProgressivoInvio'),
        codiceDestinatario: text(trasmissione, 'CodiceDestinatario')?.toUpperCase() ?? null,
        pecDestinatario: text(trasmissione, 'PECDestinatario'),
        cedente: readCedente(header),
        cessionario: readCessionario(header),
        corpi: bodies.map((b, i) => readCorpo(b, i + 1, budget)),
      },
    };
  } catch (err) {
    if (err instanceof Rifiuto) return { ok: false, motivo: err.message };
    throw err;
  }
}
