import { describe, expect, it } from 'vitest';
import { completatiMessage, daCompletarePage, esitoMessage, ritornoLabel } from '../../src/presenters/daCompletarePresenter.js';
import { daCompletareAlert } from '../../src/presenters/homePresenter.js';
import { postedRows, rowUnchanged } from '../../src/validation/daCompletareSchemas.js';
import type { CigDaCompletare, CupDaCompletare } from '../../src/repositories/daCompletareRepository.js';
import type { CigRow } from '../../src/repositories/cigRepository.js';

const cig = (id: number, overrides: Partial<CigDaCompletare> = {}): CigDaCompletare => ({
  id, codice: `CIG${String(id).padStart(7, '0')}`, oggetto: 'Pagamento fattura 12', data_generazione: null, data_scadenza_offerte: null,
  importo_cents: null, version: 1, usi: 0, ...overrides,
});
const cup = (id: number): CupDaCompletare => ({
  id, codice: `J11F2200000000${id}`, descrizione: 'CUP importato dai documenti precedenti', importo_finanziato_cents: null, fonte_finanziamento: null, version: 1, usi: 2,
});

describe('completatiMessage and esitoMessage', () => {
  it.each([
    [{ cig: 7, cup: 1 }, '7 CIG e 1 CUP completati.'],
    [{ cig: 1, cup: 0 }, '1 CIG completato.'],
    [{ cig: 0, cup: 1 }, '1 CUP completato.'],
    [{ cig: 0, cup: 2 }, '2 CUP completati.'],
    [{ cig: 0, cup: 0 }, 'Nessuna modifica da salvare.'],
  ])('%o → %s', (salvati, text) => {
    expect(completatiMessage(salvati)).toBe(text);
  });

  it('counts saved and refused rows', () => {
    const rifiutata = { registro: 'cig' as const, id: 1, codice: 'X', values: {}, errors: {} };
    expect(esitoMessage({ salvati: { cig: 4, cup: 1 }, rifiutate: [rifiutata, rifiutata] })).toBe('5 salvati, 2 da correggere');
    expect(esitoMessage({ salvati: { cig: 1, cup: 0 }, rifiutate: [rifiutata] })).toBe('1 salvato, 1 da correggere');
  });
});

describe('ritornoLabel', () => {
  it.each([
    ['/flussi', 'ai Flussi'],
    ['/flussi?esercizio=2026&mese=3', 'ai Flussi'],
    ['/impostazioni/importazione/4', 'al report dell’importazione'],
    ['/', 'al Riepilogo'],
    ['/cig?ricerca=1', 'alla pagina di prima'],
  ])('%s → %s', (ritorno, label) => {
    expect(ritornoLabel(ritorno)).toBe(label);
  });
});

