/**
 * The same-work floor (issue 18): a minimal server that does exactly the work of the
 * CIG list page (page 1, default order) and of the CIG record page, and nothing else:
 * read the session row with its user (the same SQL as the app), check the cookie's
 * signature, run the same SQL as the app's repositories (copied from `DEBUG=knex:query`)
 * as named prepared statements on raw `pg`, shape the rows as the repositories do, and
 * render the same EJS views with the same presenters and locals. No middleware beyond a
 * cookie parser: no helmet, no logger, no body parser, no CSRF check (the token is read
 * from the session, as the app's generateToken does on a GET), no session write.
 *   DATABASE_URL=… SESSION_SECRET=… PORT=3951 node --import tsx bench/floorSameWork.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request } from 'express';
import pg from 'pg';
// The app's type parsers (bigint as number, date as 'YYYY-MM-DD'): the rows must be the app's rows.
import '../src/db/database.js';
import { setUpViews } from '../src/views.js';
import { paths } from '../src/paths.js';
import { formatDateIt, todayIso, yearOf } from '../src/domain/dates.js';
import { parseCigSearch } from '../src/validation/cigSchemas.js';
import { parseListParams } from '../src/validation/listQuery.js';
import { clampPage } from '../src/services/results.js';
import { cigListPage, cigRecordPage } from '../src/presenters/cigPresenter.js';
import { columnPreference } from '../src/repositories/utentiRepository.js';
import { userLabel } from '../src/presenters/userPresenter.js';
import { PAGE_SESSION_MS } from '../src/middleware/session.js';
import { CIG_SORTS, type CigRow, type CigSortKey } from '../src/repositories/cigRepository.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const secret = process.env.SESSION_SECRET ?? '';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/** The app's statements, verbatim (the `limit $n` that knex's `.first()` adds included). */
const SQL = {
  session: `select "sn"."sess", "u"."id", "u"."username", "u"."nome", "u"."ruolo", "u"."preferenze", "u"."scuola_id" as "scuolaId", "s"."denominazione" as "scuolaDenominazione", "s"."codice_meccanografico" as "scuolaCodice", (not exists (select 1 from importazioni i where i.scuola_id = u.scuola_id and i.completata_at is not null)
      and (exists (select 1 from impegni d where d.scuola_id = u.scuola_id and (d.cig_testo ~ '\\S' or d.cup_testo ~ '\\S'))
        or exists (select 1 from mandati d where d.scuola_id = u.scuola_id and (d.cig_testo ~ '\\S' or d.cup_testo ~ '\\S'))
        or exists (select 1 from voci_destinazione v where v.scuola_id = u.scuola_id and v.cup_testo ~ '\\S'))) as "importazioneDaFare" from "session" as "sn" left join "utenti" as "u" on u.id = (sn.sess->>'userId')::bigint and "u"."attivo" = $1 left join "scuole" as "s" on "s"."id" = "u"."scuola_id" where "sn"."sid" = $2 and "sn"."expire" >= CURRENT_TIMESTAMP limit $3`,
  count: `select count(*)::int as n from "cig" as "c" where "c"."scuola_id" = $1 limit $2`,
  page: `select "c"."id", "c"."codice", "c"."famiglia", "c"."oggetto", "c"."data_generazione", "c"."data_scadenza_offerte", "c"."importo_cents", "c"."fornitore_id", "f"."denominazione" as "fornitore", "c"."scelta_contraente", "c"."stato", "c"."da_completare", "c"."note", "c"."version", "c"."created_at", "c"."updated_at" from "cig" as "c" left join "creditori" as "f" on "f"."scuola_id" = "c"."scuola_id" and "f"."id" = "c"."fornitore_id" where "c"."scuola_id" = $1 order by ${CIG_SORTS.codice} asc, c.id asc limit $2`,
  creditori: `select "id", "denominazione" from "creditori" where "scuola_id" = $1 order by "denominazione" asc, "id" asc`,
  cig: `select "c"."id", "c"."codice", "c"."famiglia", "c"."oggetto", "c"."data_generazione", "c"."data_scadenza_offerte", "c"."importo_cents", "c"."fornitore_id", "f"."denominazione" as "fornitore", "c"."scelta_contraente", "c"."stato", "c"."da_completare", "c"."note", "c"."version", "c"."created_at", "c"."updated_at" from "cig" as "c" left join "creditori" as "f" on "f"."scuola_id" = "c"."scuola_id" and "f"."id" = "c"."fornitore_id" where "c"."scuola_id" = $1 and "c"."id" = $2 limit $3`,
  usi: `(select $1::text as tabella, "id", "esercizio", "numero", "data", "oggetto" as "descrizione", "importo_cents", count(*) over ()::int as tutti, sum(importo_cents) over ()::bigint as totale from "impegni" where "scuola_id" = $2 and "cig_id" = $3 order by "esercizio" desc, "numero" desc limit $4) union all (select $5::text as tabella, "id", "esercizio", "numero", "data", "causale" as "descrizione", "importo_cents", count(*) over ()::int as tutti, sum(importo_cents) over ()::bigint as totale from "mandati" where "scuola_id" = $6 and "cig_id" = $7 order by "esercizio" desc, "numero" desc limit $8)`,
  ultimoInvio: `select max(e.created_at) as at from cig c join flussi_esportazioni e on e.scuola_id = c.scuola_id
       and (e.codici ? c.codice or e.codici ?| array(select a.dopo->>'codice' from audit_log a
    where a.scuola_id = c.scuola_id and a.entita = 'cig' and a.entita_id = c.id and a.dopo->>'codice' is not null
    union select a.prima->>'codice' from audit_log a
    where a.scuola_id = c.scuola_id and a.entita = 'cig' and a.entita_id = c.id and a.prima->>'codice' is not null))
     where c.scuola_id = $1 and c.id = $2`,
  fattureTotali: `select count(*)::int as n, coalesce(sum(case when f.tipo_documento = 'TD04' then -f.totale_cents else f.totale_cents end), 0)::bigint as fatturato_cents, coalesce(sum(f.pagato_cents), 0)::bigint as pagato_cents from "fatture" as "f" where "f"."scuola_id" = $1 and "f"."id" in (select "fattura_id" from "fatture_codici" where "scuola_id" = $2 and "tipo" = $3 and "codice" = $4 union select "id" from "fatture" where "scuola_id" = $5 and "cig" = $6) limit $7`,
  fatture: `select "f"."id", "f"."numero", "f"."data", "f"."tipo_documento", "f"."fornitore_denominazione", "f"."totale_cents", "f"."pagato_cents", "f"."stato" from "fatture" as "f" where "f"."scuola_id" = $1 and "f"."id" in (select "fattura_id" from "fatture_codici" where "scuola_id" = $2 and "tipo" = $3 and "codice" = $4 union select "id" from "fatture" where "scuola_id" = $5 and "cig" = $6) order by "f"."data" desc, "f"."id" desc limit $7`,
  history: `select "a"."id", "a"."azione", "a"."prima", "a"."dopo", "a"."created_at", "u"."nome" as "utente_nome" from "audit_log" as "a" left join "utenti" as "u" on "u"."scuola_id" = "a"."scuola_id" and "u"."id" = "a"."utente_id" where "a"."scuola_id" = $1 and "a"."entita" = $2 and "a"."entita_id" = $3 order by "a"."created_at" desc, "a"."id" desc limit $4`,
} as const;

