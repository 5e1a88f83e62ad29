import { formatDateIt, parseDateInput } from '../domain/dates.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf, MOTIVI_ESCLUSIONE_CIG } from '../domain/opi.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { ImpegnoRow } from '../repositories/impegniRepository.js';
import type { MandatoRow } from '../repositories/mandatiRepository.js';
import type { CigRef, ContoRef, CupRef } from '../repositories/pickerRepository.js';
import type { VoceRow } from '../repositories/pianoRepository.js';
import { paths } from '../paths.js';
import { cupConflictMessage, type CupConflict } from '../domain/documenti.js';
import { formatVoceCodice } from '../domain/piano.js';
import type { ListParams } from '../validation/listQuery.js';
import {
  cigOption, conflictRow, contoLabel, contoOption, creditoreOption, cupOption, modals, nuovoLink, options, voceLabel, voceOption, type Picker,
} from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { presentPagination, presentTable, type Column } from './listPresenter.js';

const voceOf = (r: ImpegnoRow) => formatVoceCodice({ aggregato: r.voce_aggregato, voce: r.voce_voce, sottovoce: r.voce_sottovoce });
export const impegnoNumero = (r: { numero: number; esercizio: number }) => `${r.numero}/${r.esercizio}`;

export const IMPEGNI_COLUMNS: Column<ImpegnoRow>[] = [
  { key: 'numero', label: 'Numero', kind: 'text', value: (r) => impegnoNumero(r), fixed: true },
  { key: 'data', label: 'Data', kind: 'date', value: (r) => r.data },
  { key: 'voce', label: 'Voce', kind: 'codice', value: voceOf },
  { key: 'oggetto', label: 'Oggetto', kind: 'text', value: (r) => r.oggetto },
  { key: 'creditore', label: 'Creditore', kind: 'text', value: (r) => r.creditore },
  { key: 'importo', label: 'Importo', kind: 'euro', value: (r) => r.importo_cents },
  { key: 'pagato', label: 'Pagato', kind: 'euro', value: (r) => r.pagato_cents },
  { key: 'cig', label: 'CIG', kind: 'codice', value: (r) => r.cig_codice ?? (r.motivo_esclusione_cig ? 'escluso' : r.cig_testo ? `(${r.cig_testo})` : '') },
  { key: 'cup', label: 'CUP', kind: 'codice', value: (r) => r.cup_codice ?? (r.cup_testo ? `(${r.cup_testo})` : '') },
];

export function impegniListPage(input: {
  rows: ImpegnoRow[];
  totals: { n: number; importoCents: number; pagatoCents: number };
  params: ListParams<string>;
  q: string;
  esercizio: number;
}) {
  const search = input.q ? { q: input.q } : {};
  const ctx = { params: input.params, search, href: paths.impegni.list };
  return {
    title: 'Impegni',
    esercizioPagina: input.esercizio,
    q: input.q,
    table: presentTable(IMPEGNI_COLUMNS, input.rows, { ...ctx, rowHref: (r) => paths.impegni.show(r.id) }),
    pagination: presentPagination(input.totals.n, ctx),
    totali: {
      importo: formatEuro(input.totals.importoCents),
      pagato: formatEuro(input.totals.pagatoCents),
      residuo: formatEuro(input.totals.importoCents - input.totals.pagatoCents),
    },
    links: { nuovo: paths.impegni.nuovo(), azzera: paths.impegni.list() },
    empty: input.totals.n === 0 ? (input.q ? 'Nessun impegno corrisponde alla ricerca.' : `Nessun impegno nell’esercizio ${input.esercizio}.`) : null,
  };
}

/** A stored impegno as form values. */
export function impegnoFormValues(r: ImpegnoRow): Record<string, string> {
  const s = (v: number | null) => (v === null ? '' : String(v));
  return {
    data: r.data,
    voce_id: String(r.voce_id),
    conto_id: s(r.conto_id),
    creditore_id: s(r.creditore_id),
    oggetto: r.oggetto,
    importo: centsToInputValue(r.importo_cents),
    cig_id: s(r.cig_id),
    motivo_esclusione_cig: r.motivo_esclusione_cig ?? '',
    cup_id: s(r.cup_id),
    note: r.note ?? '',
    version: String(r.version),
  };
}

/** The warning panel of "La voce ha già un altro CUP": the message and the two answers. */
export function cupConflictPanel(c: CupConflict | undefined) {
  if (!c) return null;
  return {
    message: cupConflictMessage(c),
    replace: `Sì: sostituisci il CUP della voce ${c.voceCodice} con ${c.cupDocumento}`,
    keep: `No: la voce ${c.voceCodice} tiene il CUP ${c.cupVoce}, il documento ha ${c.cupDocumento}`,
  };
}

