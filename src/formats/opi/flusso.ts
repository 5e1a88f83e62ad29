/**
 * The SIOPE+ OPI 1.7.1 flow of payment orders (`flusso_ordinativi`, mandati
 * only) built from plain data: schema and its source in standards/opi-1.7.1/
 * (DOMAIN.md §5.2). Validate the result with `opiFlussoViolations` (xsd.ts).
 *
 * What the schema says and this module follows:
 * - no target namespace: the root is a plain `<flusso_ordinativi>`;
 * - elements in the XSD's order; optional ones left out when the data is null;
 * - the flow must carry a `ds:Signature` (first or last child of the root):
 *   it is the ente's enveloped XML signature, added by the signing step, so it
 *   is NOT written here (`opiFlussoViolations` checks an unsigned flow as it
 *   will be once signed);
 * - amounts are xs:decimal with 2 decimals, written from integer cents;
 * - `numero_impegno` is six digits (zero-padded), `aggregato` one capital letter.
 *
 * Free text is made safe and fitted to the bank's limits: characters XML 1.0
 * forbids are dropped, white space collapsed, the five special characters
 * escaped, and the text cut where a limit applies. The XSD puts no maximum on
 * causale, anagrafica, indirizzo, località, provincia: the limits used are
 * those of the SEPA credit transfer fields the bank copies them into
 * (remittance information and name 140, address line 70, town 35); the
 * MIUR block's descriptions are cut at 140 too.
 *
 * Data the caller got wrong (a 3-letter CIG, a missing SdI identifier) is
 * written as given: the schema validation then says what is wrong, in
 * Italian. Only a programming error (non-integer cents) throws.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

export type TipoOperazione = 'INSERIMENTO' | 'VARIAZIONE' | 'ANNULLO';

/** The flow's header (`testata_flusso`), from the school's identity towards the bank. */
export interface TestataOpi {
  /** codice_ABI_BT: the bank's ABI code, 5 digits. */
  codiceAbi: string;
  /** codice_ente: the ente's IPA office code (cod_uni_ou), 6 characters [A-Z0-9]. */
  codiceEnte: string;
  /** codice_ente_BT: the code the bank knows the ente by (at least 1 character). */
  codiceEnteBt: string;
  /**
   * codice_tramite_ente and codice_tramite_BT are REQUIRED by the XSD
   * (pattern A2A-nnnnnnnn): the caller refuses to build a flow while the
   * school has not recorded them.
   */
  codiceTramiteEnte: string;
  codiceTramiteBt: string;
  /**
   * identificativo_flusso: 1–70 characters among [A-Za-z0-9#_-.], unique per
   * ente; see `identificativoFlusso()`.
   */
  identificativoFlusso: string;
  /** data_ora_creazione_flusso (xs:dateTime): 'YYYY-MM-DDTHH:MM:SS', local Italian time. */
  dataOraCreazione: string;
  /**
   * The ente's IPA code (e.g. istsc_rmic81200x). OPI 1.7.1 has no element for
   * it (codice_ente carries the IPA office code): kept for the caller, not written.
   */
  codiceIpa: string;
  /** codice_istat_ente (codice SIOPE): 9–15 digits. */
  codiceIstat: string;
  /** codice_fiscale_ente: 11–16 characters [A-Z0-9]. */
  codiceFiscale: string;
  /** descrizione_ente: the IPA name of the ente. */
  descrizioneEnte: string;
}

/** OPI `motivo_scadenza_siope`. */
export type MotivoScadenza = 'SCAD_FATTURA' | 'CORRETTA_SCAD_FATTURA' | 'SOSP_DECORRENZA_TERMINI';

/** One invoice paid by a commercial classification (`fattura_siope`). */
export interface FatturaOpi {
  /** codice_ipa_ente_siope: the IPA office code the invoice was addressed to (6 characters). */
  codiceIpaEnte: string;
  tipo: 'ELETTRONICO' | 'ANALOGICO';
  /** ELETTRONICO: identificativo_lotto_sdi_siope, the SdI identifier (digits, xs:long ≥ 1). */
  identificativoSdi: string | null;
  /** ANALOGICO: tipo_documento_analogico_siope. */
  tipoAnalogico: 'FATT_ANALOGICA' | 'DOC_EQUIVALENTE' | null;
  /** ANALOGICO: codice_fiscale_emittente_siope (1–30) and anno_emissione_fattura_siope (1980–2099). */
  codiceFiscaleEmittente: string | null;
  annoEmissione: number | null;
  /** numero_fattura_siope: at most 20 characters (a longer number is cut). */
  numero: string;
  /** importo_siope: the amount paid for this invoice; negative for a credit note. */
  importoCents: number;
  /**
   * data_scadenza_pagam_siope, 'YYYY-MM-DD': REQUIRED by the XSD (minOccurs 1).
   * The caller passes the invoice's DataScadenzaPagamento or, lacking it, the
   * legal term it computes (e.g. receipt + 30 days).
   */
  dataScadenza: string;
  /** motivo_scadenza_siope: optional, left out when null. */
  motivoScadenza: MotivoScadenza | null;
  naturaSpesa: 'CORRENTE' | 'CAPITALE';
}

