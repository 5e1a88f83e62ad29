import { formatDateIt, formatDateTimeIt } from '../domain/dates.js';
import { statoInvio, type Invio, type Problema, type StatoInvio } from '../domain/distinta.js';
import { formatEuro } from '../domain/money.js';
import type { TipoOperazione } from '../formats/opi/flusso.js';
import { labelOf, MODALITA_PAGAMENTO, TIPI_DEBITO } from '../domain/opi.js';
import type { FiltriDistinta, FlussoMandatoRow, FlussoRow, InvioMandatoRow } from '../repositories/distinteRepository.js';
import type { Riga } from '../services/distinteService.js';
import type { FormErrors } from '../validation/formErrors.js';
import { addQuery, paths } from '../paths.js';

export const OPERAZIONI: Record<TipoOperazione, string> = { INSERIMENTO: 'Inserimento', VARIAZIONE: 'Variazione', ANNULLO: 'Annullo' };

export const STATI_INVIO: Record<StatoInvio, string> = {
  da_inviare: 'Da inviare al cassiere',
  trasmesso: 'Trasmesso al cassiere',
  accettato: 'Accettato dal cassiere',
  rifiutato: 'Rifiutato dal cassiere: da correggere e inviare di nuovo',
  da_variare: 'Modificato dopo l’invio: la variazione partirà con la prossima distinta',
  da_annullare: 'Annullato: l’annullo partirà con la prossima distinta',
  annullato: 'Annullato',
};

/** Where each problem is fixed; forms come back to the page (`ritorno`). */
function problemaView(p: Problema, mandatoId: number, ritorno: string): { testo: string; link: { href: string; testo: string } } {
  const mandato = { href: paths.mandati.edit(mandatoId, { ritorno }), testo: 'Modifica il mandato' };
  switch (p.tipo) {
    case 'senza_beneficiario': return { testo: 'Manca il beneficiario.', link: mandato };
    case 'senza_iban': return { testo: 'Pagamento con bonifico SEPA ma il beneficiario non ha l’IBAN.', link: { href: paths.creditori.edit(p.creditoreId, { ritorno }), testo: 'Aggiungi l’IBAN al creditore' } };
    case 'senza_codice_fiscale': return { testo: 'Il beneficiario non ha né codice fiscale né partita IVA.', link: { href: paths.creditori.edit(p.creditoreId, { ritorno }), testo: 'Completa il creditore' } };
    case 'senza_conto': return { testo: 'L’impegno non ha il conto del piano dei conti: serve per il codice SIOPE.', link: { href: paths.impegni.edit(p.impegnoId, { ritorno }), testo: 'Scegli il conto nell’impegno' } };
    case 'conto_senza_siope': return { testo: 'Il conto dell’impegno non ha il codice gestionale SIOPE.', link: { href: addQuery(`/impostazioni/conti/${p.contoId}/modifica`, { ritorno }), testo: 'Indica il codice SIOPE del conto' } };
    case 'conto_senza_natura': return { testo: 'Il conto dell’impegno non dice se la spesa è corrente o in conto capitale (serve per le fatture).', link: { href: addQuery(`/impostazioni/conti/${p.contoId}/modifica`, { ritorno }), testo: 'Indica la natura della spesa' } };
    case 'senza_cig_ne_motivo': return { testo: 'Debito commerciale senza CIG né motivo di esclusione.', link: mandato };
    case 'cig_da_completare': return { testo: `Il CIG ${p.codice} è da completare.`, link: { href: paths.cig.edit(p.cigId), testo: `Completa il CIG ${p.codice}` } };
    case 'cig_annullato': return { testo: `Il CIG ${p.codice} è annullato nel registro.`, link: mandato };
    case 'commerciale_senza_fattura': return { testo: 'Debito commerciale senza fatture pagate: il cassiere le richiede.', link: mandato };
    case 'fattura_cig_diverso': return { testo: `La fattura n. ${p.numero} riporta il CIG ${p.cig.join(', ')}, diverso da quello del mandato.`, link: { href: paths.fatture.show(p.fatturaId), testo: `Controlla la fattura n. ${p.numero}` } };
    case 'fattura_senza_sdi': return { testo: `La fattura n. ${p.numero} non ha l’identificativo SdI: carica il suo file di metadati (_MT_).`, link: { href: paths.fatture.carica, testo: 'Carica i metadati' } };
  }
}

const mandatoRef = (r: Riga) => ({
  id: r.candidato.id,
  href: paths.mandati.show(r.candidato.id),
  numero: `${r.candidato.numero}/${r.candidato.esercizio}`,
  data: formatDateIt(r.candidato.data),
  beneficiario: r.candidato.beneficiario?.denominazione ?? '—',
  importo: formatEuro(r.candidato.importoCents),
  operazione: OPERAZIONI[r.operazione],
  debito: labelOf(TIPI_DEBITO, r.candidato.tipoDebito),
  pagamento: labelOf(MODALITA_PAGAMENTO, r.candidato.modalitaPagamento),
});