describe('daCompletarePage', () => {
  it('shows stored values in Italian, with a label per field naming the code', () => {
    const page = daCompletarePage({ cig: [cig(3, { data_generazione: '2026-03-01', importo_cents: 123456 })], cup: [cup(4)], altre: false, ritorno: null });
    const [row] = page.cig;
    expect(row!.campi.map((c) => [c.name, c.value])).toEqual([
      ['cig_3_data_generazione', '01/03/2026'],
      ['cig_3_data_scadenza_offerte', ''],
      ['cig_3_oggetto', 'Pagamento fattura 12'],
      ['cig_3_importo', '1.234,56'],
    ]);
    expect(row!.campi[0]).toMatchObject({ label: 'Data generazione', del: ' del CIG CIG0000003', required: true });
    expect(page.cup[0]!.campi[2]!.options!.map((o) => o.value)).toContain('PNRR');
    expect(page.cup[0]!.usiHref).toBe('/cup/4#uso-titolo');
    expect(page.salva).toBe('Salva');
    expect(page.errorList).toEqual([]);
    expect(page.vuota).toBe(false);
  });

  it('keeps a refused row as typed, with its errors in the summary, and a conflict with the version now stored', () => {
    const stored = { ...cig(5), version: 3, oggetto: 'Scritto da un collega', data_generazione: null } as unknown as CigRow;
    const page = daCompletarePage({
      cig: [cig(4), cig(5)],
      cup: [],
      altre: false,
      ritorno: '/flussi',
      esito: {
        salvati: { cig: 2, cup: 0 },
        rifiutate: [
          { registro: 'cig', id: 4, codice: 'CIG0000004', values: { data_generazione: '31/02/2026', oggetto: '', data_scadenza_offerte: '', importo: '', version: '1' },
            errors: { data_generazione: 'Data: non esiste', oggetto: 'Inserisci l’oggetto' } },
          { registro: 'cig', id: 5, codice: 'CIG0000005', values: { data_generazione: '01/01/2026', oggetto: 'x', data_scadenza_offerte: '', importo: '', version: '1' },
            errors: { version: 'Modificato da un altro utente' }, stored },
          { registro: 'cup', id: 9, codice: 'J11F22000000009', values: {}, errors: { version: 'Modificato da un altro utente' } },
        ],
      },
    });
    expect(page.cig[0]!.campi[0]).toMatchObject({ value: '31/02/2026', error: 'Data: non esiste' });
    expect(page.cig[1]).toMatchObject({ version: '3', errore: 'Modificato da un altro utente' });
    expect(page.cig[1]!.ora).toContain('Scritto da un collega');
    expect(page.errorList).toEqual([
      { field: 'cig_4_data_generazione', text: 'CIG CIG0000004: Data: non esiste' },
      { field: 'cig_4_oggetto', text: 'CIG CIG0000004: Inserisci l’oggetto' },
      { field: 'cig_5_data_generazione', text: 'CIG CIG0000005: Modificato da un altro utente' },
    ]);
    expect(page.altrove).toHaveLength(1);
    expect(page.altrove[0]!.href).toBe('/cup/9');
    expect(page.esito).toBe('2 salvati, 3 da correggere');
    expect(page.salva).toBe('Salva e torna ai Flussi');
  });

  it('is empty when nothing waits', () => {
    expect(daCompletarePage({ cig: [], cup: [], altre: false, ritorno: null }).vuota).toBe(true);
  });
});

describe('postedRows and rowUnchanged', () => {
  it('groups flat field names into rows and leaves anything else out', () => {
    expect(postedRows({
      _csrf: 't', cig_7_oggetto: 'a', cig_7_version: '2', cup_8_descrizione: 'b', cig_7_note: 'no', cig_0_oggetto: 'no', xcig_7_oggetto: 'no', cig_99999999999_oggetto: 'no',
    })).toEqual([
      { registro: 'cig', id: 7, values: { oggetto: 'a', version: '2' } },
      { registro: 'cup', id: 8, values: { descrizione: 'b' } },
    ]);
  });

  it('reads each field by its own rule: the same date or amount written differently is no change', () => {
    const stored = { data_generazione: '2026-03-01', data_scadenza_offerte: null, oggetto: 'Fornitura', importo: 123456 };
    const typed = (o: Record<string, string>) => ({ data_generazione: '01/03/2026', data_scadenza_offerte: '', oggetto: 'Fornitura', importo: '1.234,56', ...o });
    expect(rowUnchanged('cig', typed({}), stored)).toBe(true);
    expect(rowUnchanged('cig', typed({ data_generazione: '2026-03-01', importo: '1234,56' }), stored)).toBe(true);
    expect(rowUnchanged('cig', typed({ importo: '' }), stored)).toBe(false);
    expect(rowUnchanged('cig', typed({ data_generazione: '31/02/2026' }), stored)).toBe(false);
    expect(rowUnchanged('cig', { data_generazione: '', data_scadenza_offerte: '', oggetto: 'Fornitura', importo: '' }, { ...stored, data_generazione: null, importo: null })).toBe(true);
  });
});

describe('daCompletareAlert (home)', () => {
  it('says how many codes wait, or nothing', () => {
    expect(daCompletareAlert({ cig: 36, cup: 2 })).toEqual({ testo: 'Da completare: 36 CIG senza data di generazione, 2 CUP senza descrizione', link: '/da-completare' });
    expect(daCompletareAlert({ cig: 0, cup: 1 })?.testo).toBe('Da completare: 1 CUP senza descrizione');
    expect(daCompletareAlert({ cig: 0, cup: 0 })).toBeNull();
  });
});
