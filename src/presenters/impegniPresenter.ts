import { formatDateIt } from '../domain/dates.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf, MOTIVI_ESCLUSIONE_CIG } from '../domain/opi.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { ImpegnoRow } from '../repositories/impegniRepository.js';
import type { MandatoRow } from '../repositories/mandatiRepository.js';
import type { CigRef, ContoRef, CupRef } from '../repositories/pickerRepository.js';
import type { VoceRow } from '../repositories/pianoRepository.js';
import { paths } from '../paths.js';
import type { CupConflict } from '../domain/documenti.js';
import { formatVoceCodice } from '../domain/piano.js';
import {
  cigOption, cigPicker, codiciCampi, codiciColumns, conflictRow, contoLabel, contoOption, creditoreOption, cupOption, cupPicker, dateAsSent, documentFormParts, documentListParts, idValue, nuovoLink, withBozza,
  numeroDocumento, voceLabel, voceOption, withIsoDate, type Picker,
} from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { conflictMerge, optionText, type ConflictField } from './conflittoPresenter.js';
import { formatCount, type Column } from './listPresenter.js';

const voceOf = (r: ImpegnoRow) => formatVoceCodice({ aggregato: r.voce_aggregato, voce: r.voce_voce, sottovoce: r.voce_sottovoce });

export const IMPEGNI_COLUMNS: Column<ImpegnoRow>[] = [
  { key: 'numero', label: 'Numero', kind: 'text', value: (r) => numeroDocumento(r), fixed: true },
  { key: 'data', label: 'Data', kind: 'date', value: (r) => r.data, byDefault: true },
  { key: 'voce', label: 'Voce', kind: 'codice', value: voceOf, byDefault: true },
  { key: 'oggetto', label: 'Oggetto', kind: 'text', value: (r) => r.oggetto, byDefault: true },
  { key: 'creditore', label: 'Creditore', kind: 'text', value: (r) => r.creditore, byDefault: true },
  { key: 'importo', label: 'Importo', kind: 'euro', value: (r) => r.importo_cents, byDefault: true },
  { key: 'pagato', label: 'Pagato', kind: 'euro', value: (r) => r.pagato_cents, byDefault: true },
  ...codiciColumns<ImpegnoRow>(),
];

/** Gestisci → Impegni: the search's page, with the totals of every impegno it finds (all pages). */
export function impegniListPage(input: Parameters<typeof documentListParts<ImpegnoRow>>[3] & { totals: { n: number; importoCents: number; pagatoCents: number } }) {
  const { totals } = input;
  return {
    title: 'Impegni',
    ...documentListParts(IMPEGNI_COLUMNS, paths.impegni, 'impegno', input),
    totali: {
      impegni: totals.n === 1 ? '1 impegno' : `${formatCount(totals.n)} impegni`,
      importo: formatEuro(totals.importoCents),
      pagato: formatEuro(totals.pagatoCents),
      residuo: formatEuro(totals.importoCents - totals.pagatoCents),
    },
  };
}

