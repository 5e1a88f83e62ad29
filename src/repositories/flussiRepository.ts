import type { Db } from '../db/types.js';
import type { CigElenco, CupElenco, RegolaSql } from '../domain/flussi.js';

export type { CigElenco, CupElenco } from '../domain/flussi.js';

/**
 * The queries behind Flussi: the CIG and CUP lists derived from the period's
 * impegni, and the pre-flight checks. All set-based: one statement per rule.
 * A period is an esercizio and, optionally, its months 1..mese (cumulative).
 */
export type Periodo = { scuolaId: number; esercizio: number; mese: number | null };

/** `alias.data` inside the period: the whole esercizio, or up to the end of `mese`. */
function inPeriodo(alias: string, p: Periodo) {
  // Numbers are written into the SQL: only checked integers get there.
  if (![p.scuolaId, p.esercizio, p.mese ?? 1].every(Number.isSafeInteger)) throw new TypeError('Periodo non valido');
  const fine = p.mese ? `make_date(${p.esercizio}, ${p.mese}, 1) + interval '1 month'` : `make_date(${p.esercizio + 1}, 1, 1)`;
  return `${alias}.scuola_id = ${p.scuolaId} and ${alias}.esercizio = ${p.esercizio} and ${alias}.data < ${fine}`;
}



/** A legacy CIG/CUP text that still waits for its code: not linked, no motivo, not judged to hold no code. */
const cigWaits = (a: string) => `${a}.cig_testo ~ '\\S' and ${a}.cig_id is null and ${a}.motivo_esclusione_cig is null and not ${a}.cig_testo_nessun_codice`;
const cupWaits = (a: string) => `${a}.cup_testo ~ '\\S' and ${a}.cup_id is null and not ${a}.cup_testo_nessun_codice`;
/** The legacy text as a bare code: upper case, letters and digits only, without a leading CIG label. */
const bareCig = (a: string) => `regexp_replace(upper(regexp_replace(${a}.cig_testo, '[^0-9A-Za-z]', '', 'g')), '^(SMARTCIG|CIG)', '')`;

/**
 * Documents of the period whose legacy text waits for a code. When the text is
 * a CIG already registered without its data di generazione, the error says so
 * up front: linking it would otherwise reveal a second error.
 */
function textNotLinked(table: 'impegni' | 'mandati', tipo: string, a: string, p: Periodo) {
  return `
      select '${tipo}', ${a}.id, ${a}.esercizio, ${a}.numero, null,
             concat_ws(' · ',
               case when ${cigWaits(a)} then 'CIG «' || ${a}.cig_testo || '»' ||
                 case when rc.id is not null and rc.data_generazione is null then ' (è il CIG ' || rc.codice || ', che non ha ancora la data di generazione: completala)' else '' end end,
               case when ${cupWaits(a)} then 'CUP «' || ${a}.cup_testo || '»' end)
      from ${table} ${a}
      left join cig rc on rc.scuola_id = ${a}.scuola_id and rc.codice = ${bareCig(a)}
      where ${inPeriodo(a, p)} and ((${cigWaits(a)}) or (${cupWaits(a)}))`;
}

export async function elencoCig(db: Db, p: Periodo): Promise<CigElenco[]> {
  const { rows } = await db.raw(
    `select c.id, c.codice, c.famiglia, c.oggetto, c.data_generazione::text, c.data_scadenza_offerte::text, c.importo_cents, c.stato, c.updated_at,
            sum(i.importo_cents)::bigint as impegnato_cents,
            jsonb_agg(jsonb_build_object('id', i.id, 'numero', i.numero, 'data', i.data, 'importo_cents', i.importo_cents) order by i.numero) as impegni
     from impegni i join cig c on c.scuola_id = i.scuola_id and c.id = i.cig_id
     where ${inPeriodo('i', p)}
     group by c.id order by c.codice`,
  );
  return rows;
}


/** CUPs of the period's impegni and of their voci. */
export async function elencoCup(db: Db, p: Periodo): Promise<CupElenco[]> {
  const { rows } = await db.raw(
    `with usi as (
       select i.cup_id, i.id, i.numero, i.data, i.importo_cents from impegni i where ${inPeriodo('i', p)} and i.cup_id is not null
       union
       select v.cup_id, i.id, i.numero, i.data, i.importo_cents
       from impegni i join voci_destinazione v on v.scuola_id = i.scuola_id and v.id = i.voce_id
       where ${inPeriodo('i', p)} and v.cup_id is not null
     )
     select c.id, c.codice, c.descrizione, c.anno_decisione, c.importo_finanziato_cents, c.fonte_finanziamento, c.stato, c.updated_at,
            sum(u.importo_cents)::bigint as impegnato_cents,
            jsonb_agg(jsonb_build_object('id', u.id, 'numero', u.numero, 'data', u.data, 'importo_cents', u.importo_cents) order by u.numero) as impegni
     from usi u join cup c on c.scuola_id = ${p.scuolaId} and c.id = u.cup_id
     group by c.id order by c.codice`,
  );
  return rows;
}


