import { formatEuro } from '../domain/money.js';
import { formatDateTimeIt } from '../domain/dates.js';

type Figures = {
  impegni: { numero: number; totaleCents: number };
  mandati: { numero: number; totaleCents: number };
  pagatoSuImpegniCents: number;
  cig: number;
  cup: number;
  voci: number;
  importazioneEseguitaIl: Date | null;
};

/** Home page cards: what the school has in the esercizio in use. */
export function homePage(f: Figures, esercizio: number) {
  const residuoCents = f.impegni.totaleCents - f.pagatoSuImpegniCents;
  return {
    esercizio,
    cards: [
      { titolo: 'Impegni', valore: String(f.impegni.numero), dettaglio: `Totale impegnato ${formatEuro(f.impegni.totaleCents)}`, link: '/impegni' },
      { titolo: 'Mandati', valore: String(f.mandati.numero), dettaglio: `Totale pagato ${formatEuro(f.mandati.totaleCents)}`, link: '/mandati' },
      { titolo: 'Residuo da pagare', valore: formatEuro(residuoCents), dettaglio: `Impegni dell’esercizio meno i mandati emessi su di essi`, link: '/impegni' },
      { titolo: 'CIG registrati', valore: String(f.cig), dettaglio: 'Gestione CIG', link: '/cig' },
      { titolo: 'CUP registrati', valore: String(f.cup), dettaglio: 'Gestione CUP', link: '/cup' },
      { titolo: 'Voci del piano', valore: String(f.voci), dettaglio: 'Piano delle destinazioni', link: '/impostazioni/piano-destinazioni' },
    ],
    importazione: f.importazioneEseguitaIl
      ? { eseguita: true, testo: `Importazione CIG/CUP eseguita il ${formatDateTimeIt(f.importazioneEseguitaIl)}` }
      : { eseguita: false, testo: 'Importazione CIG/CUP non ancora eseguita' },
  };
}
