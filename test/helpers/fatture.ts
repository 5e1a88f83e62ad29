import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { CodiceValues, FatturaValues } from '../../src/repositories/fattureRepository.js';

let counter = 0;

/**
 * A stored invoice, straight into the tables (for tests of the pages that show
 * or pay invoices). Tests of the upload itself go through the real upload.
 */
export async function createFattura(
  knex: Knex,
  scuolaId: number,
  overrides: Partial<FatturaValues & { impegno_id: number | null }> = {},
  codici: CodiceValues[] = [],
) {
  const n = ++counter;
  const xml = Buffer.from(`<p:FatturaElettronica versione="FPA12" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"><!-- prova ${n} ${Date.now()} --></p:FatturaElettronica>`);
  const [file] = await knex('fatture_file')
    .insert({
      scuola_id: scuolaId, tipo: 'fattura', nome: `IT01234567897_F${String(n).padStart(4, '0')}.xml`, busta: 'xml',
      sha256: createHash('sha256').update(xml).digest('hex'), dimensione: xml.length, contenuto: xml,
    })
    .returning('id');
  const totale = overrides.totale_cents ?? 12_200;
  const imposta = overrides.imposta_cents ?? Math.round(totale - totale / 1.22);
  const values: FatturaValues & { impegno_id?: number | null } = {
    file_id: Number(file.id),
    corpo: 1,
    formato: 'FPA12',
    tipo_documento: 'TD01',
    divisa: 'EUR',
    numero: `${n}/2026`,
    data: '2026-11-02',
    fornitore_chiave: 'IT01234567897',
    fornitore_denominazione: 'Cartoleria Rossi & Figli S.r.l.',
    fornitore_partita_iva: '01234567897',
    fornitore_codice_fiscale: '01234567897',
    creditore_id: null,
    totale_cents: totale,
    imponibile_cents: totale - imposta,
    imposta_cents: imposta,
    split_payment: false,
    importo_dovuto_cents: overrides.split_payment ? totale - imposta : totale,
    scadenza: '2026-12-02',
    iban: 'IT60X0542811101000000123456',
    modalita_pagamento: 'MP05',
    codice_destinatario: 'UF7K2M',
    identificativo_sdi: null,
    cig: null,
    cup: null,
    senza_cig: true,
    codici_da_verificare: false,
    ...overrides,
  };
  const [row] = await knex('fatture').insert({ ...values, scuola_id: scuolaId }).returning('id');
  const id = Number(row.id);
  if (codici.length) {
    await knex('fatture_codici').insert(codici.map((c) => ({ ...c, righe: JSON.stringify(c.righe), scuola_id: scuolaId, fattura_id: id })));
  }
  return { id, ...values };
}
