import type { Request } from 'express';
import busboy from 'busboy';
import { csrfTokenMatches } from '../middleware/csrf.js';
import type { FileRicevuto } from '../services/fattureCaricamento.js';

/** The caps of one upload form and what it says when they are passed. */
export type UploadLimits = { maxBytes: number; maxFiles: number; messages: { noFile: string; tooLarge: string; tooMany: string } };

type Upload = { ok: true; files: FileRicevuto[] } | { ok: false; status: 403 | 413 | 422; message: string };

const COMMON = {
  csrf: 'Token CSRF non valido',
  malformed: 'Il caricamento non è arrivato intero: riprova. Nulla è stato salvato.',
};

/**
 * Reads the multipart upload into memory within its caps: the `_csrf` field
 * (first in the form) is checked before any file is read; past a cap the rest
 * is drained and nothing is kept, so a refused upload stores nothing.
 */
export function readUpload(req: Request, limits: UploadLimits): Promise<Upload> {
  const { maxBytes, maxFiles, messages } = limits;
  return new Promise((resolve) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: maxFiles, fileSize: maxBytes, fields: 5, fieldSize: 1024, parts: maxFiles + 5 } });
    } catch {
      resolve({ ok: false, status: 422, message: messages.noFile });
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
        refuse({ ok: false, status: 403, message: COMMON.csrf });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      reading.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > maxBytes) refuse({ ok: false, status: 413, message: messages.tooLarge });
            if (!refusal) chunks.push(chunk);
          });
          stream.on('limit', () => refuse({ ok: false, status: 413, message: messages.tooLarge }));
          stream.on('close', () => {
            if (!refusal) files.push({ nome: info.filename, bytes: Buffer.concat(chunks) });
            done();
          });
          stream.on('error', () => done());
        }),
      );
    });
    bb.on('filesLimit', () => refuse({ ok: false, status: 413, message: messages.tooMany }));
    bb.on('error', () => resolve({ ok: false, status: 422, message: COMMON.malformed }));
    bb.on('close', () => {
      void Promise.all(reading).then(() => {
        if (refusal) return resolve(refusal);
        if (!csrfTokenMatches(req, token)) return resolve({ ok: false, status: 403, message: COMMON.csrf });
        if (files.length === 0) return resolve({ ok: false, status: 422, message: messages.noFile });
        resolve({ ok: true, files });
      });
    });
    req.pipe(bb);
  });
}
