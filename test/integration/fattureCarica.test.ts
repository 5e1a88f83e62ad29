import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTwoSchools } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, downloadBytes, loginAs } from '../helpers/testApp.js';
import { createCreditore } from '../helpers/factories.js';
import { signP7m } from '../helpers/p7m.js';
import { buildZip } from '../helpers/zip.js';

/** Gestisci → Fatture elettroniche → Carica fatture: the real upload on the real app and database. */
const ctx = useTwoSchools();
let app: ReturnType<typeof buildTestApp>['app'];

const DIR = 'test/fixtures/fatturapa/';
const fixture = (name: string) => readFileSync(`${DIR}${name}`);
const SCHOOL_CF = '97812345011';
type Agent = Awaited<ReturnType<typeof loginAs>>;

async function upload(agent: Agent, files: { name: string; bytes: Buffer }[], token?: string) {
  const t = token ?? (await csrfToken(agent, '/fatture/carica'));
  let req = agent.post('/fatture/carica').field('_csrf', t);
  for (const f of files) req = req.attach('file', f.bytes, f.name);
  return req;
}

const segreteria = () => loginAs(app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
const fattureOf = (scuolaId: number) => ctx.knex('fatture').where({ scuola_id: scuolaId }).orderBy('id');
const counts = async (scuolaId: number) => ({
  fatture: (await fattureOf(scuolaId)).length,
  file: Number((await ctx.knex('fatture_file').where({ scuola_id: scuolaId }).count({ n: '*' }).first())!.n),
});

/** The same invoice under a new number (and so new bytes): for tests that need a fresh one. */
const renumbered = (name: string, numero: string) => Buffer.from(fixture(name).toString('utf8').replace(/<Numero>[^<]+<\/Numero>/, `<Numero>${numero}</Numero>`));

beforeAll(async () => {
  app = buildTestApp(ctx.db).app;
  await ctx.knex('scuole').where({ id: ctx.cast.scuola1.id }).update({ codice_fiscale: SCHOOL_CF });
  await ctx.knex('scuole').where({ id: ctx.cast.scuola2.id }).update({ codice_fiscale: '97812345029' });
});

describe('Carica fatture: what is stored', () => {
  it('stores a simple invoice: totals in cents, supplier matched to Creditori by P.IVA, codes read, the original bytes and their SHA-256, an audit row', async () => {
    const creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id, { denominazione: 'Cartoleria Rossi' });
    await ctx.knex('creditori').where({ id: creditore.id }).update({ partita_iva: '01234567897' });
    const agent = await segreteria();
    const bytes = fixture('semplice.xml');
    const res = await upload(agent, [{ name: 'IT01234567897_A0001.xml', bytes }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 fattura registrata');
    expect(res.text).toContain('n. FPA 12/25 del');

    const [f] = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: 'FPA 12/25' });
    expect(f).toMatchObject({
      tipo_documento: 'TD01', totale_cents: 36_600, imposta_cents: 6_600, imponibile_cents: 30_000, split_payment: false, importo_dovuto_cents: 36_600,
      fornitore_chiave: '01234567897', creditore_id: creditore.id, cig: '9050626CD6', cup: 'C44D22002780006', senza_cig: false, stato: 'da_collegare',
    });
    const file = await ctx.knex('fatture_file').where({ id: f.file_id }).first();
    expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.from(file.contenuto).equals(bytes)).toBe(true);
    expect(file.avvisi).toEqual([]);
    const download = await downloadBytes(agent.get(`/fatture/${f.id}/file`));
    expect(download.status).toBe(200);
    expect(download.body.equals(bytes)).toBe(true);
    const codici = await ctx.knex('fatture_codici').where({ fattura_id: f.id }).orderBy('tipo');
    expect(codici.map((c) => [c.tipo, c.codice, c.esito])).toEqual([['cig', '9050626CD6', 'valido'], ['cup', 'C44D22002780006', 'valido']]);
    const audit = await ctx.knex('audit_log').where({ entita: 'fattura', entita_id: f.id, azione: 'crea' }).first();
    expect(audit.utente_id).toBe(ctx.cast.segreteria.id);
  });

  it('is idempotent: the same file again, or the same invoice signed (.p7m DER and base64), points to the one already stored', async () => {
    const agent = await segreteria();
    const xml = renumbered('semplice.xml', 'IDEM-1');
    const first = await upload(agent, [{ name: 'idem.xml', bytes: xml }]);
    expect(first.text).toContain('1 fattura registrata');
    const before = await counts(ctx.cast.scuola1.id);
    const { der, base64 } = await signP7m(xml);
    const again = await upload(agent, [
      { name: 'idem.xml', bytes: xml },
      { name: 'idem.xml.p7m', bytes: der },
      { name: 'idem-b64.xml.p7m', bytes: base64 },
    ]);
    expect(again.status).toBe(200);
    expect(again.text).toContain('0 fatture registrate, 3 già presenti');
    expect((again.text.match(/Già presente/g) ?? []).length).toBe(3);
    expect(await counts(ctx.cast.scuola1.id)).toEqual(before);
  });

  it('opens signed files: the XML inside a DER or base64 .p7m is read and the envelope kept as received', async () => {
    const agent = await segreteria();
    const { der } = await signP7m(renumbered('semplice.xml', 'P7M-DER'));
    const { base64 } = await signP7m(renumbered('semplice.xml', 'P7M-B64'));
    const res = await upload(agent, [{ name: 'a.xml.p7m', bytes: der }, { name: 'b.xml.p7m', bytes: base64 }]);
    expect(res.text).toContain('2 fatture registrate');
    const files = await ctx.knex('fatture as f').join('fatture_file as ff', 'ff.id', 'f.file_id').whereIn('f.numero', ['P7M-DER', 'P7M-B64']).orderBy('f.numero').select('ff.busta', 'ff.contenuto');
    expect(files.map((r) => r.busta)).toEqual(['p7m_base64', 'p7m']);
    expect(Buffer.from(files[1].contenuto).equals(der)).toBe(true);
  });

  it('a lotto stores one invoice per body; split payment makes the taxable part what the supplier is paid', async () => {
    const agent = await segreteria();
    const res = await upload(agent, [{ name: 'lotto.xml', bytes: fixture('lotto.xml') }, { name: 'split.xml', bytes: fixture('split-payment.xml') }]);
    expect(res.text).toContain('3 fatture registrate');
    expect(res.text).toContain('Lotto di 2 documenti');
    const lotto = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, fornitore_chiave: '02888110406' }).orderBy('corpo');
    expect(lotto.map((f) => [f.numero, f.corpo])).toEqual([['101', 1], ['102', 2]]);
    const split = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: '2025/PA/0457' }).first();
    expect(split.split_payment).toBe(true);
    expect(split.importo_dovuto_cents).toBe(split.totale_cents - split.imposta_cents);
  });

  it('reads what suppliers really write: lower case, prefixes and spaces are valid codes; wrong ones are kept with the reason and flagged', async () => {
    const agent = await segreteria();
    await upload(agent, [{ name: 'sporchi.xml', bytes: fixture('codici-sporchi.xml') }]);
    const f = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: '14/2025' }).first();
    expect(f.cig).toContain('9050626CD6');
    expect(f.codici_da_verificare).toBe(true);
    const codici = await ctx.knex('fatture_codici').where({ fattura_id: f.id });
    expect(codici.some((c) => c.esito === 'correzione')).toBe(true);
    expect(codici.some((c) => c.esito === 'non_valido' && c.motivo)).toBe(true);
    expect(codici.some((c) => c.esito === 'altro_campo' && c.tipo === 'cup' && c.campo === 'cig')).toBe(true);
  });

  it('an invoice without CIG is stored and flagged «senza CIG»', async () => {
    const agent = await segreteria();
    await upload(agent, [{ name: 'senza.xml', bytes: fixture('senza-cig.xml') }]);
    const [f] = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, senza_cig: true, cig: null });
    expect(f).toBeDefined();
  });

  it('a zip of invoices and SdI metadata: each file answered, the IdentificativoSdI written on its invoice whatever the order', async () => {
    const agent = await segreteria();
    const zip = buildZip([
      { name: 'dicembre/IT01234567897_A0001_MT_001.xml', data: fixture('IT01234567897_A0001_MT_001.xml') },
      { name: 'dicembre/IT01234567897_A0001.xml', data: renumbered('semplice.xml', 'ZIP-1') },
      { name: 'dicembre/leggimi.txt', data: Buffer.from('Fatture di dicembre') },
    ]);
    const res = await upload(agent, [{ name: 'dicembre.zip', bytes: zip }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Identificativo SdI 9876543210 registrato sulla fattura IT01234567897_A0001.xml');
    expect(res.text).toContain('leggimi.txt');
    expect(res.text).toContain('non è un XML');
    const f = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: 'ZIP-1' }).first();
    expect(f.identificativo_sdi).toBe('9876543210');
  });

  it('metadata uploaded before its invoice is kept and applied when the invoice arrives', async () => {
    const agent = await segreteria();
    const meta = Buffer.from(fixture('IT01234567897_A0001_MT_001.xml').toString().replace('9876543210', '1111111111').replace('IT01234567897_A0001.xml', 'IT01234567897_B0002.xml'));
    const first = await upload(agent, [{ name: 'IT01234567897_B0002_MT_001.xml', bytes: meta }]);
    expect(first.text).toContain('verrà collegato alla fattura IT01234567897_B0002.xml quando la caricherai');
    await upload(agent, [{ name: 'IT01234567897_B0002.xml', bytes: renumbered('semplice.xml', 'META-PRIMA') }]);
    const f = await ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: 'META-PRIMA' }).first();
    expect(f.identificativo_sdi).toBe('1111111111');
  });

  it('a readable file that fails the schema is stored with the violations listed', async () => {
    const agent = await segreteria();
    const bad = Buffer.from(renumbered('semplice.xml', 'SCHEMA-1').toString().replace('<CodiceDestinatario>UF7K2M</CodiceDestinatario>', '<CodiceDestinatario>UF7K2M99</CodiceDestinatario>'));
    const res = await upload(agent, [{ name: 'schema.xml', bytes: bad }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('non rispetta lo schema FatturaPA');
    expect(res.text).toContain('CodiceDestinatario');
    const f = await ctx.knex('fatture as f').join('fatture_file as ff', 'ff.id', 'f.file_id').where({ 'f.numero': 'SCHEMA-1' }).first('ff.avvisi');
    expect(f.avvisi.join(' ')).toContain('UF7K2M99');
    // Said in Italian, with the line of the file.
    expect(f.avvisi).toEqual([expect.stringMatching(/^riga \d+: Elemento CodiceDestinatario: il valore «UF7K2M99» non ha la forma richiesta\.$/)]);
  });

  it('a credit note naming one invoice of its supplier reduces it, even when uploaded before it', async () => {
    const agent = await segreteria();
    const invoice = renumbered('semplice.xml', 'STORNO 1');
    const note = Buffer.from(renumbered('nota-credito.xml', 'NC STORNO 1').toString().replace('<IdDocumento>FPA 12/25</IdDocumento>', '<IdDocumento>STORNO 1</IdDocumento>'));
    const res = await upload(agent, [{ name: 'nota.xml', bytes: note }, { name: 'fattura.xml', bytes: invoice }]);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Nota di credito [^<]*NC STORNO 1[^<]* stornata dalla fattura [^<]*STORNO 1/);
    const [f, n] = await Promise.all([
      ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: 'STORNO 1' }).first(),
      ctx.knex('fatture').where({ scuola_id: ctx.cast.scuola1.id, numero: 'NC STORNO 1' }).first(),
    ]);
    expect(n).toMatchObject({ tipo_documento: 'TD04', rettifica_di_id: f.id, stato: 'nota_credito' });
    expect(Number(f.stornato_cents)).toBe(Number(n.totale_cents));
  });

  it('an invoice with 5,000 lines is read and stored', async () => {
    const agent = await segreteria();
    const xml = renumbered('semplice.xml', 'RIGHE-5000').toString();
    const line = /<DettaglioLinee>[\s\S]*?<\/DettaglioLinee>/.exec(xml)![0];
    const many = Array.from({ length: 5000 }, (_, i) => line.replace(/<NumeroLinea>\d+<\/NumeroLinea>/, `<NumeroLinea>${i + 1}</NumeroLinea>`)).join('\n');
    const big = Buffer.from(xml.replace(/(<DettaglioLinee>[\s\S]*<\/DettaglioLinee>)/, many));
    const res = await upload(agent, [{ name: 'righe.xml', bytes: big }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 fattura registrata');
  });

  it('two uploads of the same invoice at once (two tabs) store it once', async () => {
    const a = await segreteria();
    const b = await segreteria();
    const xml = renumbered('semplice.xml', 'TABS-1');
    const [ta, tb] = await Promise.all([csrfToken(a, '/fatture/carica'), csrfToken(b, '/fatture/carica')]);
    const [ra, rb] = await Promise.all([upload(a, [{ name: 'tab.xml', bytes: xml }], ta), upload(b, [{ name: 'tab.xml', bytes: xml }], tb)]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect(await ctx.knex('fatture').where({ numero: 'TABS-1' })).toHaveLength(1);
    expect([ra.text, rb.text].filter((t) => t.includes('1 fattura registrata'))).toHaveLength(1);
  });
});

describe('Carica fatture: refusals store nothing and say why, in Italian, never a 5xx', () => {
  const refused = async (files: { name: string; bytes: Buffer }[], status: number, ...fragments: string[]) => {
    const agent = await segreteria();
    const before = await counts(ctx.cast.scuola1.id);
    const res = await upload(agent, files);
    expect(res.status).toBe(status);
    for (const f of fragments) expect(res.text).toContain(f);
    expect(await counts(ctx.cast.scuola1.id)).toEqual(before);
  };

  it('an XML that is not an invoice', () => refused([{ name: 'x.xml', bytes: fixture('non-fattura.xml') }], 422, 'non una fattura elettronica', 'Nulla è stato salvato per questo file'));
  it('a DOCTYPE, never resolved', () => refused([{ name: 'x.xml', bytes: fixture('doctype.xml') }], 422, 'DOCTYPE'));
  it('a billion-laughs payload', () => refused([{ name: 'x.xml', bytes: fixture('billion-laughs.xml') }], 422, 'Rifiutato'));
  it('a PDF', () => refused([{ name: 'fattura.pdf', bytes: Buffer.from('%PDF-1.7\n...') }], 422, 'non è un XML'));
  it('a truncated .p7m', async () => {
    const { der } = await signP7m(renumbered('semplice.xml', 'TRONCO'));
    await refused([{ name: 't.xml.p7m', bytes: der.subarray(0, der.length - 200) }], 422, 'troncato');
  });
  it('an invoice addressed to another school', () => refused([{ name: 'x.xml', bytes: Buffer.from(renumbered('semplice.xml', 'ALTRA').toString().replace(`<CodiceFiscale>${SCHOOL_CF}</CodiceFiscale>`, '<CodiceFiscale>80012345678</CodiceFiscale>')) }], 422, 'non a ', 'rifiutata sullo SdI'));
  it('an invoice addressed to another office code, once the school has recorded its own (Impostazioni → Scuola e cassiere)', async () => {
    const other = (numero: string, codice: string) => Buffer.from(renumbered('semplice.xml', numero).toString().replace('<CodiceDestinatario>UF7K2M</CodiceDestinatario>', `<CodiceDestinatario>${codice}</CodiceDestinatario>`));
    const scuola = ctx.knex('scuole').where({ id: ctx.cast.scuola1.id });
    const agent = await segreteria();
    // Not yet recorded: another office code is no reason to refuse.
    expect((await upload(agent, [{ name: 'u0.xml', bytes: other('UFF-0', 'ZZ9Q4X') }])).text).toContain('1 fattura registrata');
    await scuola.clone().update({ codice_univoco_ufficio: 'UF7K2M' });
    try {
      await refused([{ name: 'u1.xml', bytes: other('UFF-1', 'ZZ9Q4X') }], 422, 'codice univoco ufficio ZZ9Q4X', 'UF7K2M', 'rifiutata sullo SdI');
      // The school's own code, the code of private addressees ('0000000', 7 characters): stored.
      const ok = await upload(agent, [
        { name: 'u2.xml', bytes: renumbered('semplice.xml', 'UFF-2') },
        { name: 'u3.xml', bytes: other('UFF-3', '0000000') },
        { name: 'u4.xml', bytes: other('UFF-4', 'ABC1234') },
      ]);
      expect(ok.text).toContain('3 fatture registrate');
    } finally {
      await scuola.clone().update({ codice_univoco_ufficio: null });
    }
  });
  it('a 30 MB file', () => refused([{ name: 'grande.xml', bytes: Buffer.alloc(30 * 1024 * 1024, 0x20) }], 413, 'supera 25 MB'));
  it('a zip bomb (an entry that inflates past its cap)', () => refused([{ name: 'bomba.zip', bytes: buildZip([{ name: 'a.xml', data: Buffer.alloc(11 * 1024 * 1024, 0x20) }]) }], 422, 'decompresso'));
  it('no file', async () => {
    const agent = await segreteria();
    const res = await agent.post('/fatture/carica').field('_csrf', await csrfToken(agent, '/fatture/carica'));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Scegli uno o più file');
  });
  it('a missing CSRF token: 403 before any file is read', async () => {
    const agent = await segreteria();
    const before = await counts(ctx.cast.scuola1.id);
    const res = await agent.post('/fatture/carica').attach('file', renumbered('semplice.xml', 'CSRF'), 'x.xml');
    expect(res.status).toBe(403);
    expect(await counts(ctx.cast.scuola1.id)).toEqual(before);
  });
  it('one refused file does not cost the others', async () => {
    const agent = await segreteria();
    const res = await upload(agent, [{ name: 'buona.xml', bytes: renumbered('semplice.xml', 'MISTO-1') }, { name: 'x.xml', bytes: fixture('non-fattura.xml') }]);
    expect(res.status).toBe(200);
    expect(res.text).toContain('1 fattura registrata, 1 file rifiutato');
  });
});

describe('Carica fatture: one school never sees another’s invoices', () => {
  it('the other school’s secretary gets 404 on the invoice and its file', async () => {
    const f = (await fattureOf(ctx.cast.scuola1.id))[0];
    const other = await loginAs(app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await other.get(`/fatture/${f.id}`)).status).toBe(404);
    expect((await other.get(`/fatture/${f.id}/file`)).status).toBe(404);
  });
});