/** A named prepared statement: parsed and planned once per connection, like the app's. */
const query = async <T = Record<string, unknown>>(name: keyof typeof SQL, values: unknown[]) => (await pool.query<T & pg.QueryResultRow>({ name, text: SQL[name], values })).rows;

/** express-session's cookie: "s:" + sid + "." + base64 HMAC-SHA256 without padding. */
function sessionId(req: Request): string | null {
  const raw = /(?:^|;\s*)bilancio\.sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (!raw) return null;
  const value = decodeURIComponent(raw);
  if (!value.startsWith('s:')) return null;
  const dot = value.lastIndexOf('.');
  const sid = value.slice(2, dot);
  const expected = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  const given = Buffer.from(value.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected)) ? sid : null;
}

type SessionRow = { sess: { csrfToken?: string; esercizio?: number }; id: number; nome: string; ruolo: 'segreteria' | 'admin'; preferenze: Record<string, unknown>; scuolaId: number; scuolaDenominazione: string; scuolaCodice: string; importazioneDaFare: boolean };

const app = express();
app.set('view cache', true);
app.set('query parser', 'simple');
setUpViews(app, path.join(root, 'views'));
Object.assign(app.locals, { paths, flash: [], errorList: [], fieldErrors: {}, sessioneDurataMs: PAGE_SESSION_MS });