export type ProblemaRow = {
  regola: RegolaSql;
  tipo: 'impegno' | 'mandato' | 'cig' | 'cup';
  id: number;
  esercizio: number | null;
  numero: number | null;
  codice: string | null;
  dettaglio: string | null;
};

/** Every rule of the verifica that SQL can decide, in one round trip, each rule a set-based branch. */
export async function problemi(db: Db, p: Periodo, limitPerRegola = 200): Promise<{ rows: ProblemaRow[]; totali: Record<string, number> }> {
  const s = p.scuolaId;
  const branches: Record<RegolaSql, string> = {
    // A CIG used by the period's impegni or, alone, by its mandati.
    cig_senza_data_generazione: `
      select distinct 'cig' as tipo, c.id, null::int as esercizio, null::int as numero, c.codice, c.oggetto as dettaglio
      from (select cig_id, scuola_id from impegni i where ${inPeriodo('i', p)} union select cig_id, scuola_id from mandati m where ${inPeriodo('m', p)}) d
      join cig c on c.scuola_id = d.scuola_id and c.id = d.cig_id
      where c.data_generazione is null`,
    testo_non_collegato: `${textNotLinked('impegni', 'impegno', 'i', p)} union all ${textNotLinked('mandati', 'mandato', 'm', p)}`,
    codice_annullato: `
      select distinct 'cig', c.id, null::int, null::int, c.codice, c.oggetto
      from (select cig_id, scuola_id from impegni i where ${inPeriodo('i', p)} union select cig_id, scuola_id from mandati m where ${inPeriodo('m', p)}) d
      join cig c on c.scuola_id = d.scuola_id and c.id = d.cig_id where c.stato = 'annullato'
      union all
      select distinct 'cup', c.id, null::int, null::int, c.codice, c.descrizione
      from (select cup_id, scuola_id from impegni i where ${inPeriodo('i', p)} union select cup_id, scuola_id from mandati m where ${inPeriodo('m', p)}) d
      join cup c on c.scuola_id = d.scuola_id and c.id = d.cup_id where c.stato = 'annullato'`,
    mandato_senza_cig_ne_motivo: `
      select 'mandato', m.id, m.esercizio, m.numero, null, m.causale
      from mandati m where ${inPeriodo('m', p)} and m.tipo_debito = 'COMMERCIALE' and m.cig_id is null and m.motivo_esclusione_cig is null`,
    cig_senza_scadenza_offerte: `
      select distinct 'cig', c.id, null::int, null::int, c.codice, c.oggetto
      from impegni i join cig c on c.scuola_id = i.scuola_id and c.id = i.cig_id
      where ${inPeriodo('i', p)} and c.data_scadenza_offerte is null`,
    mandato_diverso_da_impegno: `
      select 'mandato', m.id, m.esercizio, m.numero, null,
             concat_ws(' · ', case when m.cig_id is distinct from i.cig_id then 'CIG diverso dall’impegno n. ' || i.numero || '/' || i.esercizio end,
                              case when m.cup_id is distinct from i.cup_id then 'CUP diverso dall’impegno n. ' || i.numero || '/' || i.esercizio end)
      from mandati m join impegni i on i.scuola_id = m.scuola_id and i.id = m.impegno_id
      where ${inPeriodo('m', p)} and (m.cig_id is distinct from i.cig_id or m.cup_id is distinct from i.cup_id)`,
    // The period's mandati pay invoices (mandati_fatture): an invoice's CIG that is not its impegno's.
    fattura_cig_diverso_da_impegno: `
      select distinct 'impegno', i.id, i.esercizio, i.numero, f.cig,
             'Fattura n. ' || f.numero || ' del ' || to_char(f.data, 'DD/MM/YYYY') || ' con CIG ' || f.cig
               || ', impegno ' || coalesce('con CIG ' || c.codice, 'senza CIG') || ' (mandato n. ' || m.numero || '/' || m.esercizio || ')'
      from mandati m
      join impegni i on i.scuola_id = m.scuola_id and i.id = m.impegno_id
      join mandati_fatture mf on mf.scuola_id = m.scuola_id and mf.mandato_id = m.id
      join fatture f on f.scuola_id = mf.scuola_id and f.id = mf.fattura_id
      left join cig c on c.scuola_id = i.scuola_id and c.id = i.cig_id
      where ${inPeriodo('m', p)} and f.cig is not null and f.cig is distinct from c.codice`,
    impegno_cup_diverso_da_voce: `
      select 'impegno', i.id, i.esercizio, i.numero, null, 'CUP della voce: ' || vc.codice || ', dell’impegno: ' || ic.codice
      from impegni i
      join voci_destinazione v on v.scuola_id = i.scuola_id and v.id = i.voce_id
      join cup vc on vc.scuola_id = v.scuola_id and vc.id = v.cup_id
      join cup ic on ic.scuola_id = i.scuola_id and ic.id = i.cup_id
      where ${inPeriodo('i', p)} and i.cup_id <> v.cup_id`,
    codice_non_usato: `
      select 'cig', c.id, null::int, null::int, c.codice, c.oggetto from cig c
      where c.scuola_id = ${s} and c.stato = 'attivo'
        and not exists (select 1 from impegni i where i.scuola_id = c.scuola_id and i.cig_id = c.id)
        and not exists (select 1 from mandati m where m.scuola_id = c.scuola_id and m.cig_id = c.id)
      union all
      select 'cup', c.id, null::int, null::int, c.codice, c.descrizione from cup c
      where c.scuola_id = ${s} and c.stato = 'attivo'
        and not exists (select 1 from impegni i where i.scuola_id = c.scuola_id and i.cup_id = c.id)
        and not exists (select 1 from mandati m where m.scuola_id = c.scuola_id and m.cup_id = c.id)
        and not exists (select 1 from voci_destinazione v where v.scuola_id = c.scuola_id and v.cup_id = c.id)`,
    // A code of the period's lists changed after the last export that contained it, under any
    // code it has had (an edited code is no longer in the export under its new one).
    modificato_dopo_invio: `
      select x.tipo, x.id, null::int, null::int, x.codice, to_char(x.inviato_at at time zone 'Europe/Rome', 'DD/MM/YYYY HH24:MI')
      from (
        select 'cig' as tipo, c.id, c.codice, c.updated_at, max(e.created_at) as inviato_at
        from cig c join flussi_esportazioni e on e.scuola_id = c.scuola_id and e.esercizio = ${p.esercizio}
          and (e.codici ? c.codice or e.codici ?| ${codesEverHad('cig', 'c')})
        where c.scuola_id = ${s} group by c.id
        union all
        select 'cup', c.id, c.codice, c.updated_at, max(e.created_at)
        from cup c join flussi_esportazioni e on e.scuola_id = c.scuola_id and e.esercizio = ${p.esercizio}
          and (e.codici ? c.codice or e.codici ?| ${codesEverHad('cup', 'c')})
        where c.scuola_id = ${s} group by c.id
      ) x where x.updated_at > x.inviato_at`,
  };
  const sql = Object.entries(branches)
    .map(
      ([regola, body]) =>
        `(select '${regola}' as regola, q.*, count(*) over () as totale from (${body}) as q(tipo, id, esercizio, numero, codice, dettaglio)
          order by q.esercizio nulls first, q.tipo, q.numero, q.codice limit ${limitPerRegola})`,
    )
    .join('\nunion all\n');
  const { rows } = await db.raw(sql.replace(/\?/g, '\\?'));
  const totali: Record<string, number> = {};
  for (const r of rows as (ProblemaRow & { totale: number })[]) totali[r.regola] = Number(r.totale);
  return { rows, totali };
}