const filtriValues = (f: FiltriDistinta) => ({
  data_da: f.dataDa ? formatDateIt(f.dataDa) : '',
  data_a: f.dataA ? formatDateIt(f.dataA) : '',
  numero_da: f.numeroDa === null ? '' : String(f.numeroDa),
  numero_a: f.numeroA === null ? '' : String(f.numeroA),
});

const distintaRow = (d: FlussoRow) => ({
  href: paths.cassiere.distinta(d.id),
  file: paths.cassiere.file(d.id),
  numero: d.numero,
  identificativo: d.identificativo,
  creata: formatDateTimeIt(d.created_at),
  autore: d.autore ?? '—',
  mandati: d.n_mandati,
  totale: formatEuro(Number(d.totale_cents)),
  esiti: d.accettati + d.rifiutati === 0 ? 'In attesa dell’esito' : `${d.accettati} ${d.accettati === 1 ? 'accettato' : 'accettati'}, ${d.rifiutati} ${d.rifiutati === 1 ? 'rifiutato' : 'rifiutati'}`,
});

/** Flussi → Mandati al cassiere. `query` is the page's own query string (the fixes come back to it). */
export function cassierePage(input: {
  esercizio: number; filtri: FiltriDistinta; errors: FormErrors | null; identitaMancante: string[]; pronti: Riga[]; bloccati: Riga[];
  firma: string; distinte: FlussoRow[]; ritorno: string; isAdmin: boolean;
}) {
  const totale = input.pronti.reduce((s, r) => s + r.candidato.importoCents, 0);
  return {
    title: 'Mandati al cassiere',
    esercizio: input.esercizio,
    values: filtriValues(input.filtri),
    ...(input.errors ?? {}),
    identita: input.identitaMancante.length
      ? { mancanti: input.identitaMancante.join(', '), href: input.isAdmin ? paths.impostazioni.scuola : null }
      : null,
    pronti: input.pronti.map(mandatoRef),
    totalePronti: formatEuro(totale),
    bloccati: input.bloccati.map((r) => ({ ...mandatoRef(r), problemi: r.problemi.map((p) => problemaView(p, r.candidato.id, input.ritorno)) })),
    firma: input.firma,
    puoCreare: input.pronti.length > 0 && input.identitaMancante.length === 0 && !input.errors,
    distinte: input.distinte.map(distintaRow),
  };
}

const ESITI: Record<string, string> = { accettato: 'Accettato', rifiutato: 'Rifiutato' };

/** One distinta: its file, what it carried and the bank's answer per mandato. */
export function distintaPage(d: { flusso: FlussoRow; mandati: FlussoMandatoRow[] }) {
  return {
    title: `Distinta n. ${d.flusso.numero}`,
    distinta: { ...distintaRow(d.flusso), sha256: d.flusso.sha256, nomeFile: d.flusso.nome_file, dimensione: `${Math.max(1, Math.round(d.flusso.dimensione / 1024))} kB` },
    mandati: d.mandati.map((m) => ({
      href: paths.mandati.show(m.mandato_id),
      numero: `${m.numero}/${m.esercizio}`,
      data: formatDateIt(m.data),
      beneficiario: m.beneficiario ?? '—',
      operazione: OPERAZIONI[m.tipo_operazione],
      importo: formatEuro(Number(m.importo_cents)),
      esito: m.esito ? ESITI[m.esito] : 'In attesa',
      rifiutato: m.esito === 'rifiutato',
      motivo: [m.esito_codice, m.esito_descrizione].filter(Boolean).join(' – '),
    })),
  };
}

/** The mandato's page: its state towards the bank and each distinta it went in. */
export function inviiView(m: { id: number; version: number; annullato: boolean }, rows: InvioMandatoRow[]) {
  const invii: Invio[] = rows.map((r) => ({
    flussoId: r.flusso_id, flussoNumero: r.flusso_numero, tipoOperazione: r.tipo_operazione, mandatoVersion: r.mandato_version, esito: r.esito,
    dati: typeof r.dati === 'string' ? JSON.parse(r.dati) : r.dati,
  }));
  const stato = statoInvio({ version: m.version, annullato: m.annullato, invii });
  return {
    stato: STATI_INVIO[stato],
    inviato: rows.length > 0,
    annullabile: rows.length > 0 && !m.annullato,
    annullaHref: paths.cassiere.annulla(m.id),
    righe: rows.map((r) => {
      const dati = typeof r.dati === 'string' ? JSON.parse(r.dati) : r.dati;
      const b = dati.beneficiari?.[0];
      return {
        href: paths.cassiere.distinta(r.flusso_id),
        distinta: `n. ${r.flusso_numero} del ${formatDateTimeIt(r.flusso_creato)}`,
        operazione: OPERAZIONI[r.tipo_operazione],
        importo: formatEuro(Number(r.importo_cents)),
        beneficiario: b ? [b.anagrafica, b.iban ? `IBAN ${b.iban}` : null].filter(Boolean).join(', ') : '—',
        esito: r.esito ? ESITI[r.esito] : 'In attesa',
        motivo: [r.esito_codice, r.esito_descrizione].filter(Boolean).join(' – '),
      };
    }),
  };
}
