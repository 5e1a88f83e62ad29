/**
 * The rules of tying a received invoice to an impegno, and of the supplier
 * taken from the invoice into Creditori (issue 15, DOMAIN.md §5.1).
 *
 * The law (art. 25 DL 66/2014; art. 3 L. 136/2010): a PA pays an invoice only
 * when it carries the CIG of the contract, and the CUP where the expense has
 * one. So an invoice goes on the impegno of its own contract: the same CIG,
 * and the impegno's CUP written on the invoice too. A refusal can be overridden
 * only by the secretary with a stated reason (kept in the audit).
 *
 * Pure module: no I/O.
 */
import { validateCodiceFiscale, validateIban, validatePartitaIva } from './anagrafica.js';
import { indirizzoProblems, STATO_ITALIA, type IndirizzoParts } from './indirizzo.js';
import { shortened } from './text.js';

const LEGGE = 'art. 25 DL 66/2014; art. 3 L. 136/2010';

/** A code of the invoice as stored in fatture_codici (its reading by the app's validators). */
export type CodiceLetto = { tipo: 'cig' | 'cup'; esito: 'valido' | 'correzione' | 'non_valido' | 'altro_campo'; codice: string | null };

/**
 * The valid codes of an invoice: a CIG (or CUP) read as valid, also when the
 * supplier wrote it in the other field. A correction still to confirm does not count.
 */
export function codiciValidi(codici: readonly CodiceLetto[]): { cig: string[]; cup: string[] } {
  const of = (tipo: 'cig' | 'cup') => [
    ...new Set(codici.filter((c) => c.tipo === tipo && c.codice !== null && (c.esito === 'valido' || c.esito === 'altro_campo')).map((c) => c.codice!)),
  ];
  return { cig: of('cig'), cup: of('cup') };
}

export type FatturaDaCollegare = { cig: string[]; cup: string[]; creditoreId: number | null; fornitore: string };

export type ImpegnoDaCollegare = {
  numero: number;
  esercizio: number;
  cig: string | null;
  cup: string | null;
  motivoEsclusioneCig: string | null;
  creditoreId: number | null;
  creditore: string | null;
};

/** What tying the invoice to the impegno meets: refusals (the law's reasons) and warnings (to check, not blocking). */
export type VerificaCollegamento = { rifiuti: string[]; avvisi: string[] };

const elenco = (codici: string[]) => codici.join(', ');

export function verificaCollegamento(f: FatturaDaCollegare, i: ImpegnoDaCollegare): VerificaCollegamento {
  const rifiuti: string[] = [];
  const avvisi: string[] = [];
  const impegno = `l’impegno n. ${i.numero}/${i.esercizio}`;

  if (f.cig.length > 0) {
    if (i.cig === null) {
      rifiuti.push(
        `La fattura riporta il CIG ${elenco(f.cig)}, ${impegno} non ha nessun CIG: una fattura si paga sull’impegno del contratto che ha il suo CIG (${LEGGE}). ` +
          `Scegli l’impegno con il CIG ${elenco(f.cig)}, oppure indica quel CIG sull’impegno se è il suo contratto.`,
      );
    } else if (!f.cig.includes(i.cig)) {
      rifiuti.push(
        `La fattura riporta il CIG ${elenco(f.cig)}, ${impegno} ha il CIG ${i.cig}: una fattura si paga solo sull’impegno del contratto con lo stesso CIG (${LEGGE}). ` +
          `Scegli l’impegno con il CIG ${elenco(f.cig)}, oppure chiedi al fornitore una nota di credito e una nuova fattura con il CIG ${i.cig}.`,
      );
    }
  } else if (i.cig !== null) {
    rifiuti.push(
      `La fattura non riporta nessun CIG valido, ${impegno} ha il CIG ${i.cig}: non si può pagare una fattura che non riporta il CIG del contratto (${LEGGE}). ` +
        `Chiedi al fornitore una nota di credito e una nuova fattura con il CIG ${i.cig}.`,
    );
  } else if (i.motivoEsclusioneCig === null) {
    avvisi.push(
      `La fattura resta «senza CIG»: ${impegno} non ha né CIG né motivo di esclusione del CIG. ` +
        'Se la spesa è esclusa dal CIG, indica il motivo di esclusione sull’impegno.',
    );
  }

  if (i.cup !== null && !f.cup.includes(i.cup)) {
    const scritto = f.cup.length > 0 ? `riporta il CUP ${elenco(f.cup)}` : 'non riporta nessun CUP valido';
    rifiuti.push(
      `${impegno.charAt(0).toUpperCase()}${impegno.slice(1)} ha il CUP ${i.cup}, la fattura ${scritto}: la fattura di una spesa con CUP deve riportarlo (${LEGGE}). ` +
        `Chiedi al fornitore una nota di credito e una nuova fattura con il CUP ${i.cup}.`,
    );
  }

  if (f.creditoreId !== null && i.creditoreId !== null && f.creditoreId !== i.creditoreId) {
    avvisi.push(`Il creditore dell’impegno (${i.creditore ?? 'un altro'}) non è il fornitore della fattura (${f.fornitore}): controlla di aver scelto l’impegno giusto.`);
  }
  return { rifiuti, avvisi };
}

