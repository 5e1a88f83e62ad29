import { describe, expect, it } from 'vitest';
import { parseDocumentiSearch } from '../../src/validation/documentiSearch.js';
import { impegniListPage } from '../../src/presenters/impegniPresenter.js';
import { mandatiListPage } from '../../src/presenters/mandatiPresenter.js';
import { pianoPage } from '../../src/presenters/pianoPresenter.js';
import type { VoceRow } from '../../src/repositories/pianoRepository.js';

const voce = (o: Partial<VoceRow> = {}): VoceRow => ({
  id: 7, esercizio: 2026, aggregato: 'A', voce: 3, sottovoce: 13, descrizione: 'Next Generation Classroom', cup_id: null, cup_codice: null,
  cup_descrizione: null, cup_stato: null, cup_testo: null, version: 1, ...o,
});
const params = { ordina: 'numero', verso: 'desc' as const, pagina: 1, perPagina: 25 };

describe('parseDocumentiSearch: the impegni/mandati panel', () => {
  it('reads every criterion, amounts the Italian way, codes in part, always within the esercizio given', () => {
    const s = parseDocumentiSearch(
      { q: ' notebook ', dal: '01/02/2026', al: '2026-03-31', voce_id: '7', creditore_id: '12', cig: ' 9050 626c ', cup: 'c44d', importo_min: '1.234,56', importo_max: '2000', esercizio: '1999' },
      2026,
    );
    expect(s.filters).toEqual({
      esercizio: 2026, q: 'notebook', dal: '2026-02-01', al: '2026-03-31', voceId: 7, creditoreId: 12, cig: '9050626C', cup: 'C44D', importoMin: 123456, importoMax: 200000,
    });
    expect(s.errors).toEqual({});
    expect(s.active).toBe(true);
    // The links repeat what was typed, never the esercizio (the header's).
    expect(s.query).not.toHaveProperty('esercizio');
    expect(s.query).toMatchObject({ q: 'notebook', importo_min: '1.234,56', voce_id: '7' });
  });

  it('is inactive without criteria; a bad value is left out with an Italian message for its field', () => {
    expect(parseDocumentiSearch({}, 2026)).toMatchObject({ active: false, filters: { esercizio: 2026 }, query: {} });
    const s = parseDocumentiSearch({ dal: '31/02/2026', voce_id: 'x', creditore_id: '1.5', cig: 'AB-1', cup: '%', importo_min: 'dieci', importo_max: '-3' }, 2026);
    expect(s.filters).toEqual({ esercizio: 2026 });
    expect(Object.keys(s.errors).sort()).toEqual(['cig', 'creditore_id', 'cup', 'dal', 'importo_max', 'importo_min', 'voce_id']);
    expect(s.errors.importo_min).toBe('Importo minimo: scrivi l’importo in euro, per esempio 1.234,56');
    expect(s.active).toBe(true);
    expect(parseDocumentiSearch({ importo_min: '10', importo_max: '5' }, 2026).errors.importo_max).toMatch(/minore del minimo/);
    expect(parseDocumentiSearch({ dal: '02/02/2026', al: '01/02/2026' }, 2026).errors.al).toMatch(/viene prima/);
  });
});

describe('list pages of impegni and mandati', () => {
  const lists = { voci: [voce()], creditori: [{ id: 12, denominazione: 'Rossi' }], colonne: null };

  it('impegni: totals of every row found, links that keep the search, the panel’s choices', () => {
    const search = parseDocumentiSearch({ voce_id: '7' }, 2026);
    const page = impegniListPage({ rows: [], total: 30, params, search, ...lists, totals: { n: 30, importoCents: 300000, pagatoCents: 4000 } });
    expect(page.totali).toEqual({ impegni: '30 impegni', importo: '3.000,00\u00a0€', pagato: '40,00\u00a0€', residuo: '2.960,00\u00a0€' });
    expect(page.esercizioPagina).toBe(2026);
    expect(page.links.csv).toBe('/impegni/export.csv?voce_id=7&ordina=numero&verso=desc');
    expect(page.links.xlsx).toBe('/impegni/export.xlsx?voce_id=7&ordina=numero&verso=desc');
    expect(page.pagination.next).toBe('/impegni?voce_id=7&ordina=numero&verso=desc&pagina=2');
    expect(page.table.headers.find((h) => h.key === 'importo')).toMatchObject({ href: '/impegni?voce_id=7&ordina=importo&verso=asc', ariaSort: 'none' });
    expect(page.options.voci[0]).toMatchObject({ value: '7', label: 'A03/13 – Next Generation Classroom' });
    expect(page.options.creditori).toEqual([{ value: '12', label: 'Rossi' }]);
    expect(page.empty).toBeNull();
    const none = impegniListPage({ rows: [], total: 0, params, search, ...lists, totals: { n: 0, importoCents: 0, pagatoCents: 0 } });
    expect(none.empty).toMatch(/Nessun impegno corrisponde alla ricerca/);
    const empty = impegniListPage({ rows: [], total: 0, params, search: parseDocumentiSearch({}, 2026), ...lists, totals: { n: 0, importoCents: 0, pagatoCents: 0 } });
    expect(empty.empty).toBe('Nessun impegno nell’esercizio 2026.');
  });

  it('mandati: how many, the annulled ones apart, and what they pay', () => {
    const search = parseDocumentiSearch({}, 2026);
    const page = mandatiListPage({ rows: [], total: 1001, params, search, ...lists, totals: { n: 1001, annullati: 2, importoCents: 123456 } });
    expect(page.totali).toEqual({ mandati: '1.001 mandati (2 annullati, esclusi dal totale)', importo: '1.234,56\u00a0€' });
    expect(mandatiListPage({ rows: [], total: 1, params, search, ...lists, totals: { n: 1, annullati: 0, importoCents: 5 } }).totali.mandati).toBe('1 mandato');
  });
});

describe('pianoPage: impegnato, pagato, residuo per voce', () => {
  const voci = [voce(), voce({ id: 8, sottovoce: 14, descrizione: 'Senza impegni' })];
  const cifre = new Map([[7, { impegni: 3, impegnatoCents: 150000, pagatoCents: 50000 }]]);

  it('shows the figures and the totals, and links the count to the impegni searched by voce when the page is the header’s esercizio', () => {
    const page = pianoPage({ esercizio: 2026, esercizioInUso: 2026, voci, cifre });
    const [a, b] = page.gruppi[0]!.voci;
    expect(a).toMatchObject({ impegni: '3', impegniHref: '/impegni?voce_id=7', impegnato: '1.500,00\u00a0€', pagato: '500,00\u00a0€', residuo: '1.000,00\u00a0€' });
    expect(b).toMatchObject({ impegni: '0', impegniHref: null, impegnato: '0,00\u00a0€', residuo: '0,00\u00a0€' });
    expect(page.totali).toEqual({ impegni: '3', impegnato: '1.500,00\u00a0€', pagato: '500,00\u00a0€', residuo: '1.000,00\u00a0€' });
    expect(page.altroEsercizio).toBeNull();
  });

  it('another year than the header’s: says so, and no link (the list follows the header)', () => {
    const page = pianoPage({ esercizio: 2025, esercizioInUso: 2026, voci, cifre });
    expect(page.altroEsercizio).toBe(2026);
    expect(page.gruppi[0]!.voci[0]!.impegniHref).toBeNull();
  });
});
