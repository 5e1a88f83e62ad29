import { describe, expect, it } from 'vitest';
import { distintaPage } from '../../src/presenters/distintePresenter.js';
import type { FlussoRow } from '../../src/repositories/distinteRepository.js';

/** The distinta's page in words: Italian dates, amounts, the bank's answer counted in Italian. */
const flusso = (over: Partial<FlussoRow> = {}): FlussoRow => ({
  id: 3, numero: 2, identificativo: 'OPI_UF7K2M_2026_000002', esercizio: 2026, nome_file: 'OPI_UF7K2M_2026_000002.xml', sha256: 'a'.repeat(64),
  dimensione: 18_432, n_mandati: 2, totale_cents: 123_456, created_at: new Date('2026-12-07T10:15:00Z'), autore: 'Maria Rossi', accettati: 0, rifiutati: 0, ...over,
});

describe('distintaPage', () => {
  it('says when the answer is awaited, and counts the answers with the right number', () => {
    expect(distintaPage({ flusso: flusso(), mandati: [] }).distinta).toMatchObject({ esiti: 'In attesa dell’esito', totale: '1.234,56\u00a0€', creata: '07/12/2026 11:15', dimensione: '18 kB' });
    expect(distintaPage({ flusso: flusso({ accettati: 1, rifiutati: 1 }), mandati: [] }).distinta.esiti).toBe('1 accettato, 1 rifiutato');
    expect(distintaPage({ flusso: flusso({ accettati: 2, rifiutati: 0 }), mandati: [] }).distinta.esiti).toBe('2 accettati, 0 rifiutati');
  });

  it('shows each mandato with the bank’s code and reason when refused', () => {
    const page = distintaPage({
      flusso: flusso({ accettati: 0, rifiutati: 1 }),
      mandati: [{ mandato_id: 9, numero: 27, esercizio: 2026, data: '2026-05-16', beneficiario: 'Ferramenta Colombo & Figli S.n.c.', tipo_operazione: 'INSERIMENTO', importo_cents: '12200', esito: 'rifiutato', esito_codice: '201', esito_descrizione: 'Codice fiscale non coerente' }],
    });
    expect(page.mandati[0]).toMatchObject({ href: '/mandati/9', numero: '27/2026', data: '16/05/2026', operazione: 'Inserimento', importo: '122,00\u00a0€', esito: 'Rifiutato', rifiutato: true, motivo: '201 – Codice fiscale non coerente' });
  });
});
