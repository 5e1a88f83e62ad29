import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { readFattura, type CorpoFattura, type Fattura } from '../formats/fatturapa/fattura.js';
import { readMetadati } from '../formats/fatturapa/metadati.js';
import { stornaNotaCollegata } from './fatturePagamenti.js';
import { openEnvelope, type BustaFile } from '../formats/fatturapa/busta.js';
import { fatturapaViolations } from '../formats/xsd.js';
import { readZipSafe } from '../formats/zip.js';
import { codiciDelCorpo, fornitoreKey } from '../domain/fatturaCodici.js';
import { validateCodiceFiscale, validateIban, validatePartitaIva } from '../domain/anagrafica.js';
import {
  creditoreOfFornitore, fattureOfFile, findFatturaByKey, findFileBySha, insertCodici, insertFattura, insertFile,
  identificativiSdi, scuolaIdentita, setIdentificativoSdi, type ScuolaIdentita, type CodiceValues, type FatturaValues,
} from '../repositories/fattureRepository.js';
import { writeAudit } from '../repositories/auditRepository.js';
import type { Actor } from './results.js';

/**
 * Carica fatture: the received files (FatturaPA .xml, .xml.p7m in DER or
 * base64, the SdI's _MT_ metadata, a .zip of them) become stored invoices.
 *
 * Every file gets its own answer and its own transaction: one bad file never
 * costs the others, and a refused file stores nothing. The upload is
 * idempotent twice over: the same bytes are one stored file (SHA-256), and the
 * same supplier, tipo, numero and data are one invoice (a unique key, so two
 * uploads at once in two tabs still store it once).
 */

/** Largest single file (an invoice with thousands of lines is well under it); a .zip may be larger. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export type FileRicevuto = { nome: string; bytes: Buffer };

export type FatturaCaricata = { id: number; numero: string; data: string; fornitore: string; nuova: boolean };

export type EsitoFile =
  | { nome: string; esito: 'registrata'; fatture: FatturaCaricata[]; avvisi: string[]; storni: string[] }
  | { nome: string; esito: 'gia_presente'; fatture: FatturaCaricata[] }
  | { nome: string; esito: 'metadati'; identificativoSdi: string; nomeFattura: string; fattureAggiornate: number }
  | { nome: string; esito: 'rifiutato'; motivo: string };

type Letto =
  | { kind: 'fattura'; nome: string; bytes: Buffer; busta: BustaFile; xml: Buffer; fattura: Fattura }
  | { kind: 'metadati'; nome: string; bytes: Buffer; identificativoSdi: string; nomeFattura: string }
  | { kind: 'rifiutato'; nome: string; motivo: string };

const baseName = (name: string) => name.replace(/^.*[\\/]/, '').slice(0, 255) || 'file senza nome';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const isZip = (f: FileRicevuto) => /\.zip$/i.test(f.nome) || (f.bytes[0] === 0x50 && f.bytes[1] === 0x4b && f.bytes[2] === 0x03 && f.bytes[3] === 0x04);

/** What one file is: an invoice, the SdI's metadata, or a refusal with its reason. */
function readFile(f: FileRicevuto): Letto {
  const nome = baseName(f.nome);
  if (f.bytes.length === 0) return { kind: 'rifiutato', nome, motivo: 'Il file è vuoto.' };
  if (f.bytes.length > MAX_FILE_BYTES) {
    return { kind: 'rifiutato', nome, motivo: `Il file supera ${MAX_FILE_BYTES / 1024 / 1024} MB: una fattura elettronica è molto più piccola. Controlla di aver scelto il file giusto.` };
  }
  const envelope = openEnvelope(f.bytes, f.nome);
  if (!envelope.ok) return { kind: 'rifiutato', nome, motivo: envelope.motivo };
  const lettura = readFattura(envelope.xml);
  if (lettura.ok) return { kind: 'fattura', nome, bytes: f.bytes, busta: envelope.busta, xml: envelope.xml, fattura: lettura.fattura };
  if (lettura.motivo.includes('MetadatiInvioFile') || /_MT_\d+/i.test(nome)) {
    const metadati = readMetadati(envelope.xml);
    if (metadati.ok) return { kind: 'metadati', nome, bytes: f.bytes, identificativoSdi: metadati.metadati.identificativoSdI, nomeFattura: metadati.metadati.nomeFile };
  }
  return { kind: 'rifiutato', nome, motivo: lettura.motivo };
}