export async function recordExport(
  db: Db,
  e: { scuolaId: number; utenteId: number; esercizio: number; mese: number | null; formato: 'cig.csv' | 'cup.csv' | 'xml'; hash: string; codici: string[] },
) {
  await db('flussi_esportazioni').insert({
    scuola_id: e.scuolaId,
    utente_id: e.utenteId,
    esercizio: e.esercizio,
    mese: e.mese,
    formato: e.formato,
    hash_contenuto: e.hash,
    codici: JSON.stringify(e.codici),
  });
}

export function listExports(db: Db, scuolaId: number, esercizio: number) {
  return db('flussi_esportazioni as e')
    .leftJoin('utenti as u', 'u.id', 'e.utente_id')
    .where({ 'e.scuola_id': scuolaId, 'e.esercizio': esercizio })
    .orderBy('e.id', 'desc')
    .limit(100)
    .select('e.id', 'e.mese', 'e.formato', 'e.hash_contenuto', 'e.codici', 'e.created_at', 'u.nome as utente_nome');
}

/**
 * Every code a CIG or CUP has had, from its history (created, imported, edited), as an SQL
 * array for `codici ?| …`: `alias` is the outer query's cig or cup row.
 */
function codesEverHad(entita: 'cig' | 'cup', alias: string): string {
  return `array(select a.dopo->>'codice' from audit_log a
    where a.scuola_id = ${alias}.scuola_id and a.entita = '${entita}' and a.entita_id = ${alias}.id and a.dopo->>'codice' is not null
    union select a.prima->>'codice' from audit_log a
    where a.scuola_id = ${alias}.scuola_id and a.entita = '${entita}' and a.entita_id = ${alias}.id and a.prima->>'codice' is not null)`;
}

/** When a CIG or CUP was last exported (any esercizio) under any code it has had, for its page's "modificato dopo l'invio". */
export async function lastExportOf(db: Db, scuolaId: number, entita: 'cig' | 'cup', id: number): Promise<Date | null> {
  const { rows } = await db.raw(
    `select max(e.created_at) as at from ${entita} c join flussi_esportazioni e on e.scuola_id = c.scuola_id
       and (e.codici \\? c.codice or e.codici \\?| ${codesEverHad(entita, 'c')})
     where c.scuola_id = ? and c.id = ?`,
    [scuolaId, id],
  );
  return ((rows as { at: Date | null }[])[0]?.at as Date | null) ?? null;
}
