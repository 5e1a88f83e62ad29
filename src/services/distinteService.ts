import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../clock.js';
import { dateTimeIsoRome } from '../domain/dates.js';
import {
  identitaMancante, mandatoOpi, problemiMandato, prossimaOperazione, testataOpi, type Candidato, type Problema,
} from '../domain/distinta.js';
import { buildFlussoOrdinativi, identificativoFlusso, nomeFileFlusso, type MandatoOpi, type TipoOperazione } from '../formats/opi/flusso.js';
import { MAX_ESITO_BYTES, readEsitoApplicativo, type EsitoOrdinativo } from '../formats/opi/esito.js';
import { opiEsitoViolations, opiFlussoViolations } from '../formats/xsd.js';
import {
  candidati, candidatiBloccati, findEsitoBySha, findFlusso, findFlussoByIdentificativo, flussoContenuto, insertEsito, insertFlusso, insertFlussoMandati,
  listFlussi, lockNumerazioneDistinte, mandatiDelFlusso, prossimoNumeroDistinta, setEsito, type FiltriDistinta, type FlussoRow,
} from '../repositories/distinteRepository.js';
import { findScuola } from '../repositories/scuolaRepository.js';
import { creaDistintaSchema, filtriDistintaSchema } from '../validation/distinteSchemas.js';
import { toFormErrors } from '../validation/formErrors.js';
import type { Actor } from './results.js';

/** A mandato of the page: ready (with its operation) or held back (with why). */
export type Riga = { candidato: Candidato; operazione: TipoOperazione; problemi: Problema[] };

/** The mandati the bank is not up to date with, split into those that can go and those that cannot. */
function verifica(lista: Candidato[]) {
  const pronti: Riga[] = [];
  const bloccati: Riga[] = [];
  for (const c of lista) {
    const operazione = prossimaOperazione(c);
    if (!operazione) continue;
    const problemi = problemiMandato(c, operazione);
    (problemi.length ? bloccati : pronti).push({ candidato: c, operazione, problemi });
  }
  return { pronti, bloccati };
}

/**
 * One answer per mandato: the bank may answer per beneficiary; a mandato is
 * refused when any of its lines is, with every error code and description.
 */
export function esitiPerMandato(ordinativi: EsitoOrdinativo[]) {
  const out = new Map<string, { identificativoFlusso: string; esercizio: number; numero: number; accettato: boolean; codice: string | null; descrizione: string | null }>();
  for (const o of ordinativi) {
    if (o.tipo !== 'mandato') continue;
    const key = `${o.identificativoFlusso}|${o.esercizio}|${o.numero}`;
    const prima = out.get(key);
    const codici = [prima?.codice, ...o.errori.map((e) => e.codice)].filter(Boolean);
    const descrizioni = [prima?.descrizione, o.errori.length ? o.errori.map((e) => e.descrizione).join(' ') : o.esito === 'rifiutato' ? o.esitoOperazione : null].filter(Boolean);
    out.set(key, {
      identificativoFlusso: o.identificativoFlusso, esercizio: o.esercizio, numero: o.numero,
      accettato: (prima?.accettato ?? true) && o.esito === 'accettato',
      codice: codici.join(', ') || null,
      descrizione: descrizioni.join(' ') || null,
    });
  }
  return [...out.values()];
}

