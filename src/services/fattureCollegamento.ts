import type { Knex } from 'knex';
import { z } from 'zod';
import {
  codiciValidi, creditoreDalCedente, motivoSufficiente, MOTIVO_MINIMO, verificaCollegamento, type CreditoreProposto,
} from '../domain/fatturaCollegamento.js';
import { readStoredFattura } from '../formats/fatturapa/busta.js';
import {
  codiciOfFattura, creditoreOfFornitore, findFattura, findFile, type CodiceRow, type FatturaRow,
} from '../repositories/fattureRepository.js';
import {
  creditoreNome, fattureSenzaCreditore, impegniProposti, impegnoIdByNumero, impegnoPerFattura, setCreditoreFatture, setImpegnoFattura,
  type ImpegnoPerFattura,
} from '../repositories/fattureCollegamentoRepository.js';
import { findCreditore, findCreditoreByIdentificativo, insertCreditore, type CreditoreRow } from '../repositories/creditoriRepository.js';
import type { Snapshot } from '../repositories/auditRepository.js';
import { creditoreSnapshot, creditoreValues } from './creditoriService.js';
import { creditoreCreateSchema } from '../validation/creditoriSchemas.js';
import { csrfField, UNKNOWN_FIELDS, versionField } from '../validation/fields.js';
import { isPlainText, TESTO_NON_AMMESSO } from '../domain/text.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { audited } from './audited.js';
import { NOT_FOUND, type Actor, type NotFound, type Values } from './results.js';

/**
 * The invoice page's actions (issue 15): its codes against the registers, its
 * supplier among the Creditori, the tie to an impegno (refused against the law
 * unless confirmed with a reason) and its removal. Every write locks the
 * invoice's row, checks the version the page showed and is audited.
 */

export function fatturaSnapshot(f: FatturaRow): Snapshot {
  return {
    impegno_id: f.impegno_id,
    impegno: f.impegno_numero === null ? null : `n. ${f.impegno_numero}/${f.impegno_esercizio}`,
    motivo_collegamento: f.motivo_collegamento,
    creditore_id: f.creditore_id,
    creditore: f.creditore,
  };
}

const fatture = audited<FatturaRow>({ entita: 'fattura', find: findFattura, snapshot: fatturaSnapshot });
const creditori = audited<CreditoreRow>({ entita: 'creditore', find: findCreditore, snapshot: creditoreSnapshot });

/** The invoice as the supplier wrote it, read again from the stored file (null when it cannot be read). */
const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);
const optionalPositive = (message: string) =>
  z.preprocess(asText, z.string({ error: message }).trim().regex(/^(\d{1,9})?$/, message).transform((s) => (s === '' ? null : Number(s))));

export const COLLEGA_FIELDS = ['impegno_id', 'impegno_numero', 'impegno_esercizio', 'version', 'conferma', 'motivo'] as const;

const collegaSchema = z.strictObject(
  {
    impegno_id: optionalPositive('Scegli l’impegno dall’elenco'),
    impegno_numero: optionalPositive('Numero dell’impegno non valido: scrivi solo il numero, per esempio 12'),
    impegno_esercizio: optionalPositive('Esercizio non valido: scrivi l’anno, per esempio 2026'),
    version: versionField,
    conferma: z.preprocess(asText, z.string().max(1)).optional(),
    motivo: z.preprocess(asText, z.string({ error: 'Motivo non valido' }).max(1000, 'Il motivo è troppo lungo: al massimo 1.000 caratteri').refine(isPlainText, TESTO_NON_AMMESSO)).optional(),
    _csrf: csrfField,
  },
  { error: UNKNOWN_FIELDS },
);

const versionSchema = z.strictObject({ version: versionField, _csrf: csrfField }, { error: UNKNOWN_FIELDS });

/** The answers of the invoice page's actions. */
export type EsitoAzione =
  | { ok: true; messaggio: string; avvisi: string[] }
  | NotFound
  | { ok: false; kind: 'conflict' }
  | { ok: false; kind: 'invalid'; errors: FieldErrors; values: Values }
  /** The tie is against the law's rules: shown with the confirmation form (conferma + motivo). */
  | { ok: false; kind: 'conferma'; rifiuti: string[]; avvisi: string[]; impegno: ImpegnoPerFattura; values: Values; errors: FieldErrors };

