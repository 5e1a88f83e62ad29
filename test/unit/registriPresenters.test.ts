import { describe, expect, it } from 'vitest';
import { cellText, chosenColumnKeys, columnChooser, exportText, presentPagination, presentTable, visibleColumns, type Column } from '../../src/presenters/listPresenter.js';
import { presentHistory } from '../../src/presenters/historyPresenter.js';
import { presentUses } from '../../src/presenters/usesPresenter.js';
import { toCsv } from '../../src/presenters/exportPresenter.js';
import { CIG_COLUMNS, cigFormPage, cigLabel, cigRecordPage } from '../../src/presenters/cigPresenter.js';
import { cupFormPage } from '../../src/presenters/cupPresenter.js';
import { cigWarnings } from '../../src/domain/cig.js';
import { paths } from '../../src/paths.js';
import type { CigRow } from '../../src/repositories/cigRepository.js';

type Row = { id: number; codice: string; importo: number | null; data: string | null };
const COLUMNS: Column<Row>[] = [
  { key: 'codice', label: 'Codice', kind: 'codice', value: (r) => r.codice, fixed: true },
  { key: 'importo', label: 'Importo', kind: 'euro', value: (r) => r.importo, byDefault: true },
  { key: 'data', label: 'Data', kind: 'date', value: (r) => r.data },
];
const params = { ordina: 'importo', verso: 'asc' as const, pagina: 1, perPagina: 25 };
const ctx = { params, search: { oggetto: 'x' }, href: paths.cig.list };

describe('list presenter', () => {
  it('formats cells for the page and for CSV', () => {
    expect(cellText('euro', 123456)).toBe('1.234,56\u00a0€');
    expect(cellText('date', '2025-03-15')).toBe('15/03/2025');
    expect(cellText('text', null)).toBe('');
    expect(exportText('euro', 123456)).toBe('1234,56');
    expect(exportText('date', '2025-03-15')).toBe('15/03/2025');
  });

  it('shows the chosen columns (fixed ones always), or the defaults', () => {
    expect(visibleColumns(COLUMNS, null).map((c) => c.key)).toEqual(['codice', 'importo']);
    expect(visibleColumns(COLUMNS, ['data']).map((c) => c.key)).toEqual(['codice', 'data']);
    expect(chosenColumnKeys(COLUMNS, ['data', 'codice', 'boh', 'data'])).toEqual(['data']);
    expect(columnChooser(COLUMNS, visibleColumns(COLUMNS, null))).toEqual([
      { key: 'codice', label: 'Codice', checked: true, fixed: true },
      { key: 'importo', label: 'Importo', checked: true, fixed: false },
      { key: 'data', label: 'Data', checked: false, fixed: false },
    ]);
  });

  it('builds sortable headers with aria-sort and links keeping the search', () => {
    const t = presentTable(visibleColumns(COLUMNS, null), [{ id: 4, codice: 'X', importo: 100, data: null }], { ...ctx, rowHref: (r) => paths.cig.show(r.id) });
    expect(t.headers[1]).toEqual({
      key: 'importo', label: 'Importo', sorted: true, ariaSort: 'ascending',
      href: '/cig?oggetto=x&ordina=importo&verso=desc',
    });
    expect(t.headers[0]!.ariaSort).toBe('none');
    expect(t.headers[0]!.href).toContain('ordina=codice&verso=asc');
    expect(t.rows[0]!.cells[0]).toEqual({ text: 'X', cls: 'codice', href: '/cig/4' });
    expect(t.rows[0]!.cells[1]!.cls).toContain('text-end');
  });

  it('paginates with gaps, prev/next and a summary', () => {
    const p = presentPagination(1000, { ...ctx, params: { ...params, pagina: 10 } });
    expect(p.summary).toBe('226–250 di 1.000 risultati');
    expect(p.pages.map((x) => ('gap' in x ? '…' : x.n))).toEqual([1, '…', 8, 9, 10, 11, 12, '…', 40]);
    expect(p.prev).toContain('pagina=9');
    expect(p.next).toContain('pagina=11');
    const one = presentPagination(3, ctx);
    expect(one.pages).toEqual([]);
    expect(one.summary).toBe('1–3 di 3 risultati');
    expect(presentPagination(0, ctx).summary).toBe('Nessun risultato');
    expect(presentPagination(1, ctx).summary).toBe('1 risultato');
  });
});