/** What the page showed, in one string: Crea distinta sends it back, and goes only if nothing changed meanwhile. */
export function firmaDi(pronti: Riga[]): string {
  const text = pronti.map((r) => `${r.candidato.id}:${r.candidato.version}:${r.operazione}`).join(',');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export type CreaResult =
  | { ok: true; flussoId: number; numero: number; mandati: number }
  | { ok: false; kind: 'invalid'; errors: ReturnType<typeof toFormErrors> }
  | { ok: false; kind: 'changed' | 'empty' | 'identita'; message: string }
  | { ok: false; kind: 'schema'; violations: string[] };

export type EsitoResult =
  | { ok: true; flussoId: number; numero: number; accettati: number; rifiutati: number; sconosciuti: number[]; giaCaricato: boolean }
  | { ok: false; message: string; violations?: string[] };

/** Flussi → Mandati al cassiere: the pre-flight check, the distinte (SIOPE+ OPI files) and the bank's answers. */
export function createDistinteService(knex: Knex, clock: Clock) {
  return {
    /** The page: the school's identity gaps, the mandati ready and held back within the filters, the distinte of the esercizio. */
    async page(scuolaId: number, esercizio: number, query: unknown) {
      const parsed = filtriDistintaSchema.safeParse(query ?? {});
      const filtri: FiltriDistinta = parsed.success ? parsed.data : { dataDa: null, dataA: null, numeroDa: null, numeroA: null };
      const scuola = (await findScuola(knex, scuolaId, scuolaId))!;
      const { pronti, bloccati } = verifica(await candidati(knex, scuolaId, esercizio, filtri));
      const distinte = await listFlussi(knex, scuolaId, esercizio);
      return {
        filtri, errors: parsed.success ? null : toFormErrors(parsed.error),
        identitaMancante: identitaMancante(scuola), pronti, bloccati, firma: firmaDi(pronti), distinte,
      };
    },

    /**
     * Crea distinta: under the school's lock (two secretaries at once queue
     * here, and the second finds the mandati already sent), the mandati the page
     * showed are read again, locked, built into one OPI flow, validated against
     * the vendored schema and stored with their copy; an invalid file stores nothing.
     */
    async crea(actor: Actor, esercizio: number, body: unknown): Promise<CreaResult> {
      const parsed = creaDistintaSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error) };
      const { firma, ...filtri } = parsed.data;
      return knex.transaction(async (trx): Promise<CreaResult> => {
        await lockNumerazioneDistinte(trx, actor.scuolaId);
        const ente = (await findScuola(trx, actor.scuolaId, actor.scuolaId))!;
        const mancante = identitaMancante(ente);
        if (mancante.length) {
          return { ok: false, kind: 'identita', message: `Mancano i dati della scuola per il cassiere (${mancante.join(', ')}): completali in Impostazioni → Scuola e cassiere.` };
        }
        const visti = verifica(await candidati(trx, actor.scuolaId, esercizio, filtri)).pronti;
        if (visti.length === 0) return { ok: false, kind: 'empty', message: 'Non c’è nessun mandato pronto da inviare con questi filtri: nessuna distinta è stata creata.' };
        if (firmaDi(visti) !== firma) {
          return { ok: false, kind: 'changed', message: 'L’elenco dei mandati pronti è cambiato mentre lo guardavi (un mandato modificato, o inviato da un altro utente in un’altra distinta): ricontrolla l’elenco aggiornato e premi di nuovo Crea distinta. Nessuna distinta è stata creata.' };
        }
        // Locked and read again: an edit of one of them waits for this transaction, or went before it.
        const pronti = verifica(await candidatiBloccati(trx, actor.scuolaId, esercizio, visti.map((r) => r.candidato.id))).pronti;
        if (firmaDi(pronti) !== firma) {
          return { ok: false, kind: 'changed', message: 'Un mandato dell’elenco è stato modificato proprio ora: ricontrolla l’elenco aggiornato e premi di nuovo Crea distinta. Nessuna distinta è stata creata.' };
        }
        const numero = await prossimoNumeroDistinta(trx, actor.scuolaId);
        const testata = testataOpi(ente, identificativoFlusso(ente.codice_ente!, esercizio, numero), dateTimeIsoRome(clock()));
        const mandati: MandatoOpi[] = pronti.map((r) => mandatoOpi(r.candidato, r.operazione, ente));
        const xml = Buffer.from(buildFlussoOrdinativi({ testata, esercizio, mandati }), 'utf8');
        const violations = await opiFlussoViolations(xml);
        if (violations.length) return { ok: false, kind: 'schema', violations };
        const flussoId = await insertFlusso(trx, actor.scuolaId, actor.id, {
          numero, identificativo: testata.identificativoFlusso, esercizio, nome_file: nomeFileFlusso(testata),
          sha256: createHash('sha256').update(xml).digest('hex'), dimensione: xml.length, contenuto: xml,
          n_mandati: mandati.length, totale_cents: mandati.reduce((s, m) => s + m.importoCents, 0),
        });
        await insertFlussoMandati(trx, actor.scuolaId, flussoId, pronti.map((r, i) => ({
          mandato_id: r.candidato.id, tipo_operazione: r.operazione, mandato_version: r.candidato.version, importo_cents: r.candidato.importoCents, dati: mandati[i]!,
        })));
        return { ok: true, flussoId, numero, mandati: mandati.length };
      });
    },

    /** A distinta's page: what it carried and the answers. */
    async show(scuolaId: number, id: number) {
      const flusso = await findFlusso(knex, scuolaId, id);
      return flusso && { flusso, mandati: await mandatiDelFlusso(knex, scuolaId, id) };
    },

    /** The stored file, byte for byte as it was validated. */
    file: (scuolaId: number, id: number) => flussoContenuto(knex, scuolaId, id),

    /**
     * The bank's OPI_MSG_ESITO_APPLICATIVO: read safely, checked against its
     * schema, matched to the distinta it answers, and written on each mandato
     * of it. The same file twice changes nothing.
     */
    async caricaEsito(actor: Actor, file: { nome: string; bytes: Buffer }): Promise<EsitoResult> {
      if (file.bytes.length > MAX_ESITO_BYTES) return { ok: false, message: 'Il file è troppo grande per un esito del cassiere (al massimo 10 MB): controlla di aver scelto il file giusto. Nulla è stato salvato.' };
      const read = readEsitoApplicativo(file.bytes);
      if (!read.ok) return { ok: false, message: `${read.reason} Nulla è stato salvato.` };
      const violations = await opiEsitoViolations(file.bytes);
      if (violations.length) return { ok: false, message: 'Il file non rispetta lo schema OPI dell’esito applicativo: nulla è stato salvato.', violations };
      const esito = read.esito;
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      return knex.transaction(async (trx): Promise<EsitoResult> => {
        const flussi = new Map<string, FlussoRow>();
        for (const id of esito.identificativiFlusso) {
          const flusso = await findFlussoByIdentificativo(trx, actor.scuolaId, id);
          if (!flusso) return { ok: false, message: `L’esito risponde al flusso «${id}», che non è tra le distinte di questa scuola: controlla di aver scelto il file giusto. Nulla è stato salvato.` };
          flussi.set(id, flusso);
        }
        const primo = flussi.get(esito.identificativiFlusso[0] ?? '');
        if (!primo) return { ok: false, message: 'L’esito non riporta alcun mandato: nulla è stato salvato.' };
        const gia = await findEsitoBySha(trx, actor.scuolaId, sha256);
        if (gia) return { ok: true, flussoId: primo.id, numero: primo.numero, accettati: 0, rifiutati: 0, sconosciuti: [], giaCaricato: true };
        const perMandato = esitiPerMandato(esito.ordinativi);
        const rifiutati = perMandato.filter((e) => !e.accettato).length;
        const esitoId = await insertEsito(trx, actor.scuolaId, actor.id, {
          flusso_id: primo.id, nome_file: file.nome.slice(0, 255), sha256, contenuto: file.bytes, accettati: perMandato.length - rifiutati, rifiutati,
        });
        const sconosciuti: number[] = [];
        for (const e of perMandato) {
          const n = await setEsito(trx, actor.scuolaId, flussi.get(e.identificativoFlusso)!.id, e.esercizio, e.numero, {
            esito: e.accettato ? 'accettato' : 'rifiutato', codice: e.codice, descrizione: e.descrizione, esitoId,
          });
          if (n === 0) sconosciuti.push(e.numero);
        }
        return { ok: true, flussoId: primo.id, numero: primo.numero, accettati: perMandato.length - rifiutati, rifiutati, sconosciuti, giaCaricato: false };
      });
    },
  };
}

export type DistinteService = ReturnType<typeof createDistinteService>;
