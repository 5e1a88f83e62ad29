import { yearOf } from './dates.js';
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

/** What the save told the user once the CUP is written on the voce. */
export function cupAppliedMessage(voce: VoceCup, cup: CupChoice): string {
  return voce.cup_id === null
    ? `Il CUP ${cup.codice} è stato scritto anche sulla voce ${formatVoceCodice(voce)} del Piano delle destinazioni.`
    : `Sulla voce ${formatVoceCodice(voce)} il CUP ${voce.cup_codice} è stato sostituito da ${cup.codice}.`;
}

type MandatoCheck = {
  beneficiario_id: number | null;
  cig_id: number | null; cig_codice: string | null; impegno_cig_id: number | null; impegno_cig_codice: string | null;
};

export const MANDATO_SENZA_BENEFICIARIO =
  'Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.';

/** Not blocking: a mandato without beneficiario (a draft the cassiere cannot receive), a mandato whose CIG is not its impegno's. */
export function mandatoWarnings(r: MandatoCheck): string[] {
  const out: string[] = [];
  if (r.beneficiario_id === null) out.push(MANDATO_SENZA_BENEFICIARIO);
  if (r.cig_id !== null && r.impegno_cig_id !== null && r.cig_id !== r.impegno_cig_id) {
    out.push(`Il CIG del mandato (${r.cig_codice}) è diverso da quello dell’impegno (${r.impegno_cig_codice}): controlla che sia corretto.`);
  }
  return out;
}

/** The esercizio rule of every document date. */
export function dateOutsideEsercizio(data: string | null, esercizio: number): string | null {
  if (!data || yearOf(data) === esercizio) return null;
  return `La data deve cadere nell’esercizio ${esercizio} (dal 01/01/${esercizio} al 31/12/${esercizio})`;
}
