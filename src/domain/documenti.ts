import { formatDateIt, yearOf } from './dates.js';
import { formatVoceCodice, type VoceCodice } from './piano.js';

/**
 * Pure rules of the documents (impegni, mandati): the CUP that follows the
 * document to its voce of the Piano delle destinazioni, and what to check on a
 * mandato. See docs/dominio.md.
 */

export type CupConflict = { voceCodice: string; cupVoce: string; cupDocumento: string };

type VoceCup = VoceCodice & { cup_id: number | null; cup_codice: string | null };
type CupChoice = { id: number; codice: string };

/**
 * The document's CUP goes on its voce. Voce without CUP → it gets this one;
 * same CUP → nothing; another CUP → only with conferma '1' ('0' keeps the voce's,
 * null means not asked yet: the caller must not save, it asks first).
 */
export function cupDecision(voce: VoceCup, cup: CupChoice | null, conferma: '0' | '1' | null): { action: 'none' | 'set' | 'replace' } | { action: 'ask'; conflict: CupConflict } {
  if (!cup || voce.cup_id === cup.id) return { action: 'none' };
  if (voce.cup_id === null) return { action: 'set' };
  if (conferma === '1') return { action: 'replace' };
  if (conferma === '0') return { action: 'none' };
  return { action: 'ask', conflict: { voceCodice: formatVoceCodice(voce), cupVoce: voce.cup_codice ?? '', cupDocumento: cup.codice } };
}

export function cupConflictMessage(c: CupConflict): string {
  return `La voce ${c.voceCodice} ha già il CUP ${c.cupVoce}: sostituirlo con ${c.cupDocumento}? Scegli qui sotto, poi salva di nuovo.`;
}

/**
 * A new impegno (or one moved to another voce) without CUP on a voce that has one: the form comes
 * back with the voce's CUP proposed, asked once (without JavaScript the form cannot propose it before saving).
 */
export function cupDallaVoceProposto(voce: VoceCup, cupId: number | null, voceChanged: boolean, giaChiesto: boolean): boolean {
  return cupId === null && voce.cup_id !== null && voceChanged && !giaChiesto;
}

export function cupDallaVoceMessage(voce: VoceCup): string {
  return `La voce ${formatVoceCodice(voce)} ha il CUP ${voce.cup_codice ?? ''}: è stato proposto nel campo CUP. Controlla e salva di nuovo; se la spesa non rientra nel progetto scegli «— nessun CUP —».`;
}

/** What the save told the user once the CUP is written on the voce. */
export function cupAppliedMessage(voce: VoceCup, cup: CupChoice): string {
  return voce.cup_id === null
    ? `Il CUP ${cup.codice} è stato scritto anche sulla voce ${formatVoceCodice(voce)} del Piano delle destinazioni.`
    : `Sulla voce ${formatVoceCodice(voce)} il CUP ${voce.cup_codice} è stato sostituito da ${cup.codice}.`;
}

type MandatoCheck = {
  beneficiario_id: number | null;
  cig_id: number | null; cig_codice: string | null; impegno_cig_id: number | null; impegno_cig_codice: string | null;
  data: string | null; impegno_data: string | null; impegno_numero: number | null; impegno_esercizio: number | null;
};

export const MANDATO_SENZA_BENEFICIARIO =
  'Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.';

/**
 * Not blocking: a mandato without beneficiario (a draft the cassiere cannot receive), a mandato
 * whose CIG is not its impegno's, a mandato dated before its impegno (a payment cannot precede
 * the commitment it pays: usually a typo in the day or the month).
 */
export function mandatoWarnings(r: MandatoCheck): string[] {
  const out: string[] = [];
  if (r.beneficiario_id === null) out.push(MANDATO_SENZA_BENEFICIARIO);
  if (r.cig_id !== null && r.impegno_cig_id !== null && r.cig_id !== r.impegno_cig_id) {
    out.push(`Il CIG del mandato (${r.cig_codice}) è diverso da quello dell’impegno (${r.impegno_cig_codice}): controlla che sia corretto.`);
  }
  if (r.data && r.impegno_data && r.data < r.impegno_data) {
    out.push(`Il mandato è datato ${formatDateIt(r.data)}, prima dell’impegno n. ${r.impegno_numero}/${r.impegno_esercizio} che paga (del ${formatDateIt(r.impegno_data)}): controlla la data.`);
  }
  return out;
}

/** The esercizio rule of every document date. */
export function dateOutsideEsercizio(data: string | null, esercizio: number): string | null {
  if (!data || yearOf(data) === esercizio) return null;
  return `La data deve cadere nell’esercizio ${esercizio} (dal 01/01/${esercizio} al 31/12/${esercizio})`;
}

/**
 * What the form says before saving (public/js/documento.js asks POST …/verifica as the user edits),
 * from the same rules the save applies: the date outside the esercizio, the mandato's warnings,
 * the question about the voce's other CUP (null once answered or when nothing changes).
 */
export function avvisiPrimaDelSalvataggio(input: {
  data: string | null; esercizio: number; mandato: MandatoCheck | null;
  voce: VoceCup | null; cup: CupChoice | null; conferma: '0' | '1' | null; cupChanged: boolean;
}): { avvisi: string[]; cupConflict: CupConflict | null } {
  const avvisi: string[] = [];
  const fuori = dateOutsideEsercizio(input.data, input.esercizio);
  if (fuori) avvisi.push(`${fuori}.`);
  if (input.mandato) avvisi.push(...mandatoWarnings(input.mandato));
  const decision = input.voce && input.cupChanged ? cupDecision(input.voce, input.cup, input.conferma) : null;
  return { avvisi, cupConflict: decision?.action === 'ask' ? decision.conflict : null };
}