/** A stored impegno as form values. */
export function impegnoFormValues(r: ImpegnoRow): Record<string, string> {
  return {
    data: r.data,
    voce_id: String(r.voce_id),
    conto_id: idValue(r.conto_id),
    creditore_id: idValue(r.creditore_id),
    oggetto: r.oggetto,
    importo: centsToInputValue(r.importo_cents),
    cig_id: idValue(r.cig_id),
    motivo_esclusione_cig: r.motivo_esclusione_cig ?? '',
    cup_id: idValue(r.cup_id),
    note: r.note ?? '',
    version: String(r.version),
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
  /** The page the edit came from (a Flussi error), where the form goes back to. */
  ritorno?: string | null;
}) {
  const { record, opts } = input;
  const values = withIsoDate(input.values);
  const self = record ? paths.impegni.edit(record.id) : paths.impegni.nuovo();
  const pickers: Record<string, Picker> = {
    voce: {
      name: 'voce_id', label: 'Voce del Piano delle destinazioni', value: values.voce_id ?? '', required: true, propone: true,
      options: opts.voci.map(voceOption), emptyLabel: '— scegli la voce —', cerca: 'Cerca tra le voci', nessuno: 'Nessuna voce',
      hint: opts.voci.length ? undefined : `Il Piano delle destinazioni ${input.esercizio} non ha voci: inseriscile in Impostazioni → Piano delle destinazioni.`,
    },
    conto: { name: 'conto_id', label: 'Conto (piano dei conti)', value: values.conto_id ?? '', options: opts.conti.map(contoOption), emptyLabel: '— nessuno —', cerca: 'Cerca tra i conti', nessuno: 'Nessun conto' },
    creditore: {
      name: 'creditore_id', label: 'Creditore', value: values.creditore_id ?? '', options: opts.creditori.map(creditoreOption), emptyLabel: '— nessuno —',
      cerca: 'Cerca tra i creditori', nessuno: 'Nessun creditore', ...nuovoLink('creditore', self),
    },
    cig: cigPicker(values.cig_id ?? '', opts.cig, self, 'Solo i CIG attivi del registro. Se la spesa non ha CIG, indica il motivo di esclusione.'),
    cup: cupPicker(
      values.cup_id ?? '', opts.cup, self,
      cupProposal(opts.voci, values.voce_id ?? '', values.cup_id ?? '') ?? 'Salvando, il CUP viene scritto anche sulla voce del Piano delle destinazioni.',
    ),
  };
  return {
    title: record ? `Modifica impegno n. ${numeroDocumento(record)}` : `Nuovo impegno (esercizio ${input.esercizio})`,
    ...documentFormParts(paths.impegni, { ...input, creditori: opts.creditori }),
    values,
    pickers: withBozza(pickers, paths.impegni.bozza(record?.id)),
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
    title: `Impegno n. ${numeroDocumento(r)}`,
    impegno: { id: r.id, numero: numeroDocumento(r) },
    campi: [
      { label: 'Esercizio', value: String(r.esercizio) },
      { label: 'Numero', value: String(r.numero) },
      { label: 'Data', value: formatDateIt(r.data) },
      { label: 'Voce', value: voceLabel(voce), href: paths.piano.list({ esercizio: r.esercizio }) },
      {
        label: 'Conto',
        value: (contoLabel({ tipo: r.conto_tipo, conto: r.conto_conto, sottoconto: r.conto_sottoconto, descrizione: r.conto_descrizione }) || '—') +
          (r.conto_codice_siope ? ` (codice SIOPE ${r.conto_codice_siope})` : ''),
      },
      { label: 'Creditore', value: r.creditore ?? '—', href: r.creditore_id ? paths.creditori.show(r.creditore_id) : undefined },
      { label: 'Oggetto', value: r.oggetto },
      { label: 'Importo', value: formatEuro(r.importo_cents) },
    ],
    codici: codiciCampi(r),
    note: r.note,
    totali: { importo: formatEuro(r.importo_cents), pagato: formatEuro(r.pagato_cents), residuo: formatEuro(residuo) },
    mandati: input.mandati.map((m) => ({
      label: `Mandato n. ${numeroDocumento(m)}`,
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

/** The form's lists, for the names of the ids on the conflict page. */
type ImpegnoOpts = { voci: VoceRow[]; conti: ContoRef[]; creditori: { id: number; denominazione: string }[]; cig: CigRef[]; cup: CupRef[] };

/** The conflict page (409): every field that differs between the saved impegno and the user's, to keep field by field. */
export function impegnoConflictPage(stored: ImpegnoRow, submitted: Record<string, string>, opts: ImpegnoOpts) {
  const v = impegnoFormValues(stored);
  const both = (name: string, label: string, text: (value: string) => string): ConflictField => ({ name, label, stored: text(v[name] ?? ''), submitted: text(submitted[name] ?? '') });
  const fields: ConflictField[] = [
    { name: 'data', label: 'Data', stored: formatDateIt(stored.data), submitted: dateAsSent(submitted.data ?? '') },
    both('importo', 'Importo', (x) => x),
    both('oggetto', 'Oggetto', (x) => x),
    both('voce_id', 'Voce', (x) => optionText(opts.voci.map(voceOption), x)),
    both('creditore_id', 'Creditore', (x) => optionText(opts.creditori.map(creditoreOption), x)),
    both('conto_id', 'Conto', (x) => optionText(opts.conti.map(contoOption), x)),
    both('cig_id', 'CIG', (x) => optionText(opts.cig.map(cigOption), x)),
    both('motivo_esclusione_cig', 'Motivo di esclusione del CIG', (x) => labelOf(MOTIVI_ESCLUSIONE_CIG, x)),
    both('cup_id', 'CUP', (x) => optionText(opts.cup.map(cupOption), x)),
    both('note', 'Note', (x) => x),
  ];
  return {
    title: `Impegno n. ${numeroDocumento(stored)}: modificato da un altro utente`,
    cosa: `l’impegno n. ${numeroDocumento(stored)}`,
    rows: fields.map((f) => conflictRow(f.label, f.stored, f.submitted)),
    merge: conflictMerge({ action: paths.impegni.update(stored.id), version: stored.version, storedValues: v, submitted, fields }),
    links: { show: paths.impegni.show(stored.id), edit: paths.impegni.edit(stored.id) },
  };
}