/**
 * An invoice for someone else is not stored: the school's codice fiscale (or
 * P.IVA) must be the cessionario's, and once the school has recorded its IPA
 * office code, an invoice addressed to another office code (6 characters) is
 * another office's. '0000000', 7-character private codes and PEC are not
 * office codes: they say nothing about the office.
 */
function addressedElsewhere(f: Fattura, scuola: ScuolaIdentita): string | null {
  return otherCessionario(f, scuola) ?? otherUfficio(f, scuola);
}

function otherUfficio(f: Fattura, scuola: ScuolaIdentita): string | null {
  const codice = f.codiceDestinatario?.trim() ?? '';
  if (!scuola.codice_univoco_ufficio || !/^[A-Z0-9]{6}$/.test(codice) || codice === scuola.codice_univoco_ufficio) return null;
  return (
    `La fattura è indirizzata al codice univoco ufficio ${codice}, non a quello di ${scuola.denominazione} (${scuola.codice_univoco_ufficio}, ` +
    'in Impostazioni → Scuola e cassiere): non è stata registrata. Se è arrivata per errore, va rifiutata sullo SdI; ' +
    'se il codice della scuola è cambiato, correggilo nelle impostazioni e carica di nuovo il file.'
  );
}

function otherCessionario(f: Fattura, scuola: ScuolaIdentita): string | null {
  if (!scuola.codice_fiscale) return null;
  const ids = [f.cessionario.codiceFiscale, f.cessionario.idFiscaleIva?.idCodice].filter((x): x is string => Boolean(x)).map((x) => x.replace(/\s+/g, '').toUpperCase());
  if (ids.includes(scuola.codice_fiscale)) return null;
  const chi = f.cessionario.denominazione ? `«${f.cessionario.denominazione}»` : 'un altro ente';
  return (
    `La fattura è intestata a ${chi} (codice fiscale ${ids[0] ?? 'assente'}), non a ${scuola.denominazione} (codice fiscale ${scuola.codice_fiscale}): ` +
    'non è stata registrata. Se è arrivata per errore, va rifiutata sullo SdI.'
  );
}

function fornitoreName(f: Fattura): string {
  const c = f.cedente;
  return (c.denominazione ?? [c.nome, c.cognome].filter(Boolean).join(' ')).trim() || 'Fornitore senza nome';
}

/** The values stored for one body of the file, and its codes as read by the app's rules. */
function valuesOf(f: Fattura, corpo: CorpoFattura, n: number, fileId: number, creditoreId: number | null, identificativoSdi: string | null): { values: FatturaValues; codici: CodiceValues[] } {
  const key = fornitoreKey(f.cedente)!;
  const letti = codiciDelCorpo(corpo);
  const codici: CodiceValues[] = letti.codici.map((c) => ({ tipo: c.tipo, campo: c.campo, scritto: c.scritto.slice(0, 60), codice: c.codice, esito: c.esito, motivo: c.motivo, righe: c.righe }));
  const valid = (tipo: 'cig' | 'cup') => [...new Set(codici.filter((c) => c.tipo === tipo && (c.esito === 'valido' || c.esito === 'altro_campo')).map((c) => c.codice!))];
  const scadenze = corpo.pagamenti.map((p) => p.scadenza).filter((d): d is string => Boolean(d)).sort();
  const iban = corpo.pagamenti.map((p) => p.iban?.replace(/\s+/g, '').toUpperCase()).find((i) => i && validateIban(i).ok) ?? null;
  const piva = f.cedente.idFiscaleIva ? `${f.cedente.idFiscaleIva.idPaese}${f.cedente.idFiscaleIva.idCodice}`.toUpperCase().slice(0, 30) : null;
  const split = corpo.esigibilitaIva === 'S';
  return {
    values: {
      file_id: fileId,
      corpo: n,
      formato: f.formato,
      tipo_documento: corpo.tipoDocumento.slice(0, 4),
      divisa: corpo.divisa.slice(0, 3),
      numero: corpo.numero.slice(0, 20),
      data: corpo.data,
      fornitore_chiave: key.valore.slice(0, 40),
      fornitore_denominazione: fornitoreName(f),
      fornitore_partita_iva: piva,
      fornitore_codice_fiscale: f.cedente.codiceFiscale?.toUpperCase().slice(0, 16) ?? null,
      creditore_id: creditoreId,
      totale_cents: corpo.importoTotaleDocumento,
      imponibile_cents: corpo.imponibile,
      imposta_cents: corpo.imposta,
      split_payment: split,
      importo_dovuto_cents: Math.max(0, split ? corpo.importoTotaleDocumento - corpo.imposta : corpo.importoTotaleDocumento),
      scadenza: scadenze[0] ?? null,
      iban,
      modalita_pagamento: corpo.pagamenti.find((p) => p.modalita)?.modalita?.slice(0, 4) ?? null,
      codice_destinatario: f.codiceDestinatario?.slice(0, 7) ?? null,
      identificativo_sdi: identificativoSdi,
      cig: valid('cig').join(', ') || null,
      cup: valid('cup').join(', ') || null,
      senza_cig: letti.senzaCig,
      codici_da_verificare: codici.some((c) => c.esito !== 'valido'),
    },
    codici,
  };
}

