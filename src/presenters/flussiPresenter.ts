import { formatDateIt, formatDateTimeIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import { CIG_FAMILY_LABELS, type CigFamily } from '../domain/cig.js';
import { addQuery, paths } from '../paths.js';
import { documentoLink } from './documentiPresenter.js';
import type { CigElenco, CupElenco } from '../repositories/flussiRepository.js';
import { REGOLE, type RegolaFlussi } from '../domain/flussi.js';
import type { Problema, Verifica } from '../services/flussiService.js';

/** The warning on a code's page when it changed after the last export that contained it. */
export function modificatoDopoInvio(updatedAt: Date, ultimoInvio: Date | null | undefined): string[] {
  return ultimoInvio && updatedAt > ultimoInvio
    ? [`Modificato dopo l’invio del ${formatDateTimeIt(ultimoInvio)}: il prossimo flusso deve riportarlo aggiornato.`]
    : [];
}

const MESI = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'];

/** "a" before a month, "ad" before one that begins with a vowel: ad aprile, ad agosto, ad ottobre. */
const aMese = (mese: string) => (/^[aeiou]/.test(mese) ? `ad ${mese}` : `a ${mese}`);

export function periodoLabel(esercizio: number, mese: number | null) {
  return mese ? `esercizio ${esercizio}, da gennaio ${aMese(MESI[mese - 1] ?? '')}` : `esercizio ${esercizio} (intero)`;
}

export const mesiOptions = () => MESI.map((m, i) => ({ value: String(i + 1), label: `fino ${aMese(m)}` }));

/**
 * Where a problem is corrected: the document's form, a CIG's form for its missing
 * dates (both come back to `ritorno`, the Flussi page, after saving), else the code's page.
 */
function problemaLink(p: Problema, ritorno: string) {
  switch (p.tipo) {
    case 'impegno':
    case 'mandato': {
      const link = documentoLink(p.tipo, p);
      return { ...link, href: addQuery(`${link.href}/modifica`, { ritorno }) };
    }
    case 'cig':
      return {
        testo: `CIG ${p.codice}`,
        href: p.regola === 'cig_senza_data_generazione' || p.regola === 'cig_senza_scadenza_offerte' ? addQuery(paths.cig.edit(p.id), { ritorno }) : paths.cig.show(p.id),
      };
    case 'cup':
      return { testo: `CUP ${p.codice}`, href: paths.cup.show(p.id) };
  }
}

/** The verifica of a period; `ritorno` is that period's Flussi page, where the fixes come back to. */
export function verificaView(v: Verifica, ritorno: string) {
  return {
    errori: v.errori,
    avvisi: v.avvisi,
    problemi: v.problemi.map((p) => ({
      severita: p.severita,
      regola: REGOLE[p.regola].titolo,
      link: problemaLink(p, ritorno),
      dettaglio: p.regola === 'modificato_dopo_invio' ? `Modificato dopo l’invio del ${p.dettaglio}` : (p.dettaglio ?? ''),
    })),
    /** Many CIG without their date: one page completes them all, then comes back here. */
    completaTutti: (v.totali.cig_senza_data_generazione ?? 0) > 1 ? { n: v.totali.cig_senza_data_generazione, href: paths.daCompletare({ ritorno }) } : null,
    troncati: Object.entries(v.totali)
      .filter(([regola, totale]) => totale > v.problemi.filter((p) => p.regola === regola).length)
      .map(([regola, totale]) => `${REGOLE[regola as RegolaFlussi].titolo}: ${totale} in tutto, qui i primi ${v.problemi.filter((p) => p.regola === regola).length}`),
  };
}

const impegniLinks = (impegni: CigElenco['impegni'], esercizio: number) => impegni.map((i) => ({ testo: `${i.numero}/${esercizio}`, href: paths.impegni.show(i.id) }));

export function elencoCigView(rows: CigElenco[], esercizio: number) {
  return rows.map((c) => ({
    codice: c.codice,
    href: paths.cig.show(c.id),
    famiglia: CIG_FAMILY_LABELS[c.famiglia as CigFamily] ?? c.famiglia,
    oggetto: c.oggetto,
    dataGenerazione: formatDateIt(c.data_generazione) || '—',
    dataScadenza: formatDateIt(c.data_scadenza_offerte) || '—',
    impegnato: formatEuro(Number(c.impegnato_cents)),
    impegni: impegniLinks(c.impegni, esercizio),
  }));
}

export function elencoCupView(rows: CupElenco[], esercizio: number) {
  return rows.map((c) => ({
    codice: c.codice,
    href: paths.cup.show(c.id),
    descrizione: c.descrizione,
    anno: c.anno_decisione ?? '—',
    fonte: c.fonte_finanziamento ?? '—',
    impegnato: formatEuro(Number(c.impegnato_cents)),
    impegni: impegniLinks(c.impegni, esercizio),
  }));
}

const FORMATI: Record<string, string> = { 'cig.csv': 'Elenco CIG (CSV)', 'cup.csv': 'Elenco CUP (CSV)', xml: 'Elenchi CIG e CUP (XML)' };

export function storicoView(rows: { id: number; mese: number | null; formato: string; hash_contenuto: string; codici: string[]; created_at: Date; utente_nome: string | null }[], esercizio: number) {
  return rows.map((r) => ({
    quando: formatDateTimeIt(r.created_at),
    chi: r.utente_nome ?? '—',
    formato: FORMATI[r.formato] ?? r.formato,
    periodo: periodoLabel(esercizio, r.mese),
    codici: r.codici.length,
    hash: r.hash_contenuto.slice(0, 16),
  }));
}

type FlussiPageData = {
  verifica: Verifica;
  cig: CigElenco[];
  cup: CupElenco[];
  storico: Parameters<typeof storicoView>[0];
};

/** How the errors changed since the secretary last saw this period's verifica: "2 errori in meno". */
export function erroriCambiati(prima: number | null, ora: number): string | null {
  if (prima === null || prima === ora) return null;
  const n = Math.abs(prima - ora);
  const errori = n === 1 ? 'errore' : 'errori';
  return prima > ora ? `${n} ${errori} in meno${ora === 0 ? ': nessun errore, i flussi si possono esportare' : ''}.` : `${n} ${errori} in più.`;
}

/** The Flussi page of a period: the verifica, both lists, the history and the three files. */
export function flussiPage(esercizio: number, mese: number | null, data: FlussiPageData, erroriPrima: number | null = null) {
  return {
    cambiamento: erroriCambiati(erroriPrima, data.verifica.errori),
    title: 'Flussi: elenchi CIG e CUP',
    esercizio,
    mese,
    mesi: mesiOptions(),
    periodo: periodoLabel(esercizio, mese),
    verifica: verificaView(data.verifica, paths.flussi({ mese: mese ?? undefined })),
    cig: elencoCigView(data.cig, esercizio),
    cup: elencoCupView(data.cup, esercizio),
    storico: storicoView(data.storico, esercizio),
    files: {
      cig: paths.flussiFile(esercizio, 'cig.csv', mese),
      cup: paths.flussiFile(esercizio, 'cup.csv', mese),
      xml: paths.flussiFile(esercizio, 'elenchi.xml', mese),
    },
  };
}

/** The page that says why an export was refused, with the way back to the period. */
export function bloccatoPage(esercizio: number, mese: number | null, verifica: Verifica) {
  return {
    title: 'Esportazione bloccata',
    periodo: periodoLabel(esercizio, mese),
    verifica: verificaView(verifica, paths.flussi({ mese: mese ?? undefined })),
    back: paths.flussi({ mese: mese ?? undefined }),
  };
}
