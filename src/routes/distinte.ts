import { Router, type Request, type Response } from 'express';
import type { DistinteService } from '../services/distinteService.js';
import { currentUser } from '../middleware/auth.js';
import { esercizioInUso, flash } from '../middleware/locals.js';
import { notFound } from '../middleware/errors.js';
import { cassierePage, distintaPage } from '../presenters/distintePresenter.js';
import { readUpload } from './upload.js';
import { withId } from './helpers.js';
import { paths } from '../paths.js';

const ESITO_LIMITS = {
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 20,
  messages: {
    noFile: 'Scegli il file dell’esito applicativo ricevuto dal cassiere (XML OPI_MSG_ESITO_APPLICATIVO).',
    tooLarge: 'Il caricamento supera 10 MB: un esito del cassiere pesa pochi kB, controlla di aver scelto il file giusto. Nulla è stato salvato.',
    tooMany: 'Al massimo 20 esiti per volta. Nulla è stato salvato.',
  },
};

/** The query string of the page (its filters), kept so that every fix and every answer comes back to the same list. */
function pageQuery(source: Record<string, unknown>) {
  const pick = (k: string) => (typeof source[k] === 'string' && source[k] ? (source[k] as string) : undefined);
  return { data_da: pick('data_da'), data_a: pick('data_a'), numero_da: pick('numero_da'), numero_a: pick('numero_a') };
}

/** Flussi → Mandati al cassiere: the check, Crea distinta, the distinte with their files, and the bank's answers. */
export function distinteRouter(distinte: DistinteService) {
  const router = Router();

  async function render(req: Request, res: Response, status: number, query: Record<string, unknown>, extra: object = {}) {
    const user = currentUser(req);
    const esercizio = esercizioInUso(req);
    const data = await distinte.page(user.scuolaId, esercizio, query);
    const ritorno = paths.cassiere.page(pageQuery(query));
    res.status(data.errors ? 422 : status).render('flussi/cassiere', {
      ...cassierePage({ ...data, esercizio, ritorno, isAdmin: user.ruolo === 'admin' }),
      ...extra,
    });
  }

  router.get(paths.cassiere.page(), (req, res) => render(req, res, 200, req.query));

  router.post(paths.cassiere.crea, async (req, res) => {
    const user = currentUser(req);
    const result = await distinte.crea(user, esercizioInUso(req), req.body);
    if (result.ok) {
      req.log.info({ scuolaId: user.scuolaId, distinta: result.numero, mandati: result.mandati }, 'Distinta OPI creata');
      flash(req, 'success', `Distinta n. ${result.numero} creata con ${result.mandati} ${result.mandati === 1 ? 'mandato' : 'mandati'}: scaricala e firmala con il canale della scuola, poi inviala al cassiere.`);
      return res.redirect(303, paths.cassiere.distinta(result.flussoId));
    }
    const query = pageQuery(req.body as Record<string, unknown>);
    if (result.kind === 'invalid') return render(req, res, 422, query);
    if (result.kind === 'schema') {
      // A file that fails the official schema is a defect of the program: nothing was stored.
      req.log.error({ scuolaId: user.scuolaId, violations: result.violations }, 'Distinta OPI non valida secondo lo schema');
      return render(req, res, 500, query, {
        errorMessage: 'Il file prodotto non rispetta lo schema OPI 1.7.1: è un errore del programma, non dei dati. Nessuna distinta è stata creata; segnala all’assistenza i messaggi qui sotto.',
        violations: result.violations,
      });
    }
    return render(req, res, 409, query, { errorMessage: result.message });
  });

  router.get(paths.cassiere.route.distinta, withId(async (req, res, id) => {
    const d = await distinte.show(currentUser(req).scuolaId, id);
    if (!d) return notFound(req, res);
    res.render('flussi/distinta', distintaPage(d));
  }));

  router.get(paths.cassiere.route.file, withId(async (req, res, id) => {
    const f = await distinte.file(currentUser(req).scuolaId, id);
    if (!f) return notFound(req, res);
    res.type('application/xml').attachment(f.nome_file).send(f.contenuto);
  }));

  router.post(paths.cassiere.esiti, async (req, res) => {
    if (!req.is('multipart/form-data')) return render(req, res, 422, {}, { esitiErrori: [{ testo: ESITO_LIMITS.messages.noFile, violazioni: [] }] });
    const upload = await readUpload(req, ESITO_LIMITS);
    if (!upload.ok) {
      if (upload.status === 403) return res.status(403).render('errors/403', { title: 'Accesso non consentito' });
      return render(req, res, upload.status, {}, { esitiErrori: [{ testo: upload.message, violazioni: [] }] });
    }
    const user = currentUser(req);
    const messaggi: string[] = [];
    const errori: { testo: string; violazioni: string[] }[] = [];
    let ultimo: number | null = null;
    for (const file of upload.files) {
      const r = await distinte.caricaEsito(user, file);
      if (!r.ok) {
        errori.push({ testo: `${file.nome}: ${r.message}`, violazioni: r.violations ?? [] });
        continue;
      }
      ultimo = r.flussoId;
      messaggi.push(r.giaCaricato
        ? `${file.nome}: esito già caricato per la distinta n. ${r.numero}, nulla è cambiato.`
        : `${file.nome}: distinta n. ${r.numero}, ${r.accettati} ${r.accettati === 1 ? 'mandato accettato' : 'mandati accettati'} e ${r.rifiutati} ${r.rifiutati === 1 ? 'rifiutato' : 'rifiutati'}${r.sconosciuti.length ? `; l’esito cita mandati che la distinta non conteneva (n. ${r.sconosciuti.join(', ')}): controllali con il cassiere` : ''}.`);
    }
    // Every file answered on its own: those read are stored, those refused say why.
    if (errori.length) return render(req, res, 422, {}, { esitiCaricati: messaggi, esitiErrori: errori });
    flash(req, 'success', messaggi.join(' '));
    res.redirect(303, upload.files.length === 1 && ultimo !== null ? paths.cassiere.distinta(ultimo) : paths.cassiere.page());
  });

  return router;
}
