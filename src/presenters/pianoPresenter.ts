import { AGGREGATI } from '../domain/piano.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { CupRef } from '../repositories/pickerRepository.js';
import type { CifreVoce, VoceRow } from '../repositories/pianoRepository.js';
import { formatEuro } from '../domain/money.js';
import { formatCount } from './listPresenter.js';
import { paths } from '../paths.js';
import { formatVoceCodice } from '../domain/piano.js';
import { conflictRow, cupOption, modals, nuovoLink, type Picker } from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';

const NESSUNA: CifreVoce = { impegni: 0, impegnatoCents: 0, pagatoCents: 0 };

/** A voce's (or the plan's) figures as shown: impegnato, pagato, residuo (impegnato − pagato). */
const importi = (c: CifreVoce) => ({
  impegnato: formatEuro(c.impegnatoCents), pagato: formatEuro(c.pagatoCents), residuo: formatEuro(c.impegnatoCents - c.pagatoCents),
});

/**
 * Impostazioni → Bilancio → Piano delle destinazioni: the voci of an esercizio grouped by aggregato, with their CUP,
 * and per voce its impegni (a link to the impegni list searched by that voce), impegnato, pagato, residuo, with the totals.
 * `esercizioInUso`: the header's; the link is offered only when the page shows that esercizio (the list follows the header).
 */
export function pianoPage(input: { esercizio: number; esercizioInUso: number; voci: VoceRow[]; cifre: Map<number, CifreVoce> }) {
  const cifre = (id: number) => input.cifre.get(id) ?? NESSUNA;
  const tutte = [...input.cifre.values()].reduce(
    (t, c) => ({ impegni: t.impegni + c.impegni, impegnatoCents: t.impegnatoCents + c.impegnatoCents, pagatoCents: t.pagatoCents + c.pagatoCents }), NESSUNA,
  );
  const collegato = input.esercizio === input.esercizioInUso;
  return {
    title: `Piano delle destinazioni ${input.esercizio}`,
    esercizioPagina: input.esercizio,
    altroEsercizio: collegato ? null : input.esercizioInUso,
    totali: { impegni: formatCount(tutte.impegni), ...importi(tutte) },
    gruppi: AGGREGATI.map((a) => ({
      aggregato: a.value,
      label: `${a.value} – ${a.label}`,
      voci: input.voci
        .filter((v) => v.aggregato === a.value)
        .map((v) => ({
          id: v.id,
          codice: formatVoceCodice(v),
          principale: v.sottovoce === null,
          descrizione: v.descrizione,
          cup: v.cup_codice,
          cupHref: v.cup_id ? paths.cup.show(v.cup_id) : null,
          cupStato: v.cup_stato && v.cup_stato !== 'attivo' ? v.cup_stato : null,
          cupDescrizione: v.cup_descrizione,
          cupTesto: v.cup_id === null && v.cup_testo && v.cup_testo.trim() ? v.cup_testo : null,
          impegni: formatCount(cifre(v.id).impegni),
          impegniHref: collegato && cifre(v.id).impegni > 0 ? paths.impegni.list({ voce_id: v.id }) : null,
          ...importi(cifre(v.id)),
          edit: paths.piano.edit(v.id),
        })),
    })).filter((g) => g.voci.length > 0),
    conCup: input.voci.filter((v) => v.cup_id !== null).length,
    totale: input.voci.length,
    links: { nuova: paths.piano.nuova({ esercizio: input.esercizio }) },
  };
}

export function voceFormValues(v: VoceRow): Record<string, string> {
  return {
    aggregato: v.aggregato,
    voce: String(v.voce),
    sottovoce: v.sottovoce === null ? '' : String(v.sottovoce),
    descrizione: v.descrizione,
    cup_id: v.cup_id === null ? '' : String(v.cup_id),
    version: String(v.version),
    esercizio: String(v.esercizio),
  };
}

const HISTORY_FIELDS: FieldLabel[] = [
  { key: 'codice', label: 'Codice' },
  { key: 'descrizione', label: 'Descrizione' },
  { key: 'cup', label: 'CUP' },
  { key: 'origine', label: 'Da' },
];

export function voceFormPage(input: {
  record?: VoceRow;
  values: Record<string, string>;
  esercizio: number;
  cup: CupRef[];
  creditori: { id: number; denominazione: string }[];
  history?: AuditRow[];
}) {
  const { record } = input;
  const self = record ? paths.piano.edit(record.id) : paths.piano.nuova({ esercizio: input.esercizio });
  const cupPicker: Picker = {
    name: 'cup_id', label: 'CUP', value: input.values.cup_id ?? '', options: input.cup.map(cupOption), emptyLabel: '— nessun CUP —', cerca: 'Cerca tra i CUP', nessuno: 'Nessun CUP',
    hint: 'Facoltativo: salvando un impegno o un mandato con un CUP, la voce lo riceve da sé.', ...nuovoLink('cup', self),
  };
  return {
    title: record ? `Modifica voce ${formatVoceCodice(record)} (${record.esercizio})` : `Nuova voce del Piano delle destinazioni ${input.esercizio}`,
    record: record ? { id: record.id, codice: formatVoceCodice(record), cupTesto: record.cup_id === null && record.cup_testo?.trim() ? record.cup_testo : null } : null,
    esercizioPagina: input.esercizio,
    action: record ? paths.piano.update(record.id) : paths.piano.create,
    back: paths.piano.list({ esercizio: input.esercizio }),
    values: { ...input.values, esercizio: String(input.esercizio) },
    aggregati: AGGREGATI.map((a) => ({ value: a.value, label: `${a.value} – ${a.label}` })),
    cupPicker,
    modals: modals(input.creditori, ['cup']),
    history: input.history ? presentHistory(input.history, HISTORY_FIELDS) : null,
  };
}

export function voceConflictPage(stored: VoceRow, submitted: Record<string, string>) {
  return {
    title: `Voce ${formatVoceCodice(stored)}: modificata da un altro utente`,
    cosa: `la voce ${formatVoceCodice(stored)}`,
    rows: [
      conflictRow('Descrizione', stored.descrizione, submitted.descrizione ?? ''),
      conflictRow('CUP', stored.cup_codice ?? '', ''),
    ],
    links: { show: paths.piano.list({ esercizio: stored.esercizio }), edit: paths.piano.edit(stored.id) },
  };
}
