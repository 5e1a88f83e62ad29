import { Router, type Request, type Response } from 'express';
import busboy from 'busboy';
import type { FattureCaricamento, FileRicevuto } from '../services/fattureCaricamento.js';
import { currentUser } from '../middleware/auth.js';
import { csrfTokenMatches } from '../middleware/csrf.js';
import { caricaFatturePage } from '../presenters/caricaFatturePresenter.js';
import { paths } from '../paths.js';

/** The largest upload from the browser: the files of a month, or a zip of a thousand invoices, fit well within it. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Files chosen at once (a zip counts as one). */
const MAX_FILES = 500;

type Upload = { ok: true; files: FileRicevuto[] } | { ok: false; status: 403 | 413 | 422; message: string };

const MESSAGES = {
  csrf: 'Token CSRF non valido',
  noFile: 'Scegli uno o più file da caricare: fatture .xml o .xml.p7m, i metadati _MT_ dello SdI, o uno .zip che li contiene.',
  tooLarge: `Il caricamento supera ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: una fattura elettronica pesa pochi kB, controlla di aver scelto i file giusti o caricali in più volte. Nulla è stato salvato.`,
  tooMany: `Al massimo ${MAX_FILES} file per volta: raccoglili in uno .zip o caricali in più volte. Nulla è stato salvato.`,
  malformed: 'Il caricamento non è arrivato intero: riprova. Nulla è stato salvato.',
};

/**
 * Reads the multipart upload into memory within its caps: the `_csrf` field
 * (first in the form) is checked before any file is read; past a cap the rest
 * is drained and nothing is kept, so a refused upload stores nothing.
 */
function readUpload(req: Request): Promise<Upload> {
  return new Promise((resolve) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: MAX_FILES, fileSize: MAX_UPLOAD_BYTES, fields: 5, fieldSize: 1024, parts: MAX_FILES + 5 } });
    } catch {
      resolve({ ok: false, status: 422, message: MESSAGES.noFile });
      return;
    }
    let token: string | undefined;
    let refusal: Upload | null = null;
    let total = 0;
    const files: FileRicevuto[] = [];
    const reading: Promise<void>[] = [];
    const refuse = (r: Upload) => {
      refusal ??= r;
      files.length = 0;
    };

    bb.on('field', (name, value) => {
      if (name === '_csrf') token = value;
    });
    bb.on('file', (name, stream, info) => {
      if (refusal || name !== 'file' || !info.filename) {
        stream.resume();
        return;
      }
      if (!csrfTokenMatches(req, token)) {
        refuse({ ok: false, status: 403, message: MESSAGES.csrf });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      reading.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > MAX_UPLOAD_BYTES) refuse({ ok: false, status: 413, message: MESSAGES.tooLarge });
            if (!refusal) chunks.push(chunk);
          });
          stream.on('limit', () => refuse({ ok: false, status: 413, message: MESSAGES.tooLarge }));
          stream.on('close', () => {
            if (!refusal) files.push({ nome: info.filename, bytes: Buffer.concat(chunks) });
            done();
          });
          stream.on('error', () => done());
        }),
      );
    });
    bb.on('filesLimit', () => refuse({ ok: false, status: 413, message: MESSAGES.tooMany }));
    bb.on('error', () => resolve({ ok: false, status: 422, message: MESSAGES.malformed }));
    bb.on('close', () => {
      void Promise.all(reading).then(() => {
        if (refusal) return resolve(refusal);
        if (!csrfTokenMatches(req, token)) return resolve({ ok: false, status: 403, message: MESSAGES.csrf });
        if (files.length === 0) return resolve({ ok: false, status: 422, message: MESSAGES.noFile });
        resolve({ ok: true, files });
      });
    });
    req.pipe(bb);
  });
}

/** Gestisci → Fatture elettroniche → Carica fatture: the upload and its answer, one line per file. */
export function fattureCaricaRouter(service: FattureCaricamento) {
  const router = Router();
  const page = paths.fatture.carica;
  const render = (res: Response, extra: object = {}) =>
    res.render('fatture/carica', { title: 'Carica fatture elettroniche', maxMb: MAX_UPLOAD_BYTES / 1024 / 1024, maxFiles: MAX_FILES, esiti: null, ...extra });

  router.get(page, (_req, res) => render(res));

  router.post(page, async (req, res) => {
    if (!req.is('multipart/form-data')) {
      res.status(422);
      return render(res, { errorMessage: MESSAGES.noFile });
    }
    const upload = await readUpload(req);
    if (!upload.ok) {
      res.status(upload.status);
      if (upload.status === 403) return res.render('errors/403', { title: 'Accesso non consentito' });
      return render(res, { errorMessage: upload.message });
    }
    const user = currentUser(req);
    const esiti = await service.carica(user, upload.files);
    req.log.info({ scuolaId: user.scuolaId, file: esiti.length, esiti: esiti.map((e) => e.esito) }, 'Fatture caricate');
    // Every file refused: the upload as a whole is refused (422), with each file's reason.
    res.status(esiti.every((e) => e.esito === 'rifiutato') ? 422 : 200);
    render(res, caricaFatturePage(esiti));
  });

  return router;
}
