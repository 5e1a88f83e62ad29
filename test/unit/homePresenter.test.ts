import { describe, expect, it } from 'vitest';
import { homePage } from '../../src/presenters/homePresenter.js';

const base = {
  impegni: { numero: 3, totaleCents: 1_000_000 },
  mandati: { numero: 4, totaleCents: 1_500_000 },
  pagatoSuImpegniCents: 250_050,
  cig: 2,
  cup: 1,
  voci: 30,
  importazioneEseguitaIl: null,
};
const nbsp = (s: string) => s.replace(/\u00a0/g, ' ');

describe('homePage', () => {
  it('computes the residuo on the esercizio’s impegni, not on every mandato of the year', () => {
    const page = homePage(base, 2026);
    const residuo = page.cards.find((c) => c.titolo === 'Residuo da pagare');
    // 10.000,00 impegnati − 2.500,50 pagati su quegli impegni; i mandati su residui non contano.
    expect(nbsp(residuo!.valore)).toBe('7.499,50 €');
    expect(nbsp(page.cards[0]!.dettaglio)).toBe('Totale impegnato 10.000,00 €');
  });

  it('says whether the import has run', () => {
    expect(homePage(base, 2026).importazione).toEqual({ eseguita: false, testo: 'Importazione CIG/CUP non ancora eseguita' });
    const done = homePage({ ...base, importazioneEseguitaIl: new Date('2026-03-05T09:30:00Z') }, 2026);
    expect(done.importazione.eseguita).toBe(true);
    expect(done.importazione.testo).toBe('Importazione CIG/CUP eseguita il 05/03/2026 10:30');
  });
});
