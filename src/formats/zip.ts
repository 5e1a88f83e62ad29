/**
 * Reading a `.zip` of invoices without trusting it: a zip bomb declares small
 * sizes and inflates to gigabytes, so every limit is checked twice, on the
 * sizes the archive DECLARES (before inflating anything) and on the bytes
 * ACTUALLY inflated (counted as they come; the stream is destroyed as soon as
 * a limit is passed, so memory never holds more than the cap).
 *
 * Library: yauzl, chosen because it reads the central directory (the real
 * list of entries, not the local headers a crafted file can repeat), reads a
 * Buffer without touching the disk, streams each entry, and itself fails a
 * stream that inflates past its declared size (validateEntrySizes). It is
 * asynchronous and built on Node streams and zlib, hence a service and not
 * src/domain.
 *
 * Paths inside the archive are ignored (only the file name is kept: no
 * `../` can ever matter), folders and macOS metadata are skipped, and nested
 * zips are not opened (reported as skipped).
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

type ZipLimits = {
  /** Entries in the archive (folders included: they are in the central directory too). */
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries together. */
  maxTotalBytes: number;
};

const MB = 1024 * 1024;
const DEFAULT_LIMITS: ZipLimits = { maxEntries: 2_000, maxEntryBytes: 10 * MB, maxTotalBytes: 200 * MB };

type ZipEntry = { name: string; bytes: Buffer };
/** An entry left out, with the reason (Italian, for the per-file result). */
type ZipSkipped = { name: string; motivo: string };
type ZipReading = { ok: true; entries: ZipEntry[]; skipped: ZipSkipped[] } | { ok: false; motivo: string };

class Rifiuto extends Error {}

const megabytes = (bytes: number) => `${(bytes / MB).toLocaleString('it-IT', { maximumFractionDigits: 1 })} MB`;
const count = new Intl.NumberFormat('it-IT', { useGrouping: 'always' }).format;

/**
 * The entry's path as text. yauzl is asked for raw names (decodeStrings off)
 * because its own decoding refuses a whole archive over one odd path
 * (`../x.xml`, `C:\x.xml`), and paths are dropped here anyway. Without the
 * UTF-8 flag a name is CP437; latin1 reads its ASCII part the same.
 */
function pathOf(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  if (typeof raw === 'string') return raw;
  return raw.toString(entry.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1');
}

/** The file name without any folder (zips written on Windows use backslashes too). */
function baseName(path: string): string {
  return path.split(/[/\\]/).pop() ?? '';
}

function bomb(name: string, limits: ZipLimits): Rifiuto {
  return new Rifiuto(
    `Il file «${name}» dentro lo zip, una volta decompresso, supera ${megabytes(limits.maxEntryBytes)} ` +
      'o è più grande di quanto dichiara: lo zip è danneggiato o costruito per saturare il server, e non viene letto.',
  );
}

/** Inflate one entry, counting the bytes; destroyed as soon as a limit is passed. */
async function readEntry(zip: ZipFile, entry: Entry, name: string, limits: ZipLimits, total: { bytes: number }): Promise<Buffer> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      total.bytes += chunk.length;
      if (size > limits.maxEntryBytes) throw bomb(name, limits);
      if (total.bytes > limits.maxTotalBytes) {
        throw new Rifiuto(`Lo zip, una volta decompresso, supera ${megabytes(limits.maxTotalBytes)}: dividilo in più archivi più piccoli.`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    stream.destroy();
    // yauzl's own check: the entry inflates past the size it declares.
    if (err instanceof Error && /too many bytes in the stream/.test(err.message)) throw bomb(name, limits);
    throw err;
  }
  return Buffer.concat(chunks);
}

/** The entries of a zip held in memory, or why it is refused. */
export async function readZipSafe(zip: Buffer, limits: ZipLimits = DEFAULT_LIMITS): Promise<ZipReading> {
  let file: ZipFile;
  try {
    file = await yauzl.fromBufferPromise(zip, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false });
  } catch {
    return { ok: false, motivo: 'Il file .zip è danneggiato o non è un archivio zip: crealo di nuovo o carica i file uno per uno.' };
  }
  if (file.entryCount > limits.maxEntries) {
    file.close();
    return {
      ok: false,
      motivo: `Lo zip contiene ${count(file.entryCount)} file: al massimo se ne leggono ${count(limits.maxEntries)} per archivio. Dividilo in più archivi.`,
    };
  }

  const entries: ZipEntry[] = [];
  const skipped: ZipSkipped[] = [];
  const total = { bytes: 0 };
  let declaredTotal = 0;
  try {
    for await (const entry of file.eachEntry()) {
      const path = pathOf(entry);
      const name = baseName(path);
      if (path.endsWith('/') || name === '') continue; // a folder
      if (/(^|[/\\])__MACOSX[/\\]/.test(path) || name.startsWith('._') || name === '.DS_Store') continue;
      if (/\.zip$/i.test(name)) {
        skipped.push({ name, motivo: 'Zip dentro lo zip: non viene aperto. Caricalo a parte.' });
        continue;
      }
      if (entry.isEncrypted()) {
        skipped.push({ name, motivo: 'File protetto da password: non si può leggere. Caricalo a parte, senza password.' });
        continue;
      }
      if (entry.uncompressedSize > limits.maxEntryBytes) throw bomb(name, limits);
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        throw new Rifiuto(`Lo zip, una volta decompresso, supera ${megabytes(limits.maxTotalBytes)}: dividilo in più archivi più piccoli.`);
      }
      entries.push({ name, bytes: await readEntry(file, entry, name, limits, total) });
    }
  } catch (err) {
    file.close();
    if (err instanceof Rifiuto) return { ok: false, motivo: err.message };
    return { ok: false, motivo: 'Il file .zip è danneggiato e non si può leggere per intero. Crealo di nuovo o carica i file uno per uno.' };
  }
  return { ok: true, entries, skipped };
}