/** The hint under the CUP picker when the voce has a CUP and the document none: a proposal, never set silently. */
export function cupProposal(voci: VoceRow[], voceId: string, cupId: string): string | undefined {
  if (cupId) return undefined;
  const voce = voci.find((v) => String(v.id) === voceId);
  if (!voce || !voce.cup_codice) return undefined;
  return `La voce ${formatVoceCodice(voce)} ha il CUP ${voce.cup_codice}: sceglilo se la spesa rientra nel progetto.`;
}

export function impegnoFormPage(input: {
  record?: ImpegnoRow;
  values: Record<string, string>;
  esercizio: number;
  opts: { voci: VoceRow[]; conti: ContoRef[]; creditori: { id: number; denominazione: string }[]; cig: CigRef[]; cup: CupRef[] };
  cupConflict?: CupConflict;
}) {
  const { record, opts } = input;
  const values = { ...input.values };
  const iso = parseDateInput(values.data ?? '');
  if (iso) values.data = iso;
  const self = record ? paths.impegni.edit(record.id) : paths.impegni.nuovo();
  const pickers: Record<string, Picker> = {
    voce: {
      name: 'voce_id', label: 'Voce del Piano delle destinazioni', value: values.voce_id ?? '', required: true, propone: true,
      options: opts.voci.map(voceOption), emptyLabel: '— scegli la voce —', cerca: 'Cerca tra le voci',
      hint: opts.voci.length ? undefined : `Il Piano delle destinazioni ${input.esercizio} non ha voci: inseriscile in Impostazioni → Piano delle destinazioni.`,
    },
    conto: { name: 'conto_id', label: 'Conto (piano dei conti)', value: values.conto_id ?? '', options: opts.conti.map(contoOption), emptyLabel: '— nessuno —', cerca: 'Cerca tra i conti' },
    creditore: {
      name: 'creditore_id', label: 'Creditore', value: values.creditore_id ?? '', options: opts.creditori.map(creditoreOption), emptyLabel: '— nessuno —',
      cerca: 'Cerca tra i creditori', ...nuovoLink('creditore', self),
    },
    cig: {
      name: 'cig_id', label: 'CIG', value: values.cig_id ?? '', options: opts.cig.map(cigOption), emptyLabel: '— nessun CIG —', cerca: 'Cerca tra i CIG',
      hint: 'Solo i CIG attivi del registro. Se la spesa non ha CIG, indica il motivo di esclusione.', ...nuovoLink('cig', self),
    },
    cup: {
      name: 'cup_id', label: 'CUP', value: values.cup_id ?? '', options: opts.cup.map(cupOption), emptyLabel: '— nessun CUP —', cerca: 'Cerca tra i CUP',
      hint: cupProposal(opts.voci, values.voce_id ?? '', values.cup_id ?? '') ?? 'Salvando, il CUP viene scritto anche sulla voce del Piano delle destinazioni.',
      ...nuovoLink('cup', self),
    },
  };
  return {
    title: record ? `Modifica impegno n. ${impegnoNumero(record)}` : `Nuovo impegno (esercizio ${input.esercizio})`,
    record: record ? { id: record.id, numero: impegnoNumero(record), cigTesto: record.cig_id === null ? record.cig_testo : null, cupTesto: record.cup_id === null ? record.cup_testo : null } : null,
    esercizioPagina: record ? record.esercizio : input.esercizio,
    action: record ? paths.impegni.update(record.id) : paths.impegni.create,
    back: record ? paths.impegni.show(record.id) : paths.impegni.list(),
    values,
    pickers,
    motivi: options.motivi,
    cupConflict: cupConflictPanel(input.cupConflict),
    modals: modals(opts.creditori, ['cig', 'cup', 'creditore']),
  };
}

const HISTORY_FIELDS: FieldLabel[] = [
  { key: 'numero', label: 'Numero' },
  { key: 'data', label: 'Data', kind: 'date' },
  { key: 'voce', label: 'Voce' },
  { key: 'conto', label: 'Conto' },
  { key: 'creditore', label: 'Creditore' },
  { key: 'oggetto', label: 'Oggetto' },
  { key: 'importo_cents', label: 'Importo', kind: 'euro' },
  { key: 'cig', label: 'CIG' },
  { key: 'motivo_esclusione_cig', label: 'Motivo esclusione CIG', format: (v) => labelOf(MOTIVI_ESCLUSIONE_CIG, String(v)) },
  { key: 'cup', label: 'CUP' },
  { key: 'note', label: 'Note' },
];

