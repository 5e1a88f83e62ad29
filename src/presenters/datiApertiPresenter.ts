import { formatDateIt } from '../domain/dates.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf, SCELTE_CONTRAENTE } from '../domain/opi.js';
import type { OpenDataKind } from '../domain/datiAperti.js';
import type { Campo, Esito, Proposals, Proposta, Valore } from '../services/datiApertiService.js';
import { sceltaValue } from '../validation/datiApertiSchemas.js';
import { paths } from '../paths.js';

/** Rows of the open-data proposals page, from the service's proposals: pure, no I/O. */

export const CAMPO_LABELS: Record<Campo, string> = {
  oggetto: 'Oggetto',
  data_generazione: 'Data di generazione',
  data_scadenza_offerte: 'Scadenza presentazione offerte',
  importo_cents: 'Importo',
  scelta_contraente: 'Scelta del contraente',
  descrizione: 'Descrizione',
  anno_decisione: 'Anno di decisione',
  importo_finanziato_cents: 'Importo finanziato',
};

const KIND_LABELS: Record<OpenDataKind, string> = { cig: 'dati aperti ANAC (CIG)', cup: 'dati aperti OpenCUP (CUP)' };

const isDate = (c: Campo) => c === 'data_generazione' || c === 'data_scadenza_offerte';
const isAmount = (c: Campo) => c === 'importo_cents' || c === 'importo_finanziato_cents';

/** A value as the page shows it: dd/mm/yyyy, 1.234,56 €, the label of a list. */
export function displayValue(campo: Campo, v: Valore | null): string {
  if (v === null || v === '') return '—';
  if (isDate(campo)) return formatDateIt(String(v));
  if (isAmount(campo)) return formatEuro(Number(v));
  if (campo === 'scelta_contraente') return labelOf(SCELTE_CONTRAENTE, String(v));
  return String(v);
}

/** A value as the form sends it back (what the registers' fields read: ISO dates, 1.234,56). */
function formValue(campo: Campo, v: Valore): string {
  return isAmount(campo) ? centsToInputValue(Number(v)) : String(v);
}

function fonte(p: Proposta): string {
  return p.daPubblicazione ? `${p.colonna} (data di pubblicazione: il file non ha la data di creazione del CIG)` : p.colonna;
}

export function proposalsView(result: Extract<Proposals, { ok: true }>, fileName: string) {
  const codeLabel = result.kind === 'cig' ? 'CIG' : 'CUP';
  const show = (id: number) => (result.kind === 'cig' ? paths.cig.show(id) : paths.cup.show(id));
  const records = result.records
    .filter((r) => r.proposte.length || r.nonProposte.length)
    .map((r) => ({
      codice: r.codice,
      href: show(r.id),
      righe: r.proposte.map((p, i) => ({
        id: `scelta-${r.entita}-${r.id}-${i}`,
        campo: CAMPO_LABELS[p.campo],
        attuale: displayValue(p.campo, p.attuale),
        proposto: displayValue(p.campo, p.proposto),
        fonte: fonte(p),
        tipo: p.completa ? 'Completa' : 'Corregge',
        value: sceltaValue({ entita: r.entita, id: r.id, version: r.version, campo: p.campo, valore: formValue(p.campo, p.proposto), colonna: p.colonna }),
      })),
      nonProposte: r.nonProposte.map((p) => ({
        campo: CAMPO_LABELS[p.campo], attuale: displayValue(p.campo, p.attuale), proposto: displayValue(p.campo, p.proposto), fonte: fonte(p), motivo: p.motivo,
      })),
    }));
  return {
    fileName,
    kind: result.kind,
    codeLabel,
    kindLabel: KIND_LABELS[result.kind],
    righeLette: result.righe.toLocaleString('it-IT'),
    dimensione: `${(result.bytes / 1024 / 1024).toLocaleString('it-IT', { maximumFractionDigits: 1 })} MB`,
    codiciTrovati: result.records.length,
    valoriProposti: records.reduce((n, r) => n + r.righe.length, 0),
    records,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "12 valori aggiornati su 7 CIG; 1 CIG saltato perché modificato da un altro utente". */
export function esitoMessage(esito: Esito, rifiutate = 0): string {
  const parts: string[] = [];
  const kinds = (['cig', 'cup'] as const).filter((k) => esito.record[k] > 0);
  const su = kinds.map((k) => `${esito.record[k]} ${k.toUpperCase()}`).join(' e ');
  parts.push(esito.valori ? `${plural(esito.valori, 'valore aggiornato', 'valori aggiornati')} su ${su}` : 'Nessun valore aggiornato');
  for (const [motivo, testo] of [
    ['modificato', 'modificato da un altro utente dopo la proposta'],
    ['eliminato', 'non più presente nel registro'],
    ['testo-persona', 'il testo è stato scritto da una persona'],
  ] as const) {
    const saltati = esito.saltati.filter((s) => s.motivo === motivo);
    if (saltati.length) {
      const kind = saltati[0]!.entita.toUpperCase();
      parts.push(`${saltati.length} ${kind} ${saltati.length === 1 ? 'saltato' : 'saltati'} perché ${testo} (${saltati.map((s) => s.codice).join(', ')})`);
    }
  }
  if (rifiutate) parts.push(`${plural(rifiutate, 'valore non valido ignorato', 'valori non validi ignorati')}`);
  return `${parts.join('; ')}.`;
}
