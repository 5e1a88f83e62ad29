import { describe, expect, it } from 'vitest';
import { fatturaRecordPage, FATTURE_COLUMNS, tipoDocumentoLabel } from '../../src/presenters/fatturePresenter.js';
import { parseFattureSearch } from '../../src/validation/fattureSchemas.js';
import type { FatturaRow } from '../../src/repositories/fattureRepository.js';
import type { FatturaElencoRow } from '../../src/repositories/fattureElencoRepository.js';
import type { CorpoFattura, Fattura } from '../../src/formats/fatturapa/fattura.js';

/** The register of invoices and the invoice page: pure parts, from literals. */

const riga = (overrides: Partial<FatturaElencoRow> = {}): FatturaElencoRow => ({
  id: 1, fornitore_denominazione: 'Rossi', numero: '1', data: '2026-01-02', tipo_documento: 'TD01', totale_cents: 12_200, imponibile_cents: 10_000,
  imposta_cents: 2_200, split_payment: false, scadenza: null, cig: null, cup: null, stato: 'da_collegare', senza_cig: false,
  codici_da_verificare: false, senza_creditore: false, avvisi_schema: false, ...overrides,
});
const column = (key: string) => FATTURE_COLUMNS.find((c) => c.key === key)!;

describe('fatture: elenco', () => {
  it('labels the tipo documento, an unknown code as it is', () => {
    const labels = ['TD01', 'TD24', 'TD04', 'TD99'].map(tipoDocumentoLabel);
    expect(labels).toEqual(['TD01 Fattura', 'TD24 Fattura differita', 'TD04 Nota di credito', 'TD99']);
  });

  it('gives the problems as texts: exported joined, badges on the page', () => {
    const r = riga({ senza_cig: true, senza_creditore: true, avvisi_schema: true });
    expect(column('problemi').value(r)).toBe('senza CIG; senza creditore; avvisi di schema');
    expect(column('problemi').badge!(r)).toEqual(['senza CIG', 'senza creditore', 'avvisi di schema']);
    expect(column('problemi').value(riga())).toBe('');
    expect(column('split_payment').value(riga({ split_payment: true }))).toBe('Sì');
    expect(column('stato').value(riga({ stato: 'pagata_in_parte' }))).toBe('Pagata in parte');
  });
});

describe('fatture: ricerca', () => {
  it('reads every criterion of a hand-written URL', () => {
    const s = parseFattureSearch({ fornitore: 'Rossi', numero: 'A/1', codice: ' 9050 626cd6 ', stato: 'pagata', tipo_documento: 'td04', dal: '01/02/2026', al: '2026-03-31', problemi: ['senza_cig', 'senza_cig', 'senza_creditore'] });
    expect(s.filters).toEqual({
      fornitore: 'Rossi', numero: 'A/1', codice: '9050626CD6', stato: 'pagata', tipoDocumento: 'TD04', dal: '2026-02-01', al: '2026-03-31', problemi: ['senza_cig', 'senza_creditore'],
    });
    expect(s.errors).toEqual({});
    expect(s.query).toMatchObject({ fornitore: 'Rossi', problemi: ['senza_cig', 'senza_creditore'] });
  });

  it('leaves out a bad value with an Italian message', () => {
    const s = parseFattureSearch({ codice: 'ab-1', stato: 'persa', tipo_documento: 'fattura', dal: '32/01/2026', problemi: 'nessuno' });
    expect(s.filters).toEqual({});
    expect(Object.keys(s.errors).sort()).toEqual(['codice', 'dal', 'problemi', 'stato', 'tipo_documento']);
    expect(s.active).toBe(true);
  });

  it('applies every filled criterion; an old URL’s usa= is ignored', () => {
    expect(parseFattureSearch({ ricerca: '1', usa: 'numero', numero: '7', fornitore: 'Rossi' }).filters).toEqual({ numero: '7', fornitore: 'Rossi' });
  });
});