describe('history presenter', () => {
  it('shows who, when (Rome time) and each changed field before → after', () => {
    const h = presentHistory(
      [
        { azione: 'modifica', prima: { oggetto: 'A', importo_cents: 100, stato: 'attivo' }, dopo: { oggetto: 'B', importo_cents: 100, stato: 'attivo' }, created_at: new Date('2025-03-05T09:15:00Z'), utente_nome: 'Maria Rossi' },
        { azione: 'crea', prima: null, dopo: { oggetto: 'A' }, created_at: new Date('2025-03-04T09:15:00Z'), utente_nome: null },
      ],
      [{ key: 'oggetto', label: 'Oggetto' }, { key: 'importo_cents', label: 'Importo', kind: 'euro' }, { key: 'data', label: 'Data', kind: 'date' }],
    );
    expect(h[0]).toEqual({ quando: '05/03/2025 10:15', chi: 'Maria Rossi', azione: 'Modifica', changes: [{ campo: 'Oggetto', prima: 'A', dopo: 'B' }] });
    expect(h[1]).toMatchObject({ chi: 'Sistema', azione: 'Inserimento', changes: [] });
    const money = presentHistory([{ azione: 'modifica', prima: { importo_cents: null }, dopo: { importo_cents: 150 }, created_at: '2025-01-01T00:00:00Z', utente_nome: 'X' }], [{ key: 'importo_cents', label: 'Importo', kind: 'euro' }]);
    expect(money[0]!.changes).toEqual([{ campo: 'Importo', prima: '—', dopo: '1,50\u00a0€' }]);
  });
});

describe('uses presenter', () => {
  const uso = (totaleCents: number, numero = 1) => ({ righe: [{ id: 1, esercizio: 2025, numero: 7, data: '2025-02-01', descrizione: 'x', importo_cents: totaleCents }], numero, totaleCents });
  it('computes residuo and warns when impegnato exceeds importo', () => {
    const u = presentUses({ impegni: uso(12000, 3), mandati: uso(3000) }, 10000);
    expect(u.totali).toEqual({ importo: '100,00\u00a0€', impegnato: '120,00\u00a0€', pagato: '30,00\u00a0€', residuo: '-20,00\u00a0€', daPagare: '90,00\u00a0€' });
    expect(u.superato).toBe(true);
    expect(u.avviso).toContain('superano');
    expect(u.impegni[0]).toMatchObject({ label: 'Impegno n. 7/2025', href: '/impegni/1', data: '01/02/2025' });
    expect(u.impegniAltri).toBe(2);
    expect(u.mandati[0]!.href).toBe('/mandati/1');
    expect(u.inUso).toBe(true);
  });
  it('has no residuo without an importo, and no warning within it', () => {
    const u = presentUses({ impegni: { righe: [], numero: 0, totaleCents: 0 }, mandati: { righe: [], numero: 0, totaleCents: 0 }, voci: [{ id: 1, esercizio: 2025, aggregato: 'A', voce: 3, sottovoce: 13, descrizione: 'PNRR' }] }, null);
    expect(u.totali.residuo).toBe('—');
    expect(u.superato).toBe(false);
    expect(u.voci).toEqual([{ label: 'A03/13 – PNRR', esercizio: 2025, href: '/impostazioni/piano-destinazioni?esercizio=2025' }]);
  });
});

describe('CSV writer', () => {
  it('writes BOM, header, semicolons, CRLF and quotes what needs it, defusing formulas', () => {
    const csv = toCsv(COLUMNS, [{ id: 1, codice: 'a;b "c"', importo: 123456, data: '2025-01-31' }, { id: 2, codice: '=SUM(A1)', importo: null, data: null }]);
    expect(csv).toBe('\uFEFFCodice;Importo;Data\r\n"a;b ""c""";1234,56;31/01/2025\r\n"\'=SUM(A1)";;\r\n');
  });
});

const cigRow = (overrides: Partial<CigRow> = {}): CigRow => ({
  id: 5, codice: '9050626CD6', famiglia: 'ordinario', oggetto: 'Oggetto', data_generazione: '2023-03-15', data_scadenza_offerte: '2023-03-01',
  importo_cents: 10000, fornitore_id: null, fornitore: null, scelta_contraente: 'MEPA_ODA', stato: 'attivo', da_completare: false, note: null,
  version: 3, created_at: new Date(), updated_at: new Date(), ...overrides,
});

