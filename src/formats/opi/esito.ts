/**
 * Reading the bank's SIOPE+ answer per ordinativo: `messaggi_esito_applicativo`
 * (OPI_MSG_ESITO_APPLICATIVO_V_1_6_1.xsd in standards/opi-1.7.1/). The
 * message has a testata_messaggio (ABI, data/ora, ente), the bank's
 * identificativo_flusso_BT, then one esito_mandati / esito_reversali per
 * ordinativo, each naming the ente's flow (identificativo_flusso) it answers:
 * one message may answer several flows.
 *
 * The reader never trusts the file: it is parsed by xmlSicuro.ts, as the
 * invoice is (a DTD, `<!DOCTYPE`, `<!ENTITY`, is refused before parsing,
 * entity processing is off, the size is capped, values are kept as text).
 * Reasons are in Italian for the user.
 *
 * Pure module: no I/O; it depends only on xmlSicuro.ts.
 */
import { isNode, list, parseXmlSicuro, text, type XmlNode } from '../xmlSicuro.js';

/** Largest esito read. */
export const MAX_ESITO_BYTES = 10 * 1024 * 1024;

/** The bank's answers that mean the operation asked was done (the rest, NON …/STORNATO, did not go through). */
const ACCEPTED = new Set(['ACQUISITO', 'VARIATO', 'ANNULLATO', 'SOSTITUITO', 'PAGATO', 'RISCOSSO', 'REGOLARIZZATO']);

/** One error the bank reports for an ordinativo (`lista_errori`). */
export interface ErroreEsito {
  progressivo: number | null;
  codice: string | null;
  descrizione: string;
  /** The element the error is about, when the bank says. */
  elemento: string | null;
}

/** The bank's answer about one mandato or reversale. */
export interface EsitoOrdinativo {
  tipo: 'mandato' | 'reversale';
  /** The ente's flow that carried the ordinativo. */
  identificativoFlusso: string;
  esercizio: number;
  numero: number;
  /** progressivo_beneficiario / progressivo_versante, when the answer is about one of them. */
  progressivo: number | null;
  /**
   * accettato: the operation asked was done (ACQUISITO, VARIATO, ANNULLATO,
   * SOSTITUITO, PAGATO, RISCOSSO, REGOLARIZZATO); rifiutato: it was not
   * (NON ACQUISITO, NON VARIATO, …, NON ESEGUIBILE) or the payment came back (STORNATO).
   */
  esito: 'accettato' | 'rifiutato';
  /** esito_operazione as the bank wrote it. */
  esitoOperazione: string;
  /** data_ora_esito_operazione. */
  dataOra: string;
  errori: ErroreEsito[];
}

/** A whole esito applicativo message. */
export interface EsitoApplicativo {
  /** The ente's flows answered, in order of first appearance. */
  identificativiFlusso: string[];
  /** The bank's identifier of this message (identificativo_flusso_BT). */
  identificativoFlussoBt: string;
  /** data_ora_creazione_flusso of the message. */
  dataOra: string;
  codiceAbi: string;
  codiceEnte: string;
  ordinativi: EsitoOrdinativo[];
}

type Lettura = { ok: true; esito: EsitoApplicativo } | { ok: false; reason: string };

const ROOT = 'messaggi_esito_applicativo';

/** A whole non-negative number, or null. */
function integer(value: string | null): number | null {
  if (value === null || !/^\+?\d{1,15}$/.test(value)) return null;
  return Number(value);
}

class EsitoError extends Error {}

function required(node: XmlNode, name: string, where: string): string {
  const value = text(node, name);
  if (value === null) throw new EsitoError(`Nell’esito della banca manca ${name} (${where}).`);
  return value;
}

function requiredInteger(node: XmlNode, name: string, where: string): number {
  const value = integer(required(node, name, where));
  if (value === null) throw new EsitoError(`Nell’esito della banca ${name} non è un numero (${where}).`);
  return value;
}

function readErrori(node: XmlNode, progressivoName: string): ErroreEsito[] {
  return list(node.lista_errori)
    .filter(isNode)
    .map((e) => ({
      progressivo: integer(text(e, progressivoName)),
      codice: text(e, 'codice_errore'),
      descrizione: text(e, 'descrizione') ?? '',
      elemento: text(e, 'elemento'),
    }));
}

function readOrdinativo(node: XmlNode, tipo: 'mandato' | 'reversale', index: number): EsitoOrdinativo {
  const where = `${tipo} n. ${index + 1} dell’esito`;
  const progressivoName = tipo === 'mandato' ? 'progressivo_beneficiario' : 'progressivo_versante';
  const esitoOperazione = required(node, 'esito_operazione', where);
  return {
    tipo,
    identificativoFlusso: required(node, 'identificativo_flusso', where),
    esercizio: requiredInteger(node, 'esercizio', where),
    numero: requiredInteger(node, tipo === 'mandato' ? 'numero_mandato' : 'numero_reversale', where),
    progressivo: integer(text(node, progressivoName)),
    esito: ACCEPTED.has(esitoOperazione) ? 'accettato' : 'rifiutato',
    esitoOperazione,
    dataOra: required(node, 'data_ora_esito_operazione', where),
    errori: readErrori(node, progressivoName),
  };
}

/**
 * The bank's OPI esito applicativo read into plain data, or the Italian
 * reason it cannot be. Mandati come first, then reversali, each in document order.
 */
export function readEsitoApplicativo(xml: Buffer): Lettura {
  const parsed = parseXmlSicuro(xml, { what: 'un esito della banca', maxBytes: MAX_ESITO_BYTES });
  if (!parsed.ok) return { ok: false, reason: parsed.motivo };
  const { root, node } = parsed;
  if (root !== ROOT) return { ok: false, reason: `Il file non è un esito applicativo OPI: l’elemento principale è ${root}, non ${ROOT}.` };
  try {
    const testata = node.testata_messaggio;
    if (!isNode(testata)) throw new EsitoError('Nell’esito della banca manca la testata del messaggio (testata_messaggio).');
    const ordinativi = [
      ...list(node.esito_mandati).filter(isNode).map((m, i) => readOrdinativo(m, 'mandato', i)),
      ...list(node.esito_reversali).filter(isNode).map((r, i) => readOrdinativo(r, 'reversale', i)),
    ];
    if (ordinativi.length === 0) throw new EsitoError('L’esito della banca non contiene alcun mandato o reversale.');
    return {
      ok: true,
      esito: {
        identificativiFlusso: [...new Set(ordinativi.map((o) => o.identificativoFlusso))],
        identificativoFlussoBt: required(node, 'identificativo_flusso_BT', 'messaggio'),
        dataOra: required(testata, 'data_ora_creazione_flusso', 'testata'),
        codiceAbi: required(testata, 'codice_ABI_BT', 'testata'),
        codiceEnte: required(testata, 'codice_ente', 'testata'),
        ordinativi,
      },
    };
  } catch (err) {
    if (err instanceof EsitoError) return { ok: false, reason: err.message };
    throw err;
  }
}