describe('fatture: scheda', () => {
  const fattura = {
    id: 4, corpo: 1, numero: '7', data: '2026-01-02', tipo_documento: 'TD01', fornitore_denominazione: 'Rossi', fornitore_partita_iva: '01234567897',
    fornitore_codice_fiscale: null, totale_cents: 12_200, imponibile_cents: 10_000, imposta_cents: 2_200, importo_dovuto_cents: 10_000,
    split_payment: true, stato: 'da_collegare', identificativo_sdi: '123456789', codice_destinatario: 'UF7K2M',
  } as FatturaRow;
  const corpo = (n: number): CorpoFattura => ({
    tipoDocumento: 'TD01', divisa: 'EUR', data: '2026-01-02', numero: '7', causale: 'Fornitura di carta', importoTotaleDocumento: 12_200, totaleDaRiepilogo: false, imponibile: 10_000,
    imposta: 2_200, esigibilitaIva: 'S', riferimenti: [],
    linee: Array.from({ length: n }, (_, i) => ({ numeroLinea: i + 1, descrizione: `Riga ${i + 1}`, quantita: '1234.5', prezzoUnitario: '2.43750000', prezzoTotale: 100, aliquotaIVA: '22.00' })),
    pagamenti: [{ condizioni: 'TP02', modalita: 'MP05', beneficiario: null, iban: 'IT60X0542811101000000123456', scadenza: '2026-02-01', importo: 10_000 }],
  });
  const cedente: Fattura['cedente'] = {
    denominazione: 'Rossi', nome: null, cognome: null, idFiscaleIva: { idPaese: 'IT', idCodice: '01234567897' }, codiceFiscale: null, regimeFiscale: 'RF01',
    sede: { indirizzo: 'Via Roma', numeroCivico: '1', cap: '00100', comune: 'Roma', provincia: 'RM', nazione: 'IT' },
  };
  const page = (n: number) =>
    fatturaRecordPage({
      fattura, codici: [], history: [], file: { nome: 'f.xml', sha256: 'a'.repeat(64), avvisi: [] },
      letta: { cedente, cessionario: { codiceFiscale: '97812345011', idFiscaleIva: null, denominazione: 'IC Demo' }, corpo: corpo(n), corpi: 1 },
    });

  it('shows lines the Italian way, payment terms, the supplier and the split payment note', () => {
    const p = page(2);
    expect(p.corpo!.linee[0]).toEqual({ numero: 1, descrizione: 'Riga 1', quantita: '1.234,5', prezzoUnitario: '2,4375\u00a0€', importo: '1,00\u00a0€', aliquota: '22,00 %' });
    expect(p.corpo!.pagamenti[0]).toMatchObject({ modalita: 'MP05 bonifico', scadenza: '01/02/2026', importo: '100,00\u00a0€' });
    expect(p.fornitore).toEqual({ denominazione: 'Rossi', partitaIva: 'IT01234567897', codiceFiscale: '—', indirizzo: 'Via Roma, 1 – 00100 Roma (RM)' });
    expect(p.riepilogo.splitPayment).toContain('versa l’IVA di 22,00\u00a0€ direttamente all’Erario');
    expect(p.corpo!.nascoste).toBeNull();
    expect(p.corpo!.causale).toBe('Fornitura di carta');
  });

  it('shows the first 200 lines of a long invoice and says how many are left in the file', () => {
    const p = page(5000);
    expect(p.corpo!.linee).toHaveLength(200);
    expect(p.corpo!.nascoste).toContain('le altre 4.800 sono nel file originale');
  });

  it('says in the history what a mandato paid and what a credit note took off', () => {
    const when = new Date('2026-12-07T10:23:00Z');
    const history = [
      { id: 2, azione: 'modifica' as const, prima: { pagato_cents: 0 }, dopo: { pagato_cents: 292_080, mandato_id: 108 }, created_at: when, utente_nome: 'Maria Rossi' },
      { id: 1, azione: 'modifica' as const, prima: { stornato_cents: 0 }, dopo: { stornato_cents: 4_100, nota_di_credito: 'n. NC 7/PA del 25/11/2026' }, created_at: when, utente_nome: 'Maria Rossi' },
    ];
    const p = fatturaRecordPage({ fattura, codici: [], history, file: { nome: 'f.xml', sha256: 'a'.repeat(64), avvisi: [] }, letta: null });
    expect(p.history.map((h) => h.changes)).toEqual([
      [{ campo: 'Pagato', prima: '0,00\u00a0€', dopo: '2.920,80\u00a0€' }],
      [{ campo: 'Stornato da note di credito', prima: '0,00\u00a0€', dopo: '41,00\u00a0€' }, { campo: 'Nota di credito', prima: '—', dopo: 'n. NC 7/PA del 25/11/2026' }],
    ]);
  });
});