describe('CIG presenters', () => {
  it('record page: family label, ANAC link, Italian values, warnings', () => {
    const p = cigRecordPage({ cig: cigRow(), usi: { impegni: { righe: [], numero: 0, totaleCents: 0 }, mandati: { righe: [], numero: 0, totaleCents: 0 } }, history: [], today: new Date('2025-01-01T12:00:00Z'),
      fatture: {
        rows: [{ id: 9, numero: 'A/1', data: '2025-02-03', tipo_documento: 'TD01', fornitore_denominazione: 'Rossi', totale_cents: 12200, pagato_cents: 2200, stato: 'pagata_in_parte' }],
        totali: { n: 3, fatturato_cents: 30000, pagato_cents: 2200 },
      },
    });
    expect(p.fatture.righe).toEqual([
      { href: '/fatture/9', label: 'n. A/1 del 03/02/2025', fornitore: 'Rossi', tipo: 'TD01 Fattura', totale: '122,00\u00a0€', pagato: '22,00\u00a0€', stato: 'Pagata in parte' },
    ]);
    expect(p.fatture.altre).toBe(2);
    expect(p.fatture.totali).toEqual({ n: 3, fatturato: '300,00\u00a0€', pagato: '22,00\u00a0€' });
    expect(p.cig.famiglia).toBe('CIG ordinario');
    expect(p.cig.anacUrl).toContain('cig=9050626CD6');
    expect(p.campi).toContainEqual({ label: 'Importo', value: '100,00\u00a0€' });
    expect(p.campi).toContainEqual({ label: 'Scelta del contraente', value: 'Ordine diretto MePA' });
    expect(p.warnings[0]).toContain('precedente alla data di generazione');
    expect(p.links.edit).toBe('/cig/5/modifica');
  });

  it('form page: edit values to date inputs and warnings from what was typed', () => {
    const p = cigFormPage({ record: cigRow(), values: { codice: 'B123456659', data_generazione: '10/02/2023' }, fornitori: [{ id: 1, denominazione: 'Rossi' }], today: new Date('2025-01-01T12:00:00Z') });
    expect(p.values.data_generazione).toBe('2023-02-10');
    expect(p.warnings.join(' ')).toContain('CIG PCP esistono dal 1° gennaio 2024');
    expect(p.action).toBe('/cig/5');
    expect(p.options.fornitori).toEqual([{ value: '1', label: 'Rossi' }]);
  });

  it('labels and columns', () => {
    expect(cigLabel({ codice: 'X', oggetto: 'y'.repeat(100) })).toHaveLength(4 + 80);
    expect(CIG_COLUMNS.filter((c) => c.fixed).map((c) => c.key)).toEqual(['codice']);
  });
});

describe('cigWarnings', () => {
  it('warns, never refuses, on date oddities', () => {
    expect(cigWarnings({ famiglia: 'ordinario', dataGenerazione: '2023-01-10', dataScadenzaOfferte: '2023-01-20' }, '2025-01-01')).toEqual([]);
    expect(cigWarnings({ famiglia: 'pcp', dataGenerazione: '2026-01-10', dataScadenzaOfferte: null }, '2025-01-01')[0]).toContain('nel futuro');
    expect(cigWarnings({ famiglia: 'smart', dataGenerazione: '2024-05-10', dataScadenzaOfferte: null }, '2025-01-01')[0]).toContain('SmartCIG');
    expect(cigWarnings({ famiglia: null, dataGenerazione: null, dataScadenzaOfferte: '2020-01-01' }, '2025-01-01')).toEqual([]);
  });
});

describe('CUP form presenter', () => {
  it('derives the year, and leaves it empty with a warning when the digits would be a future year', () => {
    const today = new Date('2025-06-01T10:00:00Z');
    expect(cupFormPage({ values: { codice: 'C44D22002780006' }, today }).annoDecisione).toBe('2022');
    const p = cupFormPage({ values: { codice: 'B31B95000000003' }, today });
    expect(p.annoDecisione).toBe('');
    expect(p.warnings[0]).toContain('2095, un anno futuro');
    expect(cupFormPage({ values: { codice: 'xx' } }).annoDecisione).toBe('');
  });
});
