import { formatEuro } from '../domain/money.js';
import { formatDateTimeIt } from '../domain/dates.js';
import { paths } from '../paths.js';

type Figures = {
  impegni: { numero: number; totaleCents: number };
  mandati: { numero: number; totaleCents: number };
  pagatoSuImpegniCents: number;
  cig: number;
  cup: number;
  voci: number;
  importazioneEseguitaIl: Date | null;
};

/** "Da completare: 36 CIG senza data di generazione, 2 CUP senza descrizione", or null when nothing waits. */
export function daCompletareAlert(n: { cig: number; cup: number }): { testo: string; link: string } | null {
  if (n.cig + n.cup === 0) return null;
  const parts = [
    n.cig ? `${n.cig} CIG senza data di generazione` : '',
    n.cup ? `${n.cup} CUP senza descrizione` : '',
  ].filter(Boolean);
  return { testo: `Da completare: ${parts.join(', ')}`, link: paths.daCompletare() };
}

/** Home page cards: what the school has in the esercizio in use; `daCompletare`: codes the import left incomplete. */
export function homePage(f: Figures, esercizio: number, daCompletare = { cig: 0, cup: 0 }) {
  const residuoCents = f.impegni.totaleCents - f.pagatoSuImpegniCents;
  return {
    esercizio,
    cards: [
      { titolo: 'Impegni', valore: String(f.impegni.numero), dettaglio: `Totale impegnato ${formatEuro(f.impegni.totaleCents)}`, link: paths.impegni.list() },
      { titolo: 'Mandati', valore: String(f.mandati.numero), dettaglio: `Totale pagato ${formatEuro(f.mandati.totaleCents)}`, link: paths.mandati.list() },
      { titolo: 'Residuo da pagare', valore: formatEuro(residuoCents), dettaglio: `Impegni dell’esercizio meno i mandati emessi su di essi`, link: paths.impegni.list() },
      { titolo: 'CIG registrati', valore: String(f.cig), dettaglio: 'Gestione CIG', link: paths.cig.list() },
      { titolo: 'CUP registrati', valore: String(f.cup), dettaglio: 'Gestione CUP', link: paths.cup.list() },
      { titolo: 'Voci del piano', valore: String(f.voci), dettaglio: 'Piano delle destinazioni', link: paths.piano.list() },
    ],
    daCompletare: daCompletareAlert(daCompletare),
    importazione: f.importazioneEseguitaIl
      ? { eseguita: true, testo: `Importazione CIG/CUP eseguita il ${formatDateTimeIt(f.importazioneEseguitaIl)}` }
      : { eseguita: false, testo: 'Importazione CIG/CUP non ancora eseguita' },
  };
}
