import { describe, expect, it } from 'vitest';
import { parseListParams, queryList, queryText, searchPeriod } from '../../src/validation/listQuery.js';
import { parseCigSearch } from '../../src/validation/cigSchemas.js';
import { parseCupSearch } from '../../src/validation/cupSchemas.js';

const SORTS = ['codice', 'oggetto', 'importo'] as const;
const defaults = { ordina: 'codice', verso: 'asc' } as const;

describe('parseListParams', () => {
  it('uses the defaults for an empty query', () => {
    expect(parseListParams({}, SORTS, defaults)).toEqual({ ordina: 'codice', verso: 'asc', pagina: 1, perPagina: 25 });
  });

  it('reads sort, direction, page and page size', () => {
    expect(parseListParams({ ordina: 'importo', verso: 'desc', pagina: '3', per: '50' }, SORTS, defaults)).toEqual({
      ordina: 'importo', verso: 'desc', pagina: 3, perPagina: 50,
    });
  });

  it('falls back on anything unexpected, never failing', () => {
    const p = parseListParams({ ordina: 'drop table', verso: 'x', pagina: '-1', per: '1000' }, SORTS, defaults);
    expect(p).toEqual({ ordina: 'codice', verso: 'asc', pagina: 1, perPagina: 25 });
    expect(parseListParams({ pagina: ['2', '3'] }, SORTS, defaults).pagina).toBe(2);
    expect(parseListParams({ pagina: '99999999999' }, SORTS, defaults).pagina).toBe(1);
    expect(parseListParams({ ordina: { a: 1 } }, SORTS, defaults).ordina).toBe('codice');
  });

  it('sorts a newly chosen column ascending by default', () => {
    expect(parseListParams({ ordina: 'oggetto' }, SORTS, { ordina: 'codice', verso: 'desc' }).verso).toBe('asc');
    expect(parseListParams({}, SORTS, { ordina: 'codice', verso: 'desc' }).verso).toBe('desc');
  });
});

describe('query helpers', () => {
  it('queryText trims, bounds and ignores non-strings', () => {
    expect(queryText({ a: '  x ' }, 'a')).toBe('x');
    expect(queryText({ a: 'y'.repeat(500) }, 'a')).toHaveLength(200);
    expect(queryText({ a: { b: 1 } }, 'a')).toBe('');
    expect(queryList({ usa: ['a', '', 'b'] }, 'usa')).toEqual(['a', 'b']);
  });

});

describe('parseCigSearch', () => {
  it('builds the filters from the query string', () => {
    const s = parseCigSearch({ codice: 'cig: 9050626', oggetto: 'Attività', dal: '01/01/2023', al: '2023-12-31', stato: 'attivo', fornitore_id: '7', famiglia: 'smart' });
    expect(s.filters).toEqual({
      codice: '9050626',
      oggetto: 'Attività',
      periodo: { campo: 'data_generazione', dal: '2023-01-01', al: '2023-12-31' },
      stato: 'attivo',
      fornitoreId: 7,
      famiglia: 'smart',
    });
    expect(s.active).toBe(true);
    expect(s.applied).toEqual(['codice', 'oggetto', 'periodo', 'stato', 'fornitore', 'famiglia']);
    // The links repeat the filled fields only, never the old «usa» boxes.
    expect(s.query).toEqual({ codice: 'cig: 9050626', oggetto: 'Attività', dal: '01/01/2023', al: '2023-12-31', stato: 'attivo', fornitore_id: '7', famiglia: 'smart' });
  });

  it('applies every filled criterion, even from an old URL carrying ricerca=1&usa=… (ignored)', () => {
    const s = parseCigSearch({ ricerca: '1', usa: 'stato', oggetto: 'pulizia', stato: 'attivo' });
    expect(s.filters).toEqual({ oggetto: 'pulizia', stato: 'attivo' });
    expect(s.query).not.toHaveProperty('usa');
    // «Da completare» is one tick.
    expect(parseCigSearch({ da_completare: '1' }).filters).toEqual({ daCompletare: true });
  });

  it('is inactive without criteria and ignores unknown values', () => {
    const s = parseCigSearch({ stato: 'boh', famiglia: 'x', fornitore_id: 'abc' });
    expect(s.filters).toEqual({});
    expect(s.active).toBe(false);
    expect(s.query).toEqual({});
  });

  it('reports an impossible date and keeps the rest', () => {
    const s = parseCigSearch({ dal: '31/02/2023', oggetto: 'x', campo_data: 'data_scadenza_offerte' });
    expect(s.errors.dal).toMatch(/non valida/);
    expect(s.filters).toEqual({ oggetto: 'x' });
    expect(s.active).toBe(true);
  });
});

describe('parseCupSearch', () => {
  it('builds the filters and refuses a two-digit year', () => {
    expect(parseCupSearch({ codice: 'c44d', descrizione: 'città', anno: '2022', fonte: 'PON/FSE', stato: 'chiuso' }).filters).toEqual({
      codice: 'C44D', descrizione: 'città', anno: 2022, fonte: 'PON/FSE', stato: 'chiuso',
    });
    expect(parseCupSearch({ anno: '22' }).errors.anno).toMatch(/quattro cifre/);
  });
});

describe('searchPeriod: the panels’ «dal … al …»', () => {
  it('reads Italian and ISO dates, either bound alone', () => {
    const errors = {};
    expect(searchPeriod({ dal: '01/03/2026', al: '2026-03-31' }, errors)).toEqual({ dal: '2026-03-01', al: '2026-03-31' });
    expect(searchPeriod({ dal: '', al: '31/12/2025' }, errors)).toEqual({ dal: null, al: '2025-12-31' });
    expect(searchPeriod({ dal: '', al: '' }, errors)).toBeNull();
    expect(errors).toEqual({});
  });
  it('refuses a bad date next to its field and keeps the other bound', () => {
    const errors: Record<string, string> = {};
    expect(searchPeriod({ dal: '31/02/2026', al: '30/04/2026' }, errors)).toEqual({ dal: null, al: '2026-04-30' });
    expect(errors).toEqual({ dal: 'Data “dal” non valida: scrivila come gg/mm/aaaa' });
  });
  it('refuses «al» before «dal» (every panel: CIG, fatture, impegni, mandati)', () => {
    const errors: Record<string, string> = {};
    expect(searchPeriod({ dal: '01/04/2026', al: '01/03/2026' }, errors)).toBeNull();
    expect(errors).toEqual({ al: 'La data “al” viene prima della data “dal”: correggi il periodo' });
    const cig = parseCigSearch({ dal: '01/04/2026', al: '01/03/2026' });
    expect(cig.errors.al).toBe('La data “al” viene prima della data “dal”: correggi il periodo');
    expect(cig.filters.periodo).toBeUndefined();
  });
});