/** The locals the app's middleware sets for a logged-in page. */
async function pageLocals(req: Request) {
  const sid = sessionId(req);
  const row = sid ? (await query<SessionRow>('session', [true, sid, 1]))[0] : undefined;
  if (!row) return null;
  const oggi = todayIso(new Date());
  const anno = yearOf(oggi);
  const user = { ...row, sess: undefined };
  return {
    user,
    locals: {
      user, userLabel: userLabel(row), csrfToken: row.sess.csrfToken ?? '', currentPath: req.path, oggi: formatDateIt(oggi),
      esercizio: row.sess.esercizio ?? anno, anniEsercizio: Array.from({ length: 7 }, (_, i) => anno + 1 - i), importazioneMancante: row.importazioneDaFare,
    },
  };
}

app.get('/cig', async (req, res) => {
  const page = await pageLocals(req);
  if (!page) return void res.redirect('/login');
  const { scuolaId } = page.user;
  const search = parseCigSearch(req.query);
  const requested = parseListParams<CigSortKey>(req.query, Object.keys(CIG_SORTS) as CigSortKey[], { ordina: 'codice', verso: 'asc' });
  const total = (await query<{ n: number }>('count', [scuolaId, 1]))[0]!.n;
  const params = clampPage(requested, total);
  const rows = await query<CigRow>('page', [scuolaId, params.perPagina]);
  const fornitori = await query<{ id: number; denominazione: string }>('creditori', [scuolaId]);
  res.render('cig/index', { ...page.locals, ...cigListPage({ rows, total, params, search, colonne: columnPreference(page.user.preferenze, 'cig'), fornitori }) });
});

app.get('/cig/:id', async (req, res) => {
  const page = await pageLocals(req);
  if (!page) return void res.redirect('/login');
  const { scuolaId } = page.user;
  const id = Number(req.params.id);
  const cig = (await query<CigRow>('cig', [scuolaId, id, 1]))[0];
  if (!cig) return void res.status(404).end();
  const [usiRows, history, ultimo, fattureRows, totali] = await Promise.all([
    query<{ tabella: string; id: number; esercizio: number; numero: number; data: string; descrizione: string; importo_cents: number; tutti: number; totale: string }>('usi', ['impegni', scuolaId, id, 100, 'mandati', scuolaId, id, 100]),
    query('history', [scuolaId, 'cig', id, 200]),
    query<{ at: Date | null }>('ultimoInvio', [scuolaId, id]),
    query('fatture', [scuolaId, scuolaId, 'cig', cig.codice, scuolaId, cig.codice, 100]),
    query<{ n: number; fatturato_cents: string; pagato_cents: string }>('fattureTotali', [scuolaId, scuolaId, 'cig', cig.codice, scuolaId, cig.codice, 1]),
  ]);
  const uso = (tabella: string) => {
    const mine = usiRows.filter((r) => r.tabella === tabella);
    return { righe: mine.map(({ id, esercizio, numero, data, descrizione, importo_cents }) => ({ id, esercizio, numero, data, descrizione, importo_cents })), numero: mine[0]?.tutti ?? 0, totaleCents: Number(mine[0]?.totale ?? 0) };
  };
  const t = totali[0];
  const fatture = { rows: fattureRows, totali: { n: Number(t?.n ?? 0), fatturato_cents: Number(t?.fatturato_cents ?? 0), pagato_cents: Number(t?.pagato_cents ?? 0) } };
  res.render('cig/show', {
    ...page.locals,
    ...cigRecordPage({ cig, usi: { impegni: uso('impegni'), mandati: uso('mandati') }, history: history as never, ultimoInvio: ultimo[0]?.at ?? null, today: new Date(), fatture: fatture as never }),
  });
});

app.listen(Number(process.env.PORT ?? 3951), '127.0.0.1');