/** The reason of an override must say something: at least three words and 15 characters. */
export const MOTIVO_MINIMO = 'Scrivi il motivo per cui colleghi comunque la fattura (almeno qualche parola: resta nella cronologia)';

export function motivoSufficiente(motivo: string): boolean {
  const text = motivo.trim();
  return text.length >= 15 && text.split(/\s+/).length >= 3;
}

/** "Senza CIG" is shown unless the invoice is tied to an impegno with a motivo di esclusione del CIG. */
export function senzaCigDaSegnalare(senzaCig: boolean, motivoEsclusioneImpegno: string | null | undefined): boolean {
  return senzaCig && !motivoEsclusioneImpegno;
}

/** What to propose as the oggetto of a CIG (or descrizione of a CUP): the descriptions of the lines it concerns. */
export function descrizioneDalleRighe(linee: readonly { numeroLinea: number; descrizione: string }[], righe: readonly number[], max = 200): string {
  const chosen = righe.length > 0 ? linee.filter((l) => righe.includes(l.numeroLinea)) : linee;
  const texts = [...new Set(chosen.map((l) => l.descrizione.replace(/\s+/g, ' ').trim()).filter(Boolean))];
  return shortened(texts.join('; '), max);
}

export type CedenteLetto = {
  denominazione: string | null;
  nome: string | null;
  cognome: string | null;
  idFiscaleIva: { idPaese: string; idCodice: string } | null;
  codiceFiscale: string | null;
  sede: { indirizzo: string | null; numeroCivico: string | null; cap: string | null; comune: string | null; provincia: string | null; nazione: string | null };
};

export type CreditoreProposto = IndirizzoParts & {
  denominazione: string;
  partita_iva: string | null;
  codice_fiscale: string | null;
  iban: string | null;
};

/** "Via Tiburtina 1020, 00156 Roma (RM), IT" from the Sede's parts; null when there are none. */
export function indirizzoDellaSede(sede: CedenteLetto['sede']): string | null {
  const via = [sede.indirizzo, sede.numeroCivico].filter(Boolean).join(' ');
  const comune = [sede.cap, sede.comune, sede.provincia ? `(${sede.provincia})` : null].filter(Boolean).join(' ');
  const text = [via, comune, sede.nazione].filter(Boolean).join(', ').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text.slice(0, 500);
}

const clean = (s: string | null, max: number) => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);
  return t === '' ? null : t;
};

/**
 * The creditore's address from the invoice's Sede: Indirizzo and NumeroCivico as
 * the street, CAP, Comune as località, Provincia, Nazione as stato (the 00000 CAP
 * that FatturaPA asks of a foreign Sede is left out). When the parts break the
 * Creditori register's rules (domain/indirizzo.ts), a wrong provincia is left out,
 * otherwise the whole address stays as one text in the street, as before.
 */
export function indirizzoDalCedente(sede: CedenteLetto['sede']): IndirizzoParts {
  const nazione = clean(sede.nazione, 16)?.toUpperCase() ?? STATO_ITALIA;
  const stato = /^[A-Z]{2}$/.test(nazione) ? nazione : STATO_ITALIA;
  const capLetto = clean(sede.cap, 16);
  const parts = {
    indirizzo: clean([sede.indirizzo, sede.numeroCivico].filter(Boolean).join(' '), 500),
    cap: stato !== STATO_ITALIA && capLetto === '00000' ? null : capLetto,
    localita: clean(sede.comune, 200),
    provincia: clean(sede.provincia, 16)?.toUpperCase() ?? null,
    stato,
  };
  const problems = indirizzoProblems(parts);
  if (Object.keys(problems).length === 0) return parts;
  if (Object.keys(problems).every((k) => k === 'provincia')) return { ...parts, provincia: null };
  return { indirizzo: indirizzoDellaSede(sede), cap: null, localita: null, provincia: null, stato };
}

/**
 * The creditore to create from the invoice's CedentePrestatore: the name
 * (Denominazione, or Cognome Nome as the Creditori register writes people),
 * the Italian partita IVA and codice fiscale only when they pass their checks,
 * the address in its parts, the first IBAN of the payment terms that passes its check.
 */
export function creditoreDalCedente(cedente: CedenteLetto, pagamenti: readonly { iban: string | null }[]): CreditoreProposto {
  const persona = [cedente.cognome, cedente.nome].filter(Boolean).join(' ');
  const denominazione = (cedente.denominazione ?? persona).replace(/\s+/g, ' ').trim().slice(0, 300);
  const id = cedente.idFiscaleIva;
  const piva = id && id.idPaese === 'IT' ? validatePartitaIva(id.idCodice) : null;
  const cf = cedente.codiceFiscale ? validateCodiceFiscale(cedente.codiceFiscale) : null;
  let iban: string | null = null;
  for (const p of pagamenti) {
    const check = p.iban ? validateIban(p.iban) : null;
    if (check?.ok) {
      iban = check.value;
      break;
    }
  }
  return {
    denominazione,
    partita_iva: piva?.ok ? piva.value : null,
    codice_fiscale: cf?.ok ? cf.value : null,
    ...indirizzoDalCedente(cedente.sede),
    iban,
  };
}
