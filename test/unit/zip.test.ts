import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readZipSafe } from '../../src/formats/zip.js';
import { buildZip } from '../helpers/zip.js';

const xml = readFileSync('test/fixtures/fatturapa/semplice.xml');
const metadati = readFileSync('test/fixtures/fatturapa/IT01234567897_A0001_MT_001.xml');

describe('readZipSafe', () => {
  it('returns the entries by file name only, skipping folders, macOS metadata and nested zips', async () => {
    const zip = buildZip([
      { name: 'marzo/', data: Buffer.alloc(0) },
      { name: 'marzo/IT01234567897_A0001.xml', data: xml },
      { name: '../../etc/IT01234567897_A0001_MT_001.xml', data: metadati },
      { name: '__MACOSX/marzo/._IT01234567897_A0001.xml', data: Buffer.from('x') },
      { name: 'altre.zip', data: Buffer.from('PK') },
    ]);
    const r = await readZipSafe(zip);
    if (!r.ok) throw new Error(r.motivo);
    expect(r.entries.map((e) => e.name)).toEqual(['IT01234567897_A0001.xml', 'IT01234567897_A0001_MT_001.xml']);
    expect(r.entries[0]?.bytes.equals(xml)).toBe(true);
    expect(r.skipped).toEqual([{ name: 'altre.zip', motivo: expect.stringMatching(/Zip dentro lo zip/) }]);
  });

  it('refuses an archive with more entries than the cap (2,000) before inflating anything', async () => {
    const files = Array.from({ length: 2_001 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('<a/>') }));
    const r = await readZipSafe(buildZip(files));
    expect(r).toEqual({ ok: false, motivo: expect.stringMatching(/Lo zip contiene 2\.001 file: al massimo se ne leggono 2\.000/) });
  });

  it('refuses an entry that declares a size over the cap', async () => {
    const r = await readZipSafe(buildZip([{ name: 'grande.xml', data: Buffer.alloc(2048, 0x20) }]), {
      maxEntries: 10,
      maxEntryBytes: 1024,
      maxTotalBytes: 1_000_000,
    });
    expect(r).toEqual({ ok: false, motivo: expect.stringMatching(/«grande\.xml» dentro lo zip, una volta decompresso, supera/) });
  });

  it('refuses a zip bomb: an entry declaring 1 KB that inflates to 50 MB, stopped once it passes what it declares', async () => {
    const bomb = buildZip([{ name: 'fattura.xml', data: Buffer.alloc(50 * 1024 * 1024, 0x20), declaredSize: 1024 }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const started = performance.now();
    const r = await readZipSafe(bomb);
    expect(r).toEqual({ ok: false, motivo: expect.stringMatching(/«fattura\.xml».*più grande di quanto dichiara/) });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses when the entries together pass the total cap', async () => {
    const files = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.alloc(600, 0x20) }));
    const r = await readZipSafe(buildZip(files), { maxEntries: 10, maxEntryBytes: 1024, maxTotalBytes: 1500 });
    expect(r).toEqual({ ok: false, motivo: expect.stringMatching(/supera .*dividilo in più archivi/) });
  });

  it('refuses what is not a zip, and a truncated zip', async () => {
    expect(await readZipSafe(xml)).toEqual({ ok: false, motivo: expect.stringMatching(/non è un archivio zip/) });
    const zip = buildZip([{ name: 'a.xml', data: xml }]);
    const truncated = await readZipSafe(zip.subarray(0, zip.length - 30));
    expect(truncated.ok).toBe(false);
    // Only the app's Italian words reach the secretary, never the library's English message.
    if (!truncated.ok) expect(truncated.motivo).toMatch(/^Il file (\.zip )?(è danneggiato|non è un archivio zip)[^()]*$/);
  });
});