export function impegnoRecordPage(input: { impegno: ImpegnoRow; mandati: MandatoRow[]; voce: VoceRow; history: AuditRow[] }) {
  const { impegno: r, voce } = input;
  const residuo = r.importo_cents - r.pagato_cents;
  return {
    title: `Impegno n. ${impegnoNumero(r)}`,
    impegno: { id: r.id, numero: impegnoNumero(r) },
    campi: [
      { label: 'Esercizio', value: String(r.esercizio) },
      { label: 'Numero', value: String(r.numero) },
      { label: 'Data', value: formatDateIt(r.data) },
      { label: 'Voce', value: voceLabel(voce), href: paths.piano.list({ esercizio: r.esercizio }) },
      { label: 'Conto', value: contoLabel({ tipo: r.conto_tipo, conto: r.conto_conto, sottoconto: r.conto_sottoconto, descrizione: r.conto_descrizione }) || '—' },
      { label: 'Creditore', value: r.creditore ?? '—', href: r.creditore_id ? paths.creditori.show(r.creditore_id) : undefined },
      { label: 'Oggetto', value: r.oggetto },
      { label: 'Importo', value: formatEuro(r.importo_cents) },
    ],
    codici: codiciCampi(r),
    note: r.note,
    totali: { importo: formatEuro(r.importo_cents), pagato: formatEuro(r.pagato_cents), residuo: formatEuro(residuo) },
    mandati: input.mandati.map((m) => ({
      label: `Mandato n. ${m.numero}/${m.esercizio}`,
      href: paths.mandati.show(m.id),
      data: formatDateIt(m.data),
      beneficiario: m.beneficiario ?? '—',
      causale: m.causale,
      importo: formatEuro(m.importo_cents),
    })),
    history: presentHistory(input.history, HISTORY_FIELDS),
    links: {
      edit: paths.impegni.edit(r.id),
      list: paths.impegni.list(),
      nuovoMandato: residuo > 0 ? paths.mandati.nuovo({ impegno_id: r.id }) : null,
    },
  };
}

/** CIG / motivo / CUP of a document on its record page, with the legacy text when not linked. */
export function codiciCampi(r: {
  cig_id: number | null; cig_codice: string | null; cig_stato: string | null; motivo_esclusione_cig: string | null; cig_testo: string | null;
  cup_id: number | null; cup_codice: string | null; cup_stato: string | null; cup_testo: string | null;
}) {
  return [
    {
      label: 'CIG',
      value: r.cig_codice ?? '—',
      cls: r.cig_codice ? 'codice' : '',
      href: r.cig_id ? paths.cig.show(r.cig_id) : undefined,
      stato: r.cig_stato && r.cig_stato !== 'attivo' ? r.cig_stato : null,
      testo: r.cig_id === null && r.cig_testo ? r.cig_testo : null,
    },
    { label: 'Motivo esclusione CIG', value: labelOf(MOTIVI_ESCLUSIONE_CIG, r.motivo_esclusione_cig) || '—', cls: '', stato: null, testo: null },
    {
      label: 'CUP',
      value: r.cup_codice ?? '—',
      cls: r.cup_codice ? 'codice' : '',
      href: r.cup_id ? paths.cup.show(r.cup_id) : undefined,
      stato: r.cup_stato && r.cup_stato !== 'attivo' ? r.cup_stato : null,
      testo: r.cup_id === null && r.cup_testo ? r.cup_testo : null,
    },
  ];
}

export function impegnoConflictPage(stored: ImpegnoRow, submitted: Record<string, string>) {
  const v = impegnoFormValues(stored);
  return {
    title: `Impegno n. ${impegnoNumero(stored)}: modificato da un altro utente`,
    cosa: `l’impegno n. ${impegnoNumero(stored)}`,
    rows: [
      conflictRow('Data', formatDateIt(stored.data), formatDateIt(parseDateInput(submitted.data ?? '') ?? submitted.data ?? '')),
      conflictRow('Oggetto', stored.oggetto, submitted.oggetto ?? ''),
      conflictRow('Importo', v.importo ?? '', submitted.importo ?? ''),
      conflictRow('Note', stored.note ?? '', submitted.note ?? ''),
    ],
    links: { show: paths.impegni.show(stored.id), edit: paths.impegni.edit(stored.id) },
  };
}