const CONFLITTO = { ok: false, kind: 'conflict' } as const;
const refused = (values: Values, errors: FieldErrors) => ({ ok: false as const, kind: 'invalid' as const, errors, values });
const numeroImpegno = (i: { numero: number; esercizio: number }) => `n. ${i.numero}/${i.esercizio}`;

export type CollegamentoPage = {
  fattura: FatturaRow;
  codici: CodiceRow[];
  /** The descriptions of the invoice's lines (to pre-fill a code's registration), null when the file cannot be read. */
  linee: { numeroLinea: number; descrizione: string }[] | null;
  impegno: ImpegnoPerFattura | null;
  /** No creditore yet: the one found now by P.IVA then CF, or what would be created from the invoice. */
  fornitore: { trovato: { id: number; denominazione: string } | null; proposto: CreditoreProposto | null } | null;
  proposte: ImpegnoPerFattura[];
  esercizio: number;
};

export function createFattureCollegamentoService(knex: Knex) {
  async function storedInvoice(db: Knex | Knex.Transaction, scuolaId: number, fattura: FatturaRow) {
    const file = await findFile(db, scuolaId, fattura.file_id);
    const letta = file ? readStoredFattura(file) : null;
    return { fattura: letta, corpo: letta?.corpi[fattura.corpo - 1] ?? null };
  }

  function fornitoreOf(f: FatturaRow) {
    return { partitaIva: f.fornitore_partita_iva, codiceFiscale: f.fornitore_codice_fiscale };
  }

  return {
    /** What the invoice page's "Codici, fornitore, impegno" part shows; `esercizio`: the one in use (proposals: it and the one before). */
    async page(scuolaId: number, id: number, esercizio: number): Promise<CollegamentoPage | undefined> {
      const fattura = await findFattura(knex, scuolaId, id);
      if (!fattura) return undefined;
      const [codici, stored, impegno] = await Promise.all([
        codiciOfFattura(knex, scuolaId, id),
        storedInvoice(knex, scuolaId, fattura),
        fattura.impegno_id === null ? undefined : impegnoPerFattura(knex, scuolaId, fattura.impegno_id),
      ]);
      let fornitore: CollegamentoPage['fornitore'] = null;
      if (fattura.creditore_id === null) {
        const trovatoId = await creditoreOfFornitore(knex, scuolaId, fornitoreOf(fattura));
        const trovato = trovatoId === null ? null : ((await creditoreNome(knex, scuolaId, trovatoId)) ?? null);
        const proposto = stored.fattura && stored.corpo ? creditoreDalCedente(stored.fattura.cedente, stored.corpo.pagamenti) : null;
        fornitore = { trovato, proposto };
      }
      const validi = codiciValidi(codici);
      const creditoreId = fattura.creditore_id ?? fornitore?.trovato?.id ?? null;
      const proposte = fattura.impegno_id === null
        ? await impegniProposti(knex, scuolaId, { esercizi: [esercizio, esercizio - 1], creditoreId, cig: validi.cig })
        : [];
      // Those carrying one of the invoice's CIG first, among them those with something left to pay, then the newest.
      const rank = (i: ImpegnoPerFattura) => (i.cig !== null && validi.cig.includes(i.cig) ? 2 : 0) + (i.importo_cents > i.pagato_cents ? 1 : 0);
      proposte.sort((a, b) => rank(b) - rank(a));
      return {
        fattura,
        codici,
        linee: stored.corpo ? stored.corpo.linee.map((l) => ({ numeroLinea: l.numeroLinea, descrizione: l.descrizione })) : null,
        impegno: impegno ?? null,
        fornitore,
        proposte,
        esercizio,
      };
    },

    /** Ties the invoice to an impegno (by id, or by numero and esercizio), at the version the page showed. */
    async collega(actor: Actor, id: number, body: unknown): Promise<EsitoAzione> {
      const parsed = collegaSchema.safeParse(body ?? {});
      const values = Object.fromEntries(COLLEGA_FIELDS.map((f) => [f, typeof (body as Values | undefined)?.[f] === 'string' ? (body as Values)[f]! : ''])) as Values;
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'impegno_id')] ??= issue.message;
        return refused(values, errors);
      }
      const data = parsed.data;
      if (data.impegno_id === null && (data.impegno_numero === null || data.impegno_esercizio === null)) {
        return refused(values, { impegno_id: 'Scegli l’impegno dall’elenco, oppure scrivi numero ed esercizio dell’impegno' });
      }
      const motivo = data.motivo?.trim() ?? '';
      return knex.transaction(async (trx): Promise<EsitoAzione> => {
        const before = await findFattura(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return NOT_FOUND;
        if (before.version !== data.version) return CONFLITTO;
        const impegnoId = data.impegno_id ?? (await impegnoIdByNumero(trx, actor.scuolaId, data.impegno_esercizio!, data.impegno_numero!));
        const impegno = impegnoId === null ? undefined : await impegnoPerFattura(trx, actor.scuolaId, impegnoId);
        if (!impegno) {
          const cosa = data.impegno_id === null ? `l’impegno n. ${data.impegno_numero}/${data.impegno_esercizio}` : 'l’impegno scelto';
          return refused(values, { [data.impegno_id === null ? 'impegno_numero' : 'impegno_id']: `Non c’è ${cosa} tra gli impegni della scuola: controlla numero ed esercizio.` });
        }
        if (before.impegno_id === impegno.id) return { ok: true, messaggio: `La fattura era già collegata all’impegno ${numeroImpegno(impegno)}.`, avvisi: [] };
        if (before.impegno_id !== null && before.pagato_cents > 0) {
          return refused(values, {
            collegamento: `La fattura ha già dei pagamenti sull’impegno n. ${before.impegno_numero}/${before.impegno_esercizio}: non si può spostare su un altro impegno.`,
          });
        }
        const codici = await codiciOfFattura(trx, actor.scuolaId, id);
        const validi = codiciValidi(codici);
        const verifica = verificaCollegamento(
          { ...validi, creditoreId: before.creditore_id, fornitore: before.creditore ?? before.fornitore_denominazione },
          {
            numero: impegno.numero, esercizio: impegno.esercizio, cig: impegno.cig, cup: impegno.cup,
            motivoEsclusioneCig: impegno.motivo_esclusione_cig, creditoreId: impegno.creditore_id, creditore: impegno.creditore,
          },
        );
        const values2 = { ...values, impegno_id: String(impegno.id) };
        if (verifica.rifiuti.length > 0) {
          if (data.conferma !== '1') return { ok: false, kind: 'conferma', ...verifica, impegno, values: values2, errors: {} };
          if (!motivoSufficiente(motivo)) return { ok: false, kind: 'conferma', ...verifica, impegno, values: values2, errors: { motivo: MOTIVO_MINIMO } };
        }
        const written = await setImpegnoFattura(trx, actor.scuolaId, id, before.version, actor.id, { impegno_id: impegno.id, motivo_collegamento: motivo === '' ? null : motivo });
        if (written === 0) return CONFLITTO;
        const after = (await findFattura(trx, actor.scuolaId, id))!;
        await fatture.audit(trx, actor, id, 'collega', before, after, verifica.rifiuti.length > 0 ? { rifiuti_confermati: verifica.rifiuti } : {});
        const forzato = verifica.rifiuti.length > 0 ? ' nonostante i controlli, con il motivo indicato' : '';
        return { ok: true, messaggio: `Fattura n. ${before.numero} collegata all’impegno ${numeroImpegno(impegno)}${forzato}.`, avvisi: verifica.avvisi };
      });
    },

    /** Removes the tie; refused once a mandato paid part of the invoice. */
    async scollega(actor: Actor, id: number, body: unknown): Promise<EsitoAzione> {
      const parsed = versionSchema.safeParse(body ?? {});
      if (!parsed.success) return refused({}, { version: 'Il modulo non è valido: ricarica la pagina e riprova.' });
      return knex.transaction(async (trx): Promise<EsitoAzione> => {
        const before = await findFattura(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return NOT_FOUND;
        if (before.version !== parsed.data.version) return CONFLITTO;
        if (before.impegno_id === null) return { ok: true, messaggio: 'La fattura non era collegata a nessun impegno.', avvisi: [] };
        if (before.pagato_cents > 0) {
          return refused({}, {
            collegamento: `La fattura ha già dei pagamenti sull’impegno n. ${before.impegno_numero}/${before.impegno_esercizio}: non si può scollegare. Per correggere, annulla prima i mandati che la pagano.`,
          });
        }
        const written = await setImpegnoFattura(trx, actor.scuolaId, id, before.version, actor.id, { impegno_id: null, motivo_collegamento: null });
        if (written === 0) return CONFLITTO;
        const after = (await findFattura(trx, actor.scuolaId, id))!;
        await fatture.audit(trx, actor, id, 'scollega', before, after);
        return { ok: true, messaggio: `Fattura n. ${before.numero} scollegata dall’impegno n. ${before.impegno_numero}/${before.impegno_esercizio}.`, avvisi: [] };
      });
    },

    /**
     * The invoice's supplier into Creditori: the creditore found by P.IVA then
     * codice fiscale, or a new one from the invoice's CedentePrestatore; then
     * every invoice of the school from that supplier without a creditore gets it.
     */
    async creditore(actor: Actor, id: number, body: unknown): Promise<EsitoAzione> {
      const parsed = z.strictObject({ _csrf: csrfField }, { error: UNKNOWN_FIELDS }).safeParse(body ?? {});
      if (!parsed.success) return refused({}, { creditore: UNKNOWN_FIELDS });
      return knex.transaction(async (trx): Promise<EsitoAzione> => {
        const seen = await findFattura(trx, actor.scuolaId, id);
        if (!seen) return NOT_FOUND;
        // Lock every invoice of the supplier still without a creditore, in id order, before
        // looking the creditore up: two clicks at once (on this or another of its invoices) create one.
        const ids = await fattureSenzaCreditore(trx, actor.scuolaId, seen.fornitore_chiave);
        const fattura = (await findFattura(trx, actor.scuolaId, id, { forUpdate: true }))!;
        if (fattura.creditore_id !== null) return { ok: true, messaggio: `La fattura è già associata al creditore ${fattura.creditore}.`, avvisi: [] };

        let creditoreId = await creditoreOfFornitore(trx, actor.scuolaId, fornitoreOf(fattura));
        let messaggio: string;
        if (creditoreId !== null) {
          const c = (await creditoreNome(trx, actor.scuolaId, creditoreId))!;
          messaggio = `Fattura associata al creditore ${c.denominazione}.`;
        } else {
          const stored = await storedInvoice(trx, actor.scuolaId, fattura);
          if (!stored.fattura || !stored.corpo) {
            return refused({}, { creditore: 'Non si riesce a leggere il fornitore dal file della fattura: inserisci il creditore a mano in Gestisci → Creditori.' });
          }
          const proposto = creditoreDalCedente(stored.fattura.cedente, stored.corpo.pagamenti);
          const form = creditoreCreateSchema.safeParse({
            denominazione: proposto.denominazione, partita_iva: proposto.partita_iva ?? '', codice_fiscale: proposto.codice_fiscale ?? '',
            indirizzo: proposto.indirizzo ?? '', cap: proposto.cap ?? '', localita: proposto.localita ?? '', provincia: proposto.provincia ?? '',
            stato: proposto.stato, iban: proposto.iban ?? '',
          });
          if (!form.success) {
            const motivo = form.error.issues[0]?.message ?? '';
            return refused({}, {
              creditore: `Il creditore non si può creare dai dati della fattura (${motivo.replace(/\.$/, '')}): il fornitore non ha una partita IVA o un codice fiscale italiani validi. Inseriscilo a mano in Gestisci → Creditori.`,
            });
          }
          const values = creditoreValues(form.data);
          // Same rule as the Creditori register: one creditore per identifier.
          const dup = await findCreditoreByIdentificativo(trx, actor.scuolaId, values, null);
          if (dup) creditoreId = dup.id;
          else creditoreId = (await creditori.insert(trx, actor, () => insertCreditore(trx, actor.scuolaId, actor.id, values))).id;
          messaggio = dup ? `Fattura associata al creditore ${dup.denominazione}.` : `Creditore ${values.denominazione} creato dai dati della fattura e associato.`;
        }

        const befores = await Promise.all(ids.map((fid) => findFattura(trx, actor.scuolaId, fid)));
        await setCreditoreFatture(trx, actor.scuolaId, ids, creditoreId, actor.id);
        for (const b of befores) {
          if (!b) continue;
          const after = (await findFattura(trx, actor.scuolaId, b.id))!;
          await fatture.audit(trx, actor, b.id, 'modifica', b, after);
        }
        const altre = ids.filter((fid) => fid !== id).length;
        const anche = altre === 0 ? '' : altre === 1 ? ' Associata anche un’altra fattura dello stesso fornitore.' : ` Associate anche altre ${altre} fatture dello stesso fornitore.`;
        return { ok: true, messaggio: `${messaggio}${anche}`, avvisi: [] };
      });
    },
  };
}

export type FattureCollegamentoService = ReturnType<typeof createFattureCollegamentoService>;
