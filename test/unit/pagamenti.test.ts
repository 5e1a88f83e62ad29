import { describe, expect, it } from 'vitest';
import { readPagamenti } from '../../src/validation/pagamentiSchemas.js';
import { fatturaPagamentiPart, mandatoDaFattura, pagamentiFormPart, pagamentiValues } from '../../src/presenters/pagamentiPresenter.js';
import type { FatturaDaPagare, PagamentoRow } from '../../src/repositories/fatturePagamentiRepository.js';
import type { FatturaRow } from '../../src/repositories/fattureRepository.js';
import type { ImpegnoRow } from '../../src/repositories/impegniRepository.js';

const fattura = (o: Partial<FatturaDaPagare> = {}): FatturaDaPagare => ({
  id: 7, numero: 'A/12', data: '2026-11-02', tipo_documento: 'TD01', fornitore_chiave: 'IT01234567897', fornitore_denominazione: 'Cartoleria Rossi',
  creditore_id: 3, impegno_id: 5, rettifica_di_id: null, totale_cents: 12_200, imponibile_cents: 10_000, imposta_cents: 2_200, split_payment: false,
  importo_dovuto_cents: 12_200, pagato_cents: 0, stornato_cents: 0, iban: null, scadenza: null, version: 1, ...o,
});

describe('readPagamenti', () => {
  it('splits the invoice rows from the mandato’s fields, skipping blank rows and zero amounts', () => {
    const { rest, righe } = readPagamenti({
      causale: 'x', fe_7: '60,00', fe_8: '', fe_9: '0',
      fa_0_tipo: 'DOC_EQUIVALENTE', fa_0_numero: ' R-1 ', fa_0_data: '03/11/2026', fa_0_importo: '40', fa_0_cf: '01234567897',
      fa_1_tipo: 'FATT_ANALOGICA', fa_1_numero: '', fa_1_data: '', fa_1_importo: '', fa_1_cf: '',
      pagamenti: 'ignored',
    });
    expect(rest).toEqual({ causale: 'x' });
    expect(righe.errors).toEqual({});
    expect(righe.elettroniche).toEqual([{ fatturaId: 7, importo: 6000, campo: 'fe_7' }]);
    expect(righe.analogiche).toEqual([{ tipo: 'DOC_EQUIVALENTE', numero: 'R-1', data: '2026-11-03', importo: 4000, codiceFiscale: '01234567897', riga: 0 }]);
    expect(righe.submitted.fa_0_numero).toBe(' R-1 ');
  });

  it('says what is wrong in each field of a half-filled row, in Italian', () => {
    const { righe } = readPagamenti({ fe_7: 'tanti', fa_2_tipo: 'ALTRO', fa_2_numero: '', fa_2_data: '31/02/2026', fa_2_importo: '-3', fa_2_cf: 'RSSMRA80A01H501X' });
    expect(righe.analogiche).toEqual([]);
    expect(righe.errors).toMatchObject({
      fe_7: expect.stringContaining('scrivi l’importo in euro'),
      fa_2_tipo: expect.stringContaining('scegli il tipo'),
      fa_2_numero: expect.stringContaining('inserisci il numero'),
      fa_2_data: expect.stringContaining('gg/mm/aaaa'),
      fa_2_importo: expect.stringContaining('non può essere negativo'),
      fa_2_cf: expect.stringContaining('Fattura analogica 3, codice fiscale o partita IVA'),
    });
  });
});

describe('pagamentiPresenter', () => {
  it('Paga: what is left to pay, the causale, the invoice among those paid; split payment pays the taxable part', () => {
    const f = { ...fattura({ split_payment: true, importo_dovuto_cents: 10_000, stornato_cents: 1_000 }), creditore: 'Cartoleria Rossi S.r.l.', modalita_pagamento: 'MP05' } as unknown as FatturaRow;
    const i = { id: 5, creditore_id: 4, cup_id: 9, motivo_esclusione_cig: null } as unknown as ImpegnoRow;
    expect(mandatoDaFattura({ fattura: f, impegno: i, cigId: 2, cupId: 9 })).toMatchObject({
      impegno_id: '5', beneficiario_id: '3', importo: '90,00', fe_7: '90,00', tipo_debito: 'COMMERCIALE', cig_id: '2', cup_id: '9',
      causale: 'Pagamento fattura n. A/12 del 02/11/2026 – Cartoleria Rossi S.r.l.', modalita_pagamento: 'SEPA CREDIT TRANSFER',
    });
  });

  it('the form part counts what the mandato itself pays as available, and keeps one empty analog row after the filled ones', () => {
    const pagati = [{ fattura_id: 7, importo_cents: 2_000 }] as PagamentoRow[];
    const part = pagamentiFormPart({ fatture: [fattura({ pagato_cents: 2_000, split_payment: true })], pagati, values: { fa_0_numero: '1' }, impegnoScelto: true });
    expect(part.elettroniche[0]).toMatchObject({ name: 'fe_7', dettaglio: expect.stringMatching(/^Da pagare 122,00\s€ su 122,00\s€/), split: expect.stringContaining('Erario') });
    expect(part.analogiche.map((r) => r.campi.numero!.name)).toEqual(['fa_0_numero', 'fa_1_numero']);
  });

  it('the edit form’s values of what a mandato pays', () => {
    const pagati = [
      { fattura_id: 7, importo_cents: 6_000 },
      { fattura_id: null, importo_cents: 4_000, analogica_tipo: 'FATT_ANALOGICA', analogica_numero: '9', analogica_data: '2026-03-01', analogica_codice_fiscale: '01234567897' },
    ] as PagamentoRow[];
    expect(pagamentiValues(pagati)).toEqual({ fe_7: '60,00', fa_0_tipo: 'FATT_ANALOGICA', fa_0_numero: '9', fa_0_data: '01/03/2026', fa_0_importo: '40,00', fa_0_cf: '01234567897' });
  });

  it('the invoice page: Paga only when tied and with something left; a credit note offers the storno instead', () => {
    expect(fatturaPagamentiPart({ fattura: fattura(), mandati: [], note: [], stornabili: [], rettificata: null }).paga).toBe('/mandati/nuovo?fattura=7');
    expect(fatturaPagamentiPart({ fattura: fattura({ pagato_cents: 12_200 }), mandati: [], note: [], stornabili: [], rettificata: null }).paga).toBeNull();
    expect(fatturaPagamentiPart({ fattura: fattura({ impegno_id: null }), mandati: [], note: [], stornabili: [], rettificata: null })).toMatchObject({ paga: null, senzaImpegno: true });
    const nota = fatturaPagamentiPart({ fattura: fattura({ tipo_documento: 'TD04' }), mandati: [], note: [], stornabili: [fattura({ id: 8 })], rettificata: null });
    expect(nota).toMatchObject({ paga: null, notaDiCredito: true, storna: { action: '/fatture/7/storna', fatture: [{ value: '8' }] } });
  });
});
