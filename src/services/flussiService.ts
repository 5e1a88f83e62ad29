import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { validateCig } from '../domain/cig.js';
import { validateCup } from '../domain/cup.js';
import { REGOLE, type RegolaFlussi, type Severita } from '../domain/flussi.js';
import { elencoCig, elencoCup, listExports, problemi, recordExport, type Periodo, type ProblemaRow } from '../repositories/flussiRepository.js';
import { cigCsv, cupCsv, elenchiXml, type Intestazione } from '../domain/flussiTracciato.js';

/**
 * Flussi: the CIG and CUP lists of a period, derived from the impegni at the
 * time of the request, the pre-flight check, and the exports (refused while
 * the check finds errors), each export recorded.
 */
export type Problema = Omit<ProblemaRow, 'regola'> & { regola: RegolaFlussi; severita: Severita };

export type Verifica = { problemi: Problema[]; errori: number; avvisi: number; totali: Record<string, number> };

export type Formato = 'cig.csv' | 'cup.csv' | 'xml';

export type Esportazione =
  | { ok: true; contenuto: string; nomeFile: string; contentType: string }
  | { ok: false; verifica: Verifica };

export function createFlussiService(knex: Knex, now: () => Date = () => new Date()) {
  async function elenchi(p: Periodo) {
    return { cig: await elencoCig(knex, p), cup: await elencoCup(knex, p) };
  }

  async function verifica(p: Periodo, listed?: Awaited<ReturnType<typeof elenchi>>): Promise<Verifica> {
    const { cig, cup } = listed ?? (await elenchi(p));
    const { rows, totali } = await problemi(knex, p);
    const invalid: Problema[] = [
      ...cig.filter((c) => !validateCig(c.codice).ok).map((c) => ({ tipo: 'cig' as const, id: c.id, codice: c.codice, dettaglio: (validateCig(c.codice) as { reason: string }).reason })),
      ...cup.filter((c) => !validateCup(c.codice).ok).map((c) => ({ tipo: 'cup' as const, id: c.id, codice: c.codice, dettaglio: (validateCup(c.codice) as { reason: string }).reason })),
    ].map((r) => ({ ...r, regola: 'codice_non_valido', severita: 'errore', esercizio: null, numero: null }));
    const all: Problema[] = [...rows.map((r) => ({ ...r, severita: REGOLE[r.regola].severita })), ...invalid];
    // Errors first, then rule by rule in the order of REGOLE.
    const order = Object.keys(REGOLE);
    all.sort((a, b) => (a.severita === b.severita ? order.indexOf(a.regola) - order.indexOf(b.regola) : a.severita === 'errore' ? -1 : 1));
    const count = (sev: Severita) =>
      Object.entries({ ...totali, codice_non_valido: invalid.length }).reduce((n, [regola, t]) => n + (REGOLE[regola as RegolaFlussi].severita === sev ? t : 0), 0);
    return { problemi: all, errori: count('errore'), avvisi: count('avviso'), totali: { ...totali, codice_non_valido: invalid.length } };
  }

  return {
    elenchi,
    verifica,

    async page(p: Periodo) {
      const listed = await elenchi(p);
      return { ...listed, verifica: await verifica(p, listed), storico: await listExports(knex, p.scuolaId, p.esercizio) };
    },

    async export(user: { id: number; scuolaId: number; scuolaCodice: string; scuolaDenominazione: string }, p: Periodo, formato: Formato): Promise<Esportazione> {
      const listed = await elenchi(p);
      const check = await verifica(p, listed);
      if (check.errori > 0) return { ok: false, verifica: check };
      const h: Intestazione = { codiceMeccanografico: user.scuolaCodice, denominazione: user.scuolaDenominazione, esercizio: p.esercizio, mese: p.mese, generatoIl: now() };
      const contenuto = formato === 'cig.csv' ? cigCsv(listed.cig, h) : formato === 'cup.csv' ? cupCsv(listed.cup, h) : elenchiXml(listed.cig, listed.cup, h);
      const codici = formato === 'cig.csv' ? listed.cig.map((c) => c.codice) : formato === 'cup.csv' ? listed.cup.map((c) => c.codice) : [...listed.cig, ...listed.cup].map((c) => c.codice);
      await recordExport(knex, {
        scuolaId: p.scuolaId,
        utenteId: user.id,
        esercizio: p.esercizio,
        mese: p.mese,
        formato,
        hash: createHash('sha256').update(contenuto).digest('hex'),
        codici,
      });
      const periodo = p.mese ? `${p.esercizio}-${String(p.mese).padStart(2, '0')}` : String(p.esercizio);
      const [base, ext] = formato === 'xml' ? ['elenchi-cig-cup', 'xml'] : [formato === 'cig.csv' ? 'elenco-cig' : 'elenco-cup', 'csv'];
      return {
        ok: true,
        contenuto,
        nomeFile: `${base}-${user.scuolaCodice}-${periodo}.${ext}`,
        contentType: ext === 'xml' ? 'application/xml; charset=utf-8' : 'text/csv; charset=utf-8',
      };
    },
  };
}

export type FlussiService = ReturnType<typeof createFlussiService>;
