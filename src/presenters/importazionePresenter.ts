import { formatDateTimeIt } from '../domain/dates.js';
import { CIG_FAMILY_LABELS } from '../domain/cig.js';
import { addQuery, paths } from '../paths.js';
import { documentoLink } from './documentiPresenter.js';
import type { Riferimento } from '../repositories/importazioneRepository.js';
import type { Conteggi, Piano, Proposta, TipoProposta } from '../services/importazioneService.js';
import type { Column } from './listPresenter.js';

/** What the import page and its report show: pure functions of the service's results. */

/**
 * A document or voce named in the preview or the report. With `ritorno` (the
 * report's own page) a document opens in its form and comes back there after saving.
 */
export function riferimento(r: Riferimento, ritorno?: string) {
  switch (r.tipo) {
    case 'impegno':
    case 'mandato': {
      const link = documentoLink(r.tipo, r);
      return ritorno ? { ...link, href: addQuery(`${link.href}/modifica`, { ritorno }) } : link;
    }
    case 'voce':
      return { testo: `Voce ${r.voce} (${r.esercizio})`, href: paths.piano.list({ esercizio: r.esercizio }) };
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function conteggiRighe(c: Conteggi) {
  return [
    { etichetta: 'CIG registrati', valore: c.cigRegistrati },
    { etichetta: 'CUP registrati', valore: c.cupRegistrati },
    { etichetta: 'CIG già presenti nel registro', valore: c.cigGiaPresenti },
    { etichetta: 'CUP già presenti nel registro', valore: c.cupGiaPresenti },
    { etichetta: 'Impegni collegati a un CIG', valore: c.impegniCollegatiCig },
    { etichetta: 'Mandati collegati a un CIG', valore: c.mandatiCollegatiCig },
    { etichetta: 'Impegni collegati a un CUP', valore: c.impegniCollegatiCup },
    { etichetta: 'Mandati collegati a un CUP', valore: c.mandatiCollegatiCup },
    { etichetta: 'Voci del piano collegate a un CUP', valore: c.vociCollegateCup },
    { etichetta: 'Proposte accettate', valore: c.proposteAccettate ?? 0 },
    { etichetta: 'Documenti con il motivo di esclusione dalla frase scritta', valore: c.motiviImpostati ?? 0 },
    { etichetta: 'Testi segnati «nessun codice»', valore: c.testiSenzaCodice ?? 0 },
    { etichetta: 'Valori non validi da correggere', valore: c.valoriNonValidi },
  ];
}

/** True when a run changed nothing: a repeated import. */
export function nessunaNovita(c: Conteggi) {
  return (
    c.cigRegistrati + c.cupRegistrati + c.impegniCollegatiCig + c.mandatiCollegatiCig + c.impegniCollegatiCup + c.mandatiCollegatiCup + c.vociCollegateCup +
      (c.motiviImpostati ?? 0) + (c.testiSenzaCodice ?? 0) ===
    0
  );
}

export function storicoRighe(runs: { id: number; avviata_at: Date; utente_nome: string | null; modalita: string; conteggi: Partial<Conteggi> }[]) {
  return runs.map((r) => ({
    id: r.id,
    quando: formatDateTimeIt(r.avviata_at),
    chi: r.utente_nome ?? (r.modalita === 'cli' ? 'riga di comando' : '—'),
    sintesi: [
      plural(r.conteggi.cigRegistrati ?? 0, 'CIG registrato', 'CIG registrati'),
      plural(r.conteggi.cupRegistrati ?? 0, 'CUP registrato', 'CUP registrati'),
      plural(
        (r.conteggi.impegniCollegatiCig ?? 0) + (r.conteggi.mandatiCollegatiCig ?? 0) + (r.conteggi.impegniCollegatiCup ?? 0) + (r.conteggi.mandatiCollegatiCup ?? 0) + (r.conteggi.vociCollegateCup ?? 0),
        'collegamento',
        'collegamenti',
      ),
      plural(r.conteggi.valoriNonValidi ?? 0, 'valore non valido', 'valori non validi'),
    ].join(' · '),
    href: paths.impostazioni.importazioneReport(r.id),
  }));
}

export type Report = Omit<Piano, 'mappature' | 'proposte'> & { proposte: (Proposta & { accettata?: boolean })[] };

const TIPO_PROPOSTA: Record<TipoProposta, string> = {
  correzione: 'Correzione da confermare',
  esclusione: 'Frase di esclusione',
  segnaposto: 'Segnaposto',
  suggerimento: 'Codice letto nel testo del documento',
  da_decidere: 'Da decidere nel documento',
};
const CAMPO: Record<Proposta['campo'], string> = { cig: 'campo CIG', cup: 'campo CUP', testo: 'oggetto, causale o note' };

/**
 * The preview (or a run's report, `ritorno` = its page): codes, proposals, rules
 * and invalid values. Reports of runs made before the scanner have no proposals.
 */
export function pianoView(p: Report, ritorno?: string) {
  const proposte = (p.proposte ?? []).map((x) => ({
    ...x,
    tipoLabel: TIPO_PROPOSTA[x.tipo],
    campoLabel: CAMPO[x.campo],
    dove: x.dove.map((r) => riferimento(r, ritorno)),
  }));
  const accettabili = proposte.filter((x) => x.accettabile);
  return {
    cigDaRegistrare: p.cig.daRegistrare.map((c) => ({ ...c, famigliaLabel: CIG_FAMILY_LABELS[c.famiglia] })),
    cupDaRegistrare: p.cup.daRegistrare,
    giaRegistrati: [...p.cig.giaRegistrati.map((c) => ({ tipo: 'CIG', ...c })), ...p.cup.giaRegistrati.map((c) => ({ tipo: 'CUP', ...c }))],
    collegamenti: p.collegamenti.cig + p.collegamenti.cup + p.collegamenti.vociCup,
    collegamentiDettaglio: p.collegamenti,
    proposte: accettabili,
    daDecidere: proposte.filter((x) => !x.accettabile),
    regole: p.regole ?? [],
    /** Nothing to register, link or accept: running it would do nothing. */
    vuota: p.cig.daRegistrare.length + p.cup.daRegistrare.length + p.collegamenti.cig + p.collegamenti.cup + p.collegamenti.vociCup + accettabili.length === 0,
    /** Only proposals are left: the run needs at least one accepted. */
    soloProposte: p.cig.daRegistrare.length + p.cup.daRegistrare.length + p.collegamenti.cig + p.collegamenti.cup + p.collegamenti.vociCup === 0 && accettabili.length > 0,
    nonValidi: p.nonValidi.map((n) => ({ ...n, dove: n.dove.map((r) => riferimento(r, ritorno)) })),
  };
}

type ReportRow = { tipo: string; codice: string; esito: string; dettaglio: string; documenti: number; dove: string };

/** One row per code or invalid value: the downloadable report. */
export function reportRows(p: Report, eseguita: boolean): ReportRow[] {
  const nuovo = eseguita ? 'registrato' : 'da registrare';
  return [
    ...p.cig.daRegistrare.map((c) => ({ tipo: 'CIG', codice: c.codice, esito: nuovo, dettaglio: c.dettaglio, documenti: c.documenti, dove: c.grafie.join(' | ') })),
    ...p.cup.daRegistrare.map((c) => ({ tipo: 'CUP', codice: c.codice, esito: nuovo, dettaglio: c.dettaglio, documenti: c.documenti + c.voci, dove: c.grafie.join(' | ') })),
    ...p.cig.giaRegistrati.map((c) => ({ tipo: 'CIG', codice: c.codice, esito: 'già presente', dettaglio: '', documenti: c.documenti, dove: c.grafie.join(' | ') })),
    ...p.cup.giaRegistrati.map((c) => ({ tipo: 'CUP', codice: c.codice, esito: 'già presente', dettaglio: '', documenti: c.documenti + c.voci, dove: c.grafie.join(' | ') })),
    ...(p.proposte ?? []).map((x) => ({
      tipo: x.tipoCodice ? x.tipoCodice.toUpperCase() : x.campo === 'cup' ? 'CUP' : 'CIG',
      codice: x.valore,
      esito: x.accettabile ? (x.accettata ? 'proposta accettata' : 'proposta non accettata') : 'da decidere nel documento',
      dettaglio: `${TIPO_PROPOSTA[x.tipo]}: ${x.spiegazione}`,
      documenti: x.documenti,
      dove: x.dove.map((r) => riferimento(r).testo).join(' | '),
    })),
    ...p.nonValidi.map((n) => ({
      tipo: n.tipo,
      codice: n.valore,
      esito: 'non valido',
      dettaglio: n.motivo,
      documenti: n.dove.length,
      dove: n.dove.map((r) => riferimento(r).testo).join(' | '),
    })),
  ];
}

export const REPORT_COLUMNS: Column<ReportRow>[] = [
  { key: 'tipo', label: 'Tipo', kind: 'text', value: (r) => r.tipo },
  { key: 'codice', label: 'Codice o valore', kind: 'codice', value: (r) => r.codice },
  { key: 'esito', label: 'Esito', kind: 'text', value: (r) => r.esito },
  { key: 'dettaglio', label: 'Oggetto, descrizione o motivo', kind: 'text', value: (r) => r.dettaglio },
  { key: 'documenti', label: 'Documenti e voci', kind: 'int', value: (r) => r.documenti },
  { key: 'dove', label: 'Grafie trovate o documenti', kind: 'text', value: (r) => r.dove },
];

/** The message after a run, on the report it leads to. */
export function esitoMessage(c: Conteggi): string {
  return nessunaNovita(c)
    ? 'Importazione eseguita: nessun codice nuovo da registrare e nessun documento da collegare.'
    : `Importazione eseguita: ${c.cigRegistrati} CIG e ${c.cupRegistrati} CUP registrati.`;
}

/** Where a run's report leads next: complete the codes, decide what is left, check the Flussi. */
export function prossimiPassi(runId: number) {
  return {
    daCompletare: paths.daCompletare({ ritorno: paths.impostazioni.importazioneReport(runId) }),
    datiAperti: paths.impostazioni.datiAperti,
    importazione: paths.impostazioni.importazione,
    flussi: paths.flussi(),
  };
}
