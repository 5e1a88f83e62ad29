import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/testDatabase.js';
import { TEST_TODAY } from '../helpers/testApp.js';
import { LEGACY_CIG, seedDemo } from '../../seeds/demo.js';
import { CARTELLA_ESEMPI, ESEMPI, fileEsempio } from '../../seeds/fattureEsempio.js';
import { createFattureCaricamento } from '../../src/services/fattureCaricamento.js';
import { fatturapaViolations } from '../../src/formats/xsd.js';

/**
 * The sample invoices a new user uploads first (README): the committed files
 * are the generator's, valid against the schema, addressed to the demo school,
 * and each shows the case it is there for.
 */
const ctx = useTestDatabase();
let actor: { id: number; scuolaId: number };
beforeAll(async () => {
  await seedDemo(ctx.knex, { today: TEST_TODAY });
  const user = await ctx.knex('utenti').where({ username: 'segreteria' }).first('id', 'scuola_id');
  actor = { id: user.id, scuolaId: user.scuola_id };
});

const committed = () => readdirSync(CARTELLA_ESEMPI).sort().map((nome) => ({ nome, bytes: readFileSync(CARTELLA_ESEMPI + nome) }));

describe('fatture di esempio (seeds/fatture-esempio)', () => {
  it('are the files the generator writes, valid against the FatturaPA schema', async () => {
    const generated = fileEsempio().sort((a, b) => (a.nome < b.nome ? -1 : 1));
    expect(committed().map((f) => f.nome)).toEqual(generated.map((f) => f.nome));
    for (const [i, f] of committed().entries()) expect(f.bytes.toString('utf8'), f.nome).toBe(generated[i]!.contenuto);
    const invoices = committed().filter((f) => !f.nome.includes('_MT_'));
    expect(await fatturapaViolations(invoices.map((f) => f.bytes))).toEqual(invoices.map(() => []));
  });

  it('upload into the demo school, each with the problem it shows', async () => {
    const esiti = await createFattureCaricamento(ctx.knex).carica(actor, committed());
    expect(esiti.map((e) => e.esito).sort()).toEqual([...ESEMPI.map(() => 'registrata'), 'metadati'].sort());

    const fatture = await ctx.knex('fatture').where({ scuola_id: actor.scuolaId }).select('id', 'numero', 'cig', 'cup', 'senza_cig', 'codici_da_verificare', 'split_payment', 'identificativo_sdi', 'tipo_documento');
    const byNumero = new Map(fatture.map((f) => [f.numero, f]));
    const codici = async (numero: string) => ctx.knex('fatture_codici').where({ fattura_id: byNumero.get(numero)!.id }).select('tipo', 'campo', 'codice', 'esito');

    expect(fatture).toHaveLength(ESEMPI.length);
    expect(fatture.every((f) => f.split_payment)).toBe(true);
    expect(byNumero.get('FT 2026/0412')).toMatchObject({ cig: '9050626CD6', codici_da_verificare: false, identificativo_sdi: '11223344556' });
    expect(byNumero.get('125/PA')!.cig).toMatch(/^B[0-9A-F]{9}$/);
    expect(byNumero.get('NC 7/PA')!.tipo_documento).toBe('TD04');
    // The credit note reduced its invoice at upload: split payment, so by its taxable 41,00 €.
    const storno = await ctx.knex('fatture').whereIn('numero', ['125/PA', 'NC 7/PA']).orderBy('numero').select('id', 'stornato_cents', 'rettifica_di_id', 'importo_dovuto_cents');
    expect(storno[1]!.rettifica_di_id).toBe(storno[0]!.id);
    expect(Number(storno[0]!.stornato_cents)).toBe(4100);
    expect(esiti.find((e) => e.nome.includes('0131N'))).toMatchObject({ storni: [expect.stringContaining('41,00')] });
    expect(byNumero.get('2026/88')).toMatchObject({ cup: 'C44D23003810006', senza_cig: false });
    expect(byNumero.get('311')).toMatchObject({ senza_cig: true, cig: null });
    expect(await codici('1907/E')).toEqual([{ tipo: 'cup', campo: 'cig', codice: 'C44D22002780006', esito: 'altro_campo' }]);
    expect(byNumero.get('PA/907')).toMatchObject({ codici_da_verificare: true, cig: null });
    expect(await codici('PA/907')).toEqual([{ tipo: 'cig', campo: 'cig', codice: LEGACY_CIG.fotocopiatrici, esito: 'correzione' }]);
  });
});