/** The supplier's identifiers that the Creditori can be matched on (only those that pass their checks). */
function fornitoreIds(f: Fattura) {
  const id = f.cedente.idFiscaleIva;
  const piva = id && id.idPaese.toUpperCase() === 'IT' ? validatePartitaIva(id.idCodice) : null;
  const cf = f.cedente.codiceFiscale ? validateCodiceFiscale(f.cedente.codiceFiscale) : null;
  return { partitaIva: piva?.ok ? piva.value : null, codiceFiscale: cf?.ok ? cf.value : null };
}

const caricata = (r: { id: number; numero: string; data: string; fornitore_denominazione: string }, nuova: boolean): FatturaCaricata => ({
  id: r.id, numero: r.numero, data: r.data, fornitore: r.fornitore_denominazione, nuova,
});

export function createFattureCaricamento(knex: Knex) {
  /**
   * What one upload reads once for all its files (a month's invoices come from
   * a few suppliers): the school, the SdI identifiers of metadata uploaded
   * earlier, each supplier's creditore.
   */
  async function caricamento(actor: Actor, nomi: string[]) {
    const creditori = new Map<string, number | null>();
    return {
      scuola: await scuolaIdentita(knex, actor.scuolaId),
      sdi: await identificativiSdi(knex, actor.scuolaId, nomi),
      async creditoreOf(db: Knex.Transaction, fattura: Fattura): Promise<number | null> {
        const ids = fornitoreIds(fattura);
        const key = `${ids.partitaIva}|${ids.codiceFiscale}`;
        if (!creditori.has(key)) creditori.set(key, await creditoreOfFornitore(db, actor.scuolaId, ids));
        return creditori.get(key)!;
      },
    };
  }

  /** One invoice file in its transaction: the file once, each body once, its codes, the audit. */
  async function storeInvoice(actor: Actor, upload: Caricamento, letto: Extract<Letto, { kind: 'fattura' }>, avvisi: string[]): Promise<EsitoFile> {
    const { nome, fattura } = letto;
    if (!fornitoreKey(fattura.cedente)) {
      return { nome, esito: 'rifiutato', motivo: 'Nella fattura il fornitore non ha una partita IVA né un codice fiscale leggibili: non si può registrare. Chiedi al fornitore di riemetterla.' };
    }
    const elsewhere = upload.scuola ? addressedElsewhere(fattura, upload.scuola) : null;
    if (elsewhere) return { nome, esito: 'rifiutato', motivo: elsewhere };
    const digest = sha256(letto.bytes);
    return knex.transaction(async (trx) => {

      const fileId = await insertFile(trx, actor.scuolaId, actor.id, { tipo: 'fattura', nome, busta: letto.busta, sha256: digest, contenuto: letto.bytes, avvisi });
      if (fileId === null) {
        const existing = await findFileBySha(trx, actor.scuolaId, digest);
        const fatture = existing ? await fattureOfFile(trx, actor.scuolaId, existing.id) : [];
        return { nome, esito: 'gia_presente', fatture: fatture.map((r) => caricata(r, false)) };
      }
      const creditoreId = await upload.creditoreOf(trx, fattura);
      const sdi = upload.sdi.get(nome) ?? null;
      const out: FatturaCaricata[] = [];
      const storni: string[] = [];
      for (const [i, corpo] of fattura.corpi.entries()) {
        const { values, codici } = valuesOf(fattura, corpo, i + 1, fileId, creditoreId, sdi);
        const id = await insertFattura(trx, actor.scuolaId, actor.id, values);
        if (id === null) {
          const existing = await findFatturaByKey(trx, actor.scuolaId, values);
          if (existing) out.push(caricata(existing, false));
          continue;
        }
        await insertCodici(trx, actor.scuolaId, id, codici);
        await writeAudit(trx, {
          scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'fattura', entitaId: id, azione: 'crea', prima: null,
          dopo: { file: nome, numero: values.numero, data: values.data, fornitore: values.fornitore_denominazione, totale_cents: values.totale_cents, cig: values.cig, cup: values.cup },
        });
        out.push({ id, numero: values.numero, data: values.data, fornitore: values.fornitore_denominazione, nuova: true });
        // A credit note naming exactly one invoice of its supplier reduces it at once.
        const storno = await stornaNotaCollegata(trx, actor, id, corpo.riferimenti.filter((r) => r.blocco === 'DatiFattureCollegate'));
        if (storno) storni.push(storno.ok ? storno.messaggio : storno.errore);
      }
      if (!out.some((f) => f.nuova)) {
        // The same invoices in other bytes (signed and unsigned copies): keep the first file only.
        await trx('fatture_file').where({ scuola_id: actor.scuolaId, id: fileId }).del();
        return { nome, esito: 'gia_presente', fatture: out };
      }
      return { nome, esito: 'registrata', fatture: out, avvisi, storni };
    });
  }

  /** The SdI metadata: stored once, and its IdentificativoSdI written on the invoices of the file it names. */
  async function storeMetadati(actor: Actor, letto: Extract<Letto, { kind: 'metadati' }>): Promise<EsitoFile> {
    const { nome, identificativoSdi, nomeFattura } = letto;
    return knex.transaction(async (trx) => {
      await insertFile(trx, actor.scuolaId, actor.id, {
        tipo: 'metadati', nome, busta: 'xml', sha256: sha256(letto.bytes), contenuto: letto.bytes, avvisi: [],
        nome_fattura: nomeFattura.slice(0, 255), identificativo_sdi: identificativoSdi,
      });
      const fattureAggiornate = await setIdentificativoSdi(trx, actor.scuolaId, nomeFattura, identificativoSdi);
      return { nome, esito: 'metadati', identificativoSdi, nomeFattura, fattureAggiornate };
    });
  }

  return {
    /**
     * Reads and stores every file, zips opened with their caps; answers one
     * line per file in the order given (a zip's files in the zip's order).
     * Invoices are stored before credit notes, and both before metadata, so a
     * note finds the invoice it reduces and a metadata file its invoice,
     * whatever the order of the upload.
     */
    async carica(actor: Actor, files: FileRicevuto[]): Promise<EsitoFile[]> {
      const letti: Letto[] = [];
      for (const f of files) {
        if (!isZip(f)) {
          letti.push(readFile(f));
          continue;
        }
        const zip = await readZipSafe(f.bytes);
        if (!zip.ok) {
          letti.push({ kind: 'rifiutato', nome: baseName(f.nome), motivo: zip.motivo });
          continue;
        }
        if (zip.entries.length === 0 && zip.skipped.length === 0) letti.push({ kind: 'rifiutato', nome: baseName(f.nome), motivo: 'Lo zip è vuoto.' });
        for (const e of zip.entries) letti.push(readFile({ nome: e.name, bytes: e.bytes }));
        for (const s of zip.skipped) letti.push({ kind: 'rifiutato', nome: s.name, motivo: s.motivo });
      }

      const fatture = letti.filter((l): l is Extract<Letto, { kind: 'fattura' }> => l.kind === 'fattura');
      const violations = await fatturapaViolations(fatture.map((l) => l.xml));
      const avvisiOf = new Map(fatture.map((l, i) => [l, violations[i] ?? []]));

      const upload = await caricamento(actor, fatture.map((l) => l.nome));
      const esiti = new Map<Letto, EsitoFile>();
      for (const l of letti) if (l.kind === 'rifiutato') esiti.set(l, { nome: l.nome, esito: 'rifiutato', motivo: l.motivo });
      const soloNote = (l: Extract<Letto, { kind: 'fattura' }>) => l.fattura.corpi.every((c) => c.tipoDocumento === 'TD04');
      for (const l of [...fatture.filter((f) => !soloNote(f)), ...fatture.filter(soloNote)]) esiti.set(l, await storeInvoice(actor, upload, l, avvisiOf.get(l) ?? []));
      for (const l of letti) if (l.kind === 'metadati') esiti.set(l, await storeMetadati(actor, l));
      return letti.map((l) => esiti.get(l)!);
    },
  };
}

export type FattureCaricamento = ReturnType<typeof createFattureCaricamento>;
type Caricamento = { scuola: Awaited<ReturnType<typeof scuolaIdentita>>; sdi: Map<string, string>; creditoreOf(db: Knex.Transaction, fattura: Fattura): Promise<number | null> };