/** The debt a classification pays: commercial (with CIG or motivo di esclusione, and invoices) or not. */
export type DebitoOpi =
  | { tipo: 'COMMERCIALE'; cig: string | null; motivoEsclusione: string | null; fatture: FatturaOpi[] } // exactly one of cig / motivoEsclusione
  | { tipo: 'NON_COMMERCIALE' | 'IVA' };

/** A `classificazione`: SIOPE codice gestionale, optional CUP, amount and debt. */
export interface ClassificazioneOpi {
  /** codice_cgu: 4–10 digits. */
  codiceCgu: string;
  /** codice_cup: 15 characters, left out when null. */
  codiceCup: string | null;
  importoCents: number;
  debito: DebitoOpi;
}

/** One beneficiary of a mandato (`informazioni_beneficiario`). */
export interface BeneficiarioOpi {
  /** progressivo_beneficiario: 1, 2, … unique within the mandato. */
  progressivo: number;
  importoCents: number;
  /** One of MODALITA_PAGAMENTO in src/domain/opi.ts. */
  tipoPagamento: string;
  classificazioni: ClassificazioneOpi[];
  /** ASSOGGETTAMENTI_BOLLO in src/domain/opi.ts; the causale only when exempt. */
  bollo: { assoggettamento: string; causaleEsenzione: string | null };
  /** SOGGETTI_SPESE in src/domain/opi.ts; null leaves `spese` out (optional). */
  spese: string | null;
  anagrafica: string;
  codiceFiscale: string | null;
  partitaIva: string | null;
  indirizzo: string | null;
  cap: string | null;
  localita: string | null;
  provincia: string | null;
  /** ISO 3166 alpha-2, e.g. 'IT'. */
  stato: string | null;
  /** sepa_credit_transfer/iban, written when given (tipoPagamento 'SEPA CREDIT TRANSFER'). */
  iban: string | null;
  causale: string;
}

/** One mandato of the flow, with the schools' MIUR block. */
export interface MandatoOpi {
  tipoOperazione: TipoOperazione;
  /** numero_mandato: 1–9,999,999. */
  numero: number;
  /** data_mandato, 'YYYY-MM-DD'. */
  data: string;
  importoCents: number;
  beneficiari: BeneficiarioOpi[];
  /** dati_a_disposizione_ente_mandato_MIUR: aggregato one letter, voce 1–99, numeroImpegno ≤ 999999. */
  miur: { aggregato: string; descrizioneAggregato: string; voce: number; descrizioneVoce: string; annoProvenienza: number; numeroImpegno: number };
}

/** A whole flow: header, esercizio and the mandati (at least one). */
export interface FlussoOpi {
  testata: TestataOpi;
  esercizio: number;
  mandati: MandatoOpi[];
}

// ---------------------------------------------------------------------------
// Limits of free text (see the module comment)
// ---------------------------------------------------------------------------

const MAX = {
  causale: 140,
  anagrafica: 140,
  indirizzo: 70,
  localita: 35,
  provincia: 35,
  cap: 16,
  codiceFiscale: 35,
  partitaIva: 35,
  numeroFattura: 20,
  codiceFiscaleEmittente: 30,
  causaleEsenzioneBollo: 140,
  descrizione: 140,
} as const;

// ---------------------------------------------------------------------------
// Text and values
// ---------------------------------------------------------------------------

/** Characters XML 1.0 does not allow (controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text escaped for element content or an attribute. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Free text as the bank wants it: only XML characters, white space collapsed, at most `max` characters (code points). */
function fitText(text: string, max?: number): string {
  const clean = text.replace(NOT_XML, '').replace(/\s+/g, ' ').trim();
  if (max === undefined) return clean;
  const chars = Array.from(clean);
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : clean;
}

