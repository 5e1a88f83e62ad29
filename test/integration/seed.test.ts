import { beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { useTestDatabase } from '../helpers/testDatabase.js';
import { verifyPassword } from '../../src/services/passwords.js';
import { DEMO_USERS, LEGACY_CIG, seedDemo } from '../../seeds/demo.js';
import { isSiglaProvincia } from '../../src/domain/province.js';

// ------------------------------------------------------------------------
// Independent re-computations (docs/dominio.md §2–3), written apart from the seed's
// generators so a shared mistake cannot hide.

const PCP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTU';
const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');

/** The family of a well-formed CIG whose check part is right, else null. */
function cigFamily(code: string): 'ordinario' | 'smart' | 'pcp' | null {
  if (/^[0-9]{7}[0-9A-F]{3}$/.test(code)) {
    const n = parseInt(code.slice(0, 7), 10);
    return n > 0 && hex((n * 211) % 4091, 3) === code.slice(7) ? 'ordinario' : null;
  }
  if (/^[XYZ][0-9A-F]{9}$/.test(code)) {
    const c = parseInt(code.slice(3), 16);
    return c > 0 && hex((c * 211) % 251, 2) === code.slice(1, 3) ? 'smart' : null;
  }
  if (/^[A-U][0-9A-F]{9}$/.test(code)) {
    const n = parseInt(code.slice(1, 7), 16);
    const ord = PCP_ALPHABET.indexOf(code.charAt(0)) + 1;
    return hex(((n + ord) * 211) % 4091, 3) === code.slice(7) ? 'pcp' : null;
  }
  return null;
}
const cigWellFormed = (code: string) => /^([0-9]{7}[0-9A-F]{3}|[XYZ][0-9A-F]{9}|[A-U][0-9A-F]{9})$/.test(code);
const stripCigPrefix = (raw: string) => raw.trim().replace(/^cig\s*:?\s*/i, '');
const normalizeCig = (raw: string) => stripCigPrefix(raw).toUpperCase().replace(/\s+/g, '');

const normalizeCup = (raw: string) => raw.trim().toUpperCase().replace(/^CUP\s*:?\s*/, '').replace(/\s+/g, '');
const cupWellFormed = (code: string) => /^[A-Z][0-9]{2}[A-Z][0-9]{11}$/.test(code);

type Kind = 'null' | 'empty' | 'canonical' | 'surrounding' | 'spaced' | 'lower' | 'prefixed' | 'malformed' | 'wrongChecksum';

/** Every kind of legacy spelling a raw cig_testo shows (one value can show several). */
function cigKinds(raw: string | null): Set<Kind> {
  const kinds = new Set<Kind>();
  if (raw === null) return kinds.add('null');
  if (raw === '') return kinds.add('empty');
  const code = normalizeCig(raw);
  if (raw !== raw.trim()) kinds.add('surrounding');
  if (/^\s*cig/i.test(raw)) kinds.add('prefixed');
  if (/\s/.test(stripCigPrefix(raw))) kinds.add('spaced');
  if (/[a-z]/.test(stripCigPrefix(raw))) kinds.add('lower');
  if (!cigWellFormed(code)) kinds.add('malformed');
  else if (!cigFamily(code)) kinds.add('wrongChecksum');
  else if (raw === code) kinds.add('canonical');
  return kinds;
}

function partitaIvaValid(piva: string): boolean {
  if (!/^[0-9]{11}$/.test(piva)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(piva.charAt(i));
    sum += i % 2 === 0 ? d : d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(piva.charAt(10));
}

function ibanValid(iban: string): boolean {
  if (!/^IT[0-9]{2}[A-Z][0-9]{10}[0-9A-Z]{12}$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  const digits = [...moved].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join('');
  return BigInt(digits) % 97n === 1n;
}

// ------------------------------------------------------------------------

type Doc = {
  id: number;
  scuola_id: number;
  esercizio: number;
  numero: number;
  data: string;
  importo_cents: number;
  cig_testo: string | null;
  cup_testo: string | null;
  cig_id: number | null;
  cup_id: number | null;
  motivo_esclusione_cig: string | null;
  created_by: number | null;
  updated_by: number | null;
};
type ImpegnoRow = Doc & { voce_id: number; creditore_id: number | null; conto_id: number | null; oggetto: string };
type MandatoRow = Doc & { impegno_id: number; beneficiario_id: number | null; modalita_pagamento: string; tipo_debito: string; causale: string };
type VoceRow = { id: number; scuola_id: number; esercizio: number; aggregato: string; voce: number; sottovoce: number | null; cup_testo: string | null; cup_id: number | null };

const TODAY = new Date(2026, 10, 27);
const Y = 2026;

const ctx = useTestDatabase();
let knex: Knex;
let result: Awaited<ReturnType<typeof seedDemo>>;
let s1: number;
let s2: number;
let impegni: ImpegnoRow[];
let mandati: MandatoRow[];
let voci: VoceRow[];

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await knex(table).where(where).count<{ n: string }[]>({ n: '*' }))[0]?.n ?? 0);

/** The seeded documents without ids, to compare two runs. */
async function snapshot(db: Knex) {
  const imp = await db('impegni').select('esercizio', 'numero', 'data', 'importo_cents', 'oggetto', 'cig_testo', 'cup_testo', 'motivo_esclusione_cig').orderBy(['esercizio', 'numero']);
  const man = await db('mandati as m')
    .join('impegni as i', 'i.id', 'm.impegno_id')
    .select('m.esercizio', 'm.numero', 'm.data', 'm.importo_cents', 'm.causale', 'm.cig_testo', 'm.cup_testo', 'm.modalita_pagamento', 'i.esercizio as imp_esercizio', 'i.numero as imp_numero')
    .orderBy(['m.esercizio', 'm.numero']);
  return { imp, man };
}

/** Runs `fn` on a seed made with `today` inside a transaction that is rolled back. */
async function withFreshSeed<T>(today: Date, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const trx = await knex.transaction();
  try {
    for (const table of ['contatori_numerazione', 'mandati', 'impegni', 'voci_destinazione', 'creditori', 'piano_conti', 'utenti', 'scuole']) {
      await trx(table).del();
    }
    await seedDemo(trx, { today });
    return await fn(trx);
  } finally {
    await trx.rollback();
  }
}

beforeAll(async () => {
  knex = ctx.knex;
  result = await seedDemo(knex, { today: TODAY });
  const scuole = await knex('scuole').select('id', 'denominazione').orderBy('id');
  s1 = scuole.find((s) => s.denominazione === 'Istituto Comprensivo Demo')?.id;
  s2 = scuole.find((s) => s.denominazione === 'Liceo Scientifico Demo Due')?.id;
  impegni = await knex('impegni').select('*').orderBy(['esercizio', 'numero']);
  mandati = await knex('mandati').select('*').orderBy(['esercizio', 'numero']);
  voci = await knex('voci_destinazione').select('*').orderBy('id');
});

describe('seedDemo', () => {
  it('inserts two schools and the documents of school 1', async () => {
    expect(result.scuole).toBe(2);
    expect(result.impegni).toBe(impegni.length);
    expect(result.mandati).toBe(mandati.length);
    expect(await count('scuole')).toBe(2);
    expect(s1).toBeTypeOf('number');
    expect(s2).toBeTypeOf('number');
    const scuole = await knex('scuole').select('*');
    for (const s of scuole) {
      expect(s.codice_meccanografico).toMatch(/^[A-Z]{2}[A-Z0-9]{8}$/);
      expect(partitaIvaValid(s.codice_fiscale)).toBe(true);
    }
  });

  it('gives school 1 at least 20 creditori, 60 impegni and 100 mandati over two esercizi', async () => {
    expect(await count('creditori', { scuola_id: s1 })).toBeGreaterThanOrEqual(20);
    expect(await count('piano_conti', { scuola_id: s1 })).toBeGreaterThanOrEqual(15);
    expect(impegni.filter((i) => i.scuola_id === s1).length).toBeGreaterThanOrEqual(60);
    expect(mandati.filter((m) => m.scuola_id === s1).length).toBeGreaterThanOrEqual(100);
    expect(new Set(impegni.map((i) => i.esercizio))).toEqual(new Set([Y - 1, Y]));
    for (const e of [Y - 1, Y]) {
      expect(impegni.filter((i) => i.esercizio === e).length).toBeGreaterThanOrEqual(30);
      expect(mandati.filter((m) => m.esercizio === e).length).toBeGreaterThanOrEqual(45);
    }
  });

  it('gives school 2 its own voci, conti and creditori but no documents', async () => {
    for (const e of [Y - 1, Y]) {
      expect(voci.filter((v) => v.scuola_id === s2 && v.esercizio === e).length).toBeGreaterThanOrEqual(5);
    }
    expect(await count('piano_conti', { scuola_id: s2 })).toBeGreaterThanOrEqual(5);
    expect(await count('creditori', { scuola_id: s2 })).toBeGreaterThanOrEqual(5);
    expect(await count('impegni', { scuola_id: s2 })).toBe(0);
    expect(await count('mandati', { scuola_id: s2 })).toBe(0);
  });

  it('classifies every demo conto for SIOPE, and every conto an impegno uses has its codice (the mandati’s codice_cgu)', async () => {
    const conti = await knex('piano_conti').select('id', 'tipo', 'codice_siope', 'natura_spesa');
    expect(conti.length).toBeGreaterThan(0);
    for (const c of conti) {
      expect(c.codice_siope, `conto ${c.id}`).toMatch(/^[0-9]{4}$/);
      // Beni d'investimento (tipo 4 of the demo's piano) are capitale, everything else corrente.
      expect(c.natura_spesa, `conto ${c.id}`).toBe(c.tipo === 4 ? 'CAPITALE' : 'CORRENTE');
    }
    const used = await knex('impegni as i').join('piano_conti as pc', function () {
      this.on('pc.id', 'i.conto_id').andOn('pc.scuola_id', 'i.scuola_id');
    }).distinct('pc.id', 'pc.codice_siope');
    expect(used.length).toBeGreaterThan(5);
    expect(used.filter((c) => !c.codice_siope)).toEqual([]);
    expect(impegni.every((i) => i.conto_id !== null)).toBe(true);
  });

  it('builds the Piano delle destinazioni of school 1 for both esercizi', () => {
    for (const e of [Y - 1, Y]) {
      const codes = voci
        .filter((v) => v.scuola_id === s1 && v.esercizio === e)
        .map((v) => `${v.aggregato}${String(v.voce).padStart(2, '0')}${v.sottovoce === null ? '' : `/${v.sottovoce}`}`);
      for (const code of ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'P01', 'P02', 'P03', 'P04', 'P05', 'R98', 'A03/13', 'A03/14', 'A01/5', 'P02/3']) {
        expect(codes).toContain(code);
      }
    }
  });

  it('numbers impegni and mandati 1..n without gaps per school and esercizio', () => {
    for (const docs of [impegni, mandati] as Doc[][]) {
      const groups = new Map<string, number[]>();
      for (const d of docs) {
        const key = `${d.scuola_id}/${d.esercizio}`;
        groups.set(key, [...(groups.get(key) ?? []), d.numero]);
      }
      expect(groups.size).toBe(2);
      for (const numbers of groups.values()) {
        expect([...numbers].sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
      }
    }
  });

  it('keeps dates inside the esercizio, not after today, and mandati after their impegno', () => {
    const impById = new Map(impegni.map((i) => [i.id, i]));
    const todayIso = '2026-11-27';
    for (const d of [...impegni, ...mandati]) {
      expect(Number(d.data.slice(0, 4))).toBe(d.esercizio);
      expect(d.data <= todayIso).toBe(true);
    }
    for (const m of mandati) {
      const imp = impById.get(m.impegno_id);
      expect(imp).toBeDefined();
      expect(imp?.scuola_id).toBe(m.scuola_id);
      expect(m.data >= (imp?.data ?? '')).toBe(true);
      expect(m.esercizio).toBeGreaterThanOrEqual(imp?.esercizio ?? 0);
    }
    // mostly the same esercizio, a few residui paid the year after
    const residui = mandati.filter((m) => impById.get(m.impegno_id)?.esercizio !== m.esercizio);
    expect(residui.length).toBeGreaterThan(0);
    expect(residui.length).toBeLessThan(mandati.length / 10);
  });

  it("never pays more than an impegno's importo", async () => {
    const over = await knex('impegni as i')
      .join('mandati as m', 'm.impegno_id', 'i.id')
      .groupBy('i.id', 'i.importo_cents')
      .havingRaw('sum(m.importo_cents) > i.importo_cents')
      .select('i.id');
    expect(over).toEqual([]);
    for (const i of impegni) {
      expect(Number.isInteger(i.importo_cents)).toBe(true);
      expect(i.importo_cents).toBeGreaterThanOrEqual(5000);
      expect(i.importo_cents).toBeLessThanOrEqual(4_500_000);
    }
  });

  it('sets the counters to the highest numero used', async () => {
    const contatori = await knex('contatori_numerazione').select('*');
    expect(contatori).toHaveLength(4);
    for (const c of contatori) {
      const docs: Doc[] = c.tipo === 'impegno' ? impegni : mandati;
      const max = Math.max(...docs.filter((d) => d.scuola_id === c.scuola_id && d.esercizio === c.esercizio).map((d) => d.numero));
      expect(c.ultimo).toBe(max);
    }
  });

  it('leaves the registers and the import log empty, and no document linked', async () => {
    expect(await count('cig')).toBe(0);
    expect(await count('cup')).toBe(0);
    expect(await count('importazioni')).toBe(0);
    for (const d of [...impegni, ...mandati]) {
      expect(d.cig_id).toBeNull();
      expect(d.cup_id).toBeNull();
    }
    expect(voci.every((v) => v.cup_id === null)).toBe(true);
  });

  it('computes every generated CIG with the right check part (independent re-computation)', () => {
    // the worked examples of docs/dominio.md §2.3, to check the checker
    expect(cigFamily('9050626CD6')).toBe('ordinario');
    expect(cigFamily('B123456789')).toBeNull();
    expect(cigFamily('B123456659')).toBe('pcp');
    const families = new Set<string>();
    for (const [name, code] of Object.entries(LEGACY_CIG)) {
      const family = cigFamily(code);
      expect(family, `${name} = ${code}`).not.toBeNull();
      families.add(family as string);
    }
    expect(families).toEqual(new Set(['ordinario', 'smart', 'pcp']));
    expect(LEGACY_CIG.assistenzaIT).toBe('9050626CD6');
  });

  it('plants every kind of legacy CIG text on impegni and on mandati', () => {
    const generated = new Set<string>(Object.values(LEGACY_CIG));
    const seen = new Set<string>();
    for (const [what, docs] of [
      ['impegni', impegni],
      ['mandati', mandati],
    ] as const) {
      const kinds = new Set<Kind>();
      for (const d of docs) {
        for (const k of cigKinds(d.cig_testo)) kinds.add(k);
        if (d.cig_testo) {
          const code = normalizeCig(d.cig_testo);
          // a code whose check part is right is one of the generated ones, not an accident
          if (cigFamily(code)) {
            expect(generated.has(code), `${what}: ${d.cig_testo}`).toBe(true);
            seen.add(code);
          }
        }
      }
      for (const k of ['null', 'empty', 'canonical', 'surrounding', 'spaced', 'lower', 'prefixed', 'malformed', 'wrongChecksum'] as Kind[]) {
        expect(kinds.has(k), `${what} without ${k}`).toBe(true);
      }
    }
    // every generated code is used, and valid codes of all three families are on impegni
    expect([...generated].filter((c) => !seen.has(c))).toEqual([]);
    const impFamilies = new Set(impegni.map((i) => (i.cig_testo ? cigFamily(normalizeCig(i.cig_testo)) : null)).filter(Boolean));
    expect(impFamilies).toEqual(new Set(['ordinario', 'smart', 'pcp']));
  });

  it('plants the exact legacy values the import must handle', () => {
    const impTexts = new Set(impegni.map((i) => i.cig_testo));
    const manTexts = new Set(mandati.map((m) => m.cig_testo));
    for (const v of ['9050626CD6', '9050 626 CD6', 'V123456789', 'B123456789', '9050626CD7', '', null]) {
      expect(impTexts.has(v), `impegni: ${v}`).toBe(true);
    }
    for (const v of ['9050626CD6', 'CIG 9050626CD6', '9050626cd6', ' 9050626CD6 ', 'B123456789', 'V123456789', '', null]) {
      expect(manTexts.has(v), `mandati: ${v}`).toBe(true);
    }
    // one procurement, many documents
    const uses = [...impegni, ...mandati].filter((d) => d.cig_testo !== null && normalizeCig(d.cig_testo) === '9050626CD6');
    expect(uses.length).toBeGreaterThanOrEqual(6);
  });

  it('uses motivo_esclusione_cig only from the OPI list and only without a CIG', () => {
    const opi = new Set(['SPESE_ECONOMALI', 'CONTRATTI_LAVORO', 'TRASFERIMENTO_FONDI', 'AMMINISTRAZIONE DIRETTA', 'INCARICHI_COLLABORAZIONE', 'RISARCIMENTI_INDENNIZZI']);
    const impById = new Map(impegni.map((i) => [i.id, i]));
    const withMotivo = impegni.filter((i) => i.motivo_esclusione_cig !== null);
    expect(withMotivo.length).toBeGreaterThanOrEqual(8);
    for (const i of withMotivo) {
      expect(opi.has(i.motivo_esclusione_cig as string)).toBe(true);
      expect(i.cig_testo === null || i.cig_testo === '').toBe(true);
    }
    for (const m of mandati) {
      expect(m.motivo_esclusione_cig).toBe(impById.get(m.impegno_id)?.motivo_esclusione_cig ?? null);
    }
  });

  it('pays mostly by SEPA, mostly commercial debts, mostly to the creditore', () => {
    const impById = new Map(impegni.map((i) => [i.id, i]));
    const modalita = mandati.map((m) => m.modalita_pagamento);
    for (const mod of ['SEPA CREDIT TRANSFER', 'AVVISO PAGOPA', 'F24EP', 'CASSA']) expect(modalita).toContain(mod);
    expect(modalita.filter((m) => m === 'SEPA CREDIT TRANSFER').length).toBeGreaterThan(mandati.length * 0.8);
    const nonCommerciali = mandati.filter((m) => m.tipo_debito === 'NON_COMMERCIALE').length;
    expect(nonCommerciali).toBeGreaterThan(0);
    expect(nonCommerciali).toBeLessThan(mandati.length * 0.2);
    const toCreditore = mandati.filter((m) => m.beneficiario_id === impById.get(m.impegno_id)?.creditore_id).length;
    expect(toCreditore).toBeGreaterThan(mandati.length * 0.9);
    for (const m of mandati) expect(m.causale.length).toBeGreaterThan(10);
  });

  it('writes CUPs as free text on voci and PNRR/PON impegni, in legacy spellings', () => {
    const voceById = new Map(voci.map((v) => [v.id, v]));
    const vociCup = voci.filter((v) => v.scuola_id === s1 && v.esercizio === Y && v.cup_testo !== null && v.cup_testo !== '');
    expect(vociCup.length).toBeGreaterThanOrEqual(8);
    const raws = vociCup.map((v) => v.cup_testo as string);
    expect(raws).toContain('C44D22002780006');
    expect(raws.some((r) => /[a-z]/.test(r))).toBe(true);
    expect(raws.some((r) => /^CUP/i.test(r.trim()))).toBe(true);
    expect(raws.some((r) => /\S\s+\S/.test(r.trim().replace(/^CUP\s*:?\s*/i, '')))).toBe(true);
    expect(raws.some((r) => r !== r.trim())).toBe(true);
    const malformed = raws.filter((r) => !cupWellFormed(normalizeCup(r)));
    expect(malformed.map((r) => normalizeCup(r).length).sort()).toEqual([14, 15]);
    expect(voci.some((v) => v.cup_testo === '')).toBe(true);
    expect(voci.filter((v) => v.scuola_id === s2).some((v) => v.cup_testo && cupWellFormed(normalizeCup(v.cup_testo)))).toBe(true);

    // impegni on voci with a CUP: same normalised CUP most of the time, sometimes spelt differently or empty
    const onCupVoce = impegni.filter((i) => {
      const v = voceById.get(i.voce_id);
      return v?.cup_testo && normalizeCup(v.cup_testo) !== '';
    });
    expect(onCupVoce.length).toBeGreaterThanOrEqual(10);
    const same = onCupVoce.filter((i) => i.cup_testo && normalizeCup(i.cup_testo) === normalizeCup(voceById.get(i.voce_id)?.cup_testo ?? ''));
    expect(same.length).toBeGreaterThan(onCupVoce.length * 0.8);
    expect(onCupVoce.some((i) => i.cup_testo === '')).toBe(true);
    expect(onCupVoce.some((i) => i.cup_testo !== null && i.cup_testo !== normalizeCup(i.cup_testo))).toBe(true);
    // impegni on voci without a CUP carry none, but for one placeholder the import proposes as «nessun codice»
    const onVoceWithout = impegni.filter((i) => !voceById.get(i.voce_id)?.cup_testo);
    expect(onVoceWithout.filter((i) => i.cup_testo !== null).map((i) => i.cup_testo)).toEqual(['non previsto']);
    expect(mandati.some((m) => m.cup_testo !== null && m.cup_testo !== '')).toBe(true);
  });

  it('gives creditori a partita IVA with the right check digit and valid IBANs', async () => {
    const creditori = await knex('creditori').select('*');
    const companies = creditori.filter((c) => c.partita_iva !== null);
    expect(companies.filter((c) => c.scuola_id === s1).length).toBeGreaterThanOrEqual(20);
    for (const c of companies) {
      expect(partitaIvaValid(c.partita_iva), c.denominazione).toBe(true);
      expect(c.codice_fiscale).toBe(c.partita_iva);
    }
    for (const c of creditori.filter((c) => c.partita_iva === null)) {
      expect(c.codice_fiscale).toMatch(/^([0-9]{11}|[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}[A-Z])$/);
      if (/^[0-9]{11}$/.test(c.codice_fiscale)) expect(partitaIvaValid(c.codice_fiscale)).toBe(true);
    }
    const ibans = creditori.filter((c) => c.iban !== null);
    expect(ibans.length).toBeGreaterThanOrEqual(5);
    for (const c of ibans) expect(ibanValid(c.iban), c.iban).toBe(true);
  });

  it('gives the creditori an address in the OPI beneficiario’s parts (street, CAP, località, provincia, stato)', async () => {
    const creditori = await knex('creditori').select('*');
    const withAddress = creditori.filter((c) => c.indirizzo !== null);
    expect(withAddress.length).toBeGreaterThanOrEqual(25);
    for (const c of withAddress) {
      expect(c.indirizzo, c.denominazione).not.toMatch(/[0-9]{5}|\(/);
      expect(c.cap, c.denominazione).toMatch(/^[0-9]{5}$/);
      expect(c.localita, c.denominazione).toMatch(/^[A-Z][a-z]+/);
      expect(isSiglaProvincia(c.provincia), c.provincia).toBe(true);
    }
    expect(new Set(creditori.map((c) => c.stato))).toEqual(new Set(['IT']));
  });

  it('records the segreteria user as author of the documents', async () => {
    const segreteria = await knex('utenti').where({ username: 'segreteria' }).first();
    for (const d of [...impegni, ...mandati]) {
      expect(d.created_by).toBe(segreteria.id);
      expect(d.updated_by).toBe(segreteria.id);
    }
  });

  it('creates the demo users with their role, school and a verifiable password', async () => {
    expect(DEMO_USERS.map((u) => u.username)).toEqual(['segreteria', 'admin', 'segreteria2']);
    for (const u of DEMO_USERS) {
      const row = await knex('utenti').where({ username: u.username }).first();
      expect(row, u.username).toBeDefined();
      expect(row.ruolo).toBe(u.ruolo);
      expect(row.scuola_id).toBe(u.scuola === 1 ? s1 : s2);
      expect(row.attivo).toBe(true);
      expect(await verifyPassword(u.password, row.password_hash)).toBe(true);
      expect(await verifyPassword(`${u.password}x`, row.password_hash)).toBe(false);
    }
  });

  it('writes nothing when a school already exists', async () => {
    const before = await snapshot(knex);
    const counts = await Promise.all(['scuole', 'utenti', 'creditori', 'voci_destinazione', 'piano_conti'].map((t) => count(t)));
    expect(await seedDemo(knex)).toEqual({ scuole: 0, impegni: 0, mandati: 0 });
    expect(await snapshot(knex)).toEqual(before);
    expect(await Promise.all(['scuole', 'utenti', 'creditori', 'voci_destinazione', 'piano_conti'].map((t) => count(t)))).toEqual(counts);
  });

  it('produces the same data on every run', async () => {
    const first = await snapshot(knex);
    const second = await withFreshSeed(TODAY, (trx) => snapshot(trx));
    expect(second).toEqual(first);
    expect(await snapshot(knex)).toEqual(first); // rolled back
  });

  it('keeps the current esercizio up to today early in January too', async () => {
    await withFreshSeed(new Date(2027, 0, 3), async (trx) => {
      const imp = await trx('impegni').select('esercizio', 'numero', 'data');
      const man = await trx('mandati').select('esercizio', 'numero', 'data');
      expect(imp.length).toBe(impegni.length);
      expect(man.length).toBe(mandati.length);
      expect(new Set(imp.map((i) => i.esercizio))).toEqual(new Set([2026, 2027]));
      for (const d of [...imp, ...man]) {
        expect(Number(d.data.slice(0, 4))).toBe(d.esercizio);
        expect(d.data <= '2027-01-03').toBe(true);
      }
    });
  });
});
