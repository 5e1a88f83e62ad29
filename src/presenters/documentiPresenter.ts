import { FONTI_FINANZIAMENTO } from '../domain/cup.js';
import { MODALITA_PAGAMENTO, MOTIVI_ESCLUSIONE_CIG, SCELTE_CONTRAENTE, TIPI_DEBITO } from '../domain/opi.js';
import type { CigRef, ContoRef, CupRef } from '../repositories/pickerRepository.js';
import type { VoceRow } from '../repositories/pianoRepository.js';
import { addQuery, paths } from '../paths.js';
import { formatVoceCodice } from '../domain/piano.js';
import { cigLabel, STATO_CIG_LABELS } from './cigPresenter.js';
import { cupLabel, STATO_CUP_LABELS } from './cupPresenter.js';

/**
 * What the documents' forms share: the pickers (native selects, the + that opens
 * the register's modal or, without JavaScript, its full form that comes back here),
 * the closed lists, the modals' own options.
 */
export type PickerOption = { value: string; label: string; data?: Record<string, string> };
export type Picker = {
  name: string;
  label: string;
  value: string;
  options: PickerOption[];
  emptyLabel: string;
  required?: boolean;
  hint?: string;
  /** The register the + creates in (cig, cup, creditore), or none. */
  registro?: 'cig' | 'cup' | 'creditore';
  nuovoHref?: string;
  nuovoLabel?: string;
  /** The select proposes values to other fields when it changes (voce → CUP, impegno → CIG…). */
  propone?: boolean;
  /** Words for the type-to-search field ("Cerca tra i CIG"). */
  cerca?: string;
};

const marked = (label: string, stato: string, labels: Record<string, string>) =>
  stato === 'attivo' ? label : `${label} (${(labels[stato] ?? stato).toLowerCase()}: non più selezionabile per nuovi documenti)`;

export const cigOption = (c: CigRef): PickerOption => ({ value: String(c.id), label: marked(cigLabel(c), c.stato, STATO_CIG_LABELS) });
export const cupOption = (c: CupRef): PickerOption => ({ value: String(c.id), label: marked(cupLabel(c), c.stato, STATO_CUP_LABELS) });
export const contoLabel = (c: { tipo: number | null; conto: number | null; sottoconto: number | null; descrizione: string | null }) =>
  c.tipo === null ? '' : `${c.tipo}/${c.conto}/${c.sottoconto} – ${c.descrizione ?? ''}`;
export const voceLabel = (v: { aggregato: string; voce: number; sottovoce: number | null; descrizione: string }) => `${formatVoceCodice(v)} – ${v.descrizione}`;

export function voceOption(v: VoceRow): PickerOption {
  return { value: String(v.id), label: voceLabel(v), data: { 'propone-cup_id': v.cup_id === null ? '' : String(v.cup_id) } };
}

export const contoOption = (c: ContoRef): PickerOption => ({ value: String(c.id), label: contoLabel(c) + (c.attivo ? '' : ' (non più in uso)') });
export const creditoreOption = (c: { id: number; denominazione: string }): PickerOption => ({ value: String(c.id), label: c.denominazione });

export const options = {
  motivi: MOTIVI_ESCLUSIONE_CIG.map((m) => ({ value: m.value, label: m.label })),
  modalita: MODALITA_PAGAMENTO.map((m) => ({ value: m.value, label: m.label })),
  tipiDebito: TIPI_DEBITO.map((t) => ({ value: t.value, label: t.label })),
};

/** The + of a picker: the modal with JavaScript, the register's full form (coming back to `ritorno`) without. */
export function nuovoLink(registro: 'cig' | 'cup' | 'creditore', ritorno: string) {
  const base = registro === 'cig' ? paths.cig.nuovo : registro === 'cup' ? paths.cup.nuovo : paths.creditori.nuovo();
  const label = registro === 'cig' ? 'Nuovo CIG' : registro === 'cup' ? 'Nuovo CUP' : 'Nuovo creditore';
  return { registro, nuovoHref: addQuery(base, { ritorno }), nuovoLabel: label };
}

/** The modals' forms: the registers' own fields and lists. */
export function modals(creditori: { id: number; denominazione: string }[], which: ('cig' | 'cup' | 'creditore')[]) {
  return {
    cig: which.includes('cig')
      ? {
          action: paths.cig.create,
          options: {
            fornitori: creditori.map(creditoreOption),
            scelte: SCELTE_CONTRAENTE.map((s) => ({ value: s.value, label: s.label })),
            stati: Object.entries(STATO_CIG_LABELS).map(([value, label]) => ({ value, label })),
          },
        }
      : null,
    cup: which.includes('cup')
      ? {
          action: paths.cup.create,
          options: {
            fonti: FONTI_FINANZIAMENTO.map((f) => ({ value: f.value, label: f.label })),
            stati: Object.entries(STATO_CUP_LABELS).map(([value, label]) => ({ value, label })),
          },
        }
      : null,
    creditore: which.includes('creditore') ? { action: paths.creditori.create } : null,
  };
}

/** One row of the "modificato da un altro utente" page. */
export const conflictRow = (label: string, stored: string, submitted: string) => ({
  label, stored: stored || '—', submitted: submitted || '—', differs: (stored || '') !== (submitted || ''),
});

/** Query parameters that preselect a picker on a new/edit form (e.g. the id the register's full form sends back). */
export function preselected(query: Record<string, unknown>, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = query[f];
    if (typeof v === 'string' && /^\d{1,9}$/.test(v)) out[f] = v;
  }
  return out;
}