/** Integer cents as an xs:decimal with two decimals: 1 → '0.01', -150 → '-1.50'. */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`Importo non intero in centesimi: ${cents}`);
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${cents < 0 ? '-' : ''}${units}.${rest}`;
}

/**
 * A valid, readable identificativo_flusso (pattern [A-Za-z0-9#_-.]{1,70}):
 * `OPI_<codiceEnte>_<anno>_<progressivo of 6 digits>`, e.g. OPI_UFABC1_2026_000042.
 * The caller keeps `progressivo` unique per school and year.
 */
export function identificativoFlusso(codiceEnte: string, anno: number, progressivo: number): string {
  if (!Number.isSafeInteger(progressivo) || progressivo < 1) throw new Error(`Progressivo del flusso non valido: ${progressivo}`);
  if (!Number.isInteger(anno)) throw new Error(`Anno del flusso non valido: ${anno}`);
  const ente = codiceEnte.replace(/[^A-Za-z0-9]/g, '').slice(0, 30) || 'ENTE';
  return `OPI_${ente}_${anno}_${String(progressivo).padStart(6, '0')}`;
}

/**
 * The file name of a flow as a bank expects it, only [A-Za-z0-9_.-]:
 * `OPI_<codiceEnte>_<identificativoFlusso>.xml`, without repeating the prefix
 * when the identificativo already starts with it (OPI_UFABC1_2026_000042.xml).
 */
export function nomeFileFlusso(t: TestataOpi): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  const id = t.identificativoFlusso.startsWith(`OPI_${t.codiceEnte}_`) ? t.identificativoFlusso.slice(`OPI_${t.codiceEnte}_`.length) : t.identificativoFlusso;
  return `OPI_${safe(t.codiceEnte)}_${safe(id)}.xml`;
}

// ---------------------------------------------------------------------------
// XML writing
// ---------------------------------------------------------------------------

/** Lines of XML under construction, one element per line, indented by depth. */
class XmlLines {
  private readonly lines: string[] = [];
  private depth = 0;

  open(name: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }

  /** A simple element; left out when the value is null. */
  leaf(name: string, value: string | number | null): void {
    if (value === null) return;
    const text = typeof value === 'number' ? String(value) : escapeXml(value);
    this.lines.push(`${'  '.repeat(this.depth)}<${name}>${text}</${name}>`);
  }

  toString(): string {
    return this.lines.join('\n');
  }
}

/** Optional free text: null when absent or blank once cleaned. */
function optionalText(text: string | null, max: number): string | null {
  if (text === null) return null;
  const fitted = fitText(text, max);
  return fitted === '' ? null : fitted;
}

/** A code: trimmed and without the characters XML forbids, otherwise as given. */
const code = (value: string) => fitText(value);

function writeTestata(x: XmlLines, t: TestataOpi): void {
  x.open('testata_flusso');
  x.leaf('codice_ABI_BT', code(t.codiceAbi));
  x.leaf('identificativo_flusso', code(t.identificativoFlusso));
  x.leaf('data_ora_creazione_flusso', code(t.dataOraCreazione));
  x.leaf('codice_ente', code(t.codiceEnte));
  x.leaf('descrizione_ente', fitText(t.descrizioneEnte));
  x.leaf('codice_istat_ente', code(t.codiceIstat));
  x.leaf('codice_fiscale_ente', code(t.codiceFiscale));
  x.leaf('codice_tramite_ente', code(t.codiceTramiteEnte));
  x.leaf('codice_tramite_BT', code(t.codiceTramiteBt));
  x.leaf('codice_ente_BT', code(t.codiceEnteBt));
  x.close('testata_flusso');
}

function writeFattura(x: XmlLines, f: FatturaOpi): void {
  x.open('fattura_siope');
  x.leaf('codice_ipa_ente_siope', code(f.codiceIpaEnte));
  if (f.tipo === 'ELETTRONICO') {
    x.leaf('tipo_documento_siope_e', 'ELETTRONICO');
    x.leaf('identificativo_lotto_sdi_siope', f.identificativoSdi === null ? null : code(f.identificativoSdi));
  } else {
    x.leaf('tipo_documento_siope_a', 'ANALOGICO');
    x.leaf('tipo_documento_analogico_siope', f.tipoAnalogico);
    x.leaf('codice_fiscale_emittente_siope', optionalText(f.codiceFiscaleEmittente, MAX.codiceFiscaleEmittente));
    x.leaf('anno_emissione_fattura_siope', f.annoEmissione);
  }
  x.open('dati_fattura_siope');
  x.leaf('numero_fattura_siope', fitText(f.numero, MAX.numeroFattura));
  x.leaf('importo_siope', centsToDecimal(f.importoCents));
  x.leaf('data_scadenza_pagam_siope', code(f.dataScadenza));
  x.leaf('motivo_scadenza_siope', f.motivoScadenza);
  x.leaf('natura_spesa_siope', f.naturaSpesa);
  x.close('dati_fattura_siope');
  x.close('fattura_siope');
}

function writeDebito(x: XmlLines, d: DebitoOpi): void {
  x.open('classificazione_dati_siope_uscite');
  if (d.tipo === 'COMMERCIALE') {
    x.leaf('tipo_debito_siope_c', 'COMMERCIALE');
    x.leaf('codice_cig_siope', d.cig === null ? null : code(d.cig));
    x.leaf('motivo_esclusione_cig_siope', d.motivoEsclusione);
    for (const f of d.fatture) writeFattura(x, f);
  } else {
    x.leaf('tipo_debito_siope_nc', d.tipo);
  }
  x.close('classificazione_dati_siope_uscite');
}

function writeClassificazione(x: XmlLines, c: ClassificazioneOpi): void {
  x.open('classificazione');
  x.leaf('codice_cgu', code(c.codiceCgu));
  x.leaf('codice_cup', c.codiceCup === null ? null : code(c.codiceCup));
  x.leaf('importo', centsToDecimal(c.importoCents));
  writeDebito(x, c.debito);
  x.close('classificazione');
}

function writeBeneficiario(x: XmlLines, b: BeneficiarioOpi): void {
  x.open('informazioni_beneficiario');
  x.leaf('progressivo_beneficiario', b.progressivo);
  x.leaf('importo_beneficiario', centsToDecimal(b.importoCents));
  x.leaf('tipo_pagamento', b.tipoPagamento);
  for (const c of b.classificazioni) writeClassificazione(x, c);
  x.open('bollo');
  x.leaf('assoggettamento_bollo', b.bollo.assoggettamento);
  x.leaf('causale_esenzione_bollo', optionalText(b.bollo.causaleEsenzione, MAX.causaleEsenzioneBollo));
  x.close('bollo');
  if (b.spese !== null) {
    x.open('spese');
    x.leaf('soggetto_destinatario_delle_spese', b.spese);
    x.close('spese');
  }
  x.open('beneficiario');
  x.leaf('anagrafica_beneficiario', fitText(b.anagrafica, MAX.anagrafica));
  x.leaf('indirizzo_beneficiario', optionalText(b.indirizzo, MAX.indirizzo));
  x.leaf('cap_beneficiario', optionalText(b.cap, MAX.cap));
  x.leaf('localita_beneficiario', optionalText(b.localita, MAX.localita));
  x.leaf('provincia_beneficiario', optionalText(b.provincia, MAX.provincia));
  x.leaf('stato_beneficiario', b.stato === null ? null : code(b.stato));
  x.leaf('partita_iva_beneficiario', optionalText(b.partitaIva, MAX.partitaIva));
  x.leaf('codice_fiscale_beneficiario', optionalText(b.codiceFiscale, MAX.codiceFiscale));
  x.close('beneficiario');
  if (b.iban !== null) {
    x.open('sepa_credit_transfer');
    x.leaf('iban', code(b.iban).replace(/\s+/g, '').toUpperCase());
    x.close('sepa_credit_transfer');
  }
  x.leaf('causale', fitText(b.causale, MAX.causale));
  x.close('informazioni_beneficiario');
}

function writeMandato(x: XmlLines, m: MandatoOpi): void {
  x.open('mandato');
  x.leaf('tipo_operazione', m.tipoOperazione);
  x.leaf('numero_mandato', m.numero);
  x.leaf('data_mandato', code(m.data));
  x.leaf('importo_mandato', centsToDecimal(m.importoCents));
  for (const b of m.beneficiari) writeBeneficiario(x, b);
  x.open('dati_a_disposizione_ente_mandato_MIUR');
  x.leaf('aggregato', code(m.miur.aggregato));
  x.leaf('descrizione_aggregato', fitText(m.miur.descrizioneAggregato, MAX.descrizione));
  x.leaf('voce', m.miur.voce);
  x.leaf('descrizione_voce', fitText(m.miur.descrizioneVoce, MAX.descrizione));
  x.leaf('anno_provenienza', m.miur.annoProvenienza);
  x.leaf('numero_impegno', String(m.miur.numeroImpegno).padStart(6, '0'));
  x.close('dati_a_disposizione_ente_mandato_MIUR');
  x.close('mandato');
}

/**
 * The flow as UTF-8 XML text (with its declaration), unsigned: the ente's
 * `ds:Signature` is appended by the signing step. An ANNULLO or VARIAZIONE
 * mandato carries the same full content as the INSERIMENTO (the XSD requires
 * it all; the bank identifies the mandato by numero and esercizio).
 */
export function buildFlussoOrdinativi(f: FlussoOpi): string {
  const x = new XmlLines();
  x.open('flusso_ordinativi');
  writeTestata(x, f.testata);
  x.leaf('esercizio', f.esercizio);
  for (const m of f.mandati) writeMandato(x, m);
  x.close('flusso_ordinativi');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${x.toString()}\n`;
}
