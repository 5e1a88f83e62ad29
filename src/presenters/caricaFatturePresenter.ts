import { formatDateIt } from '../domain/dates.js';
import type { EsitoFile, FatturaCaricata } from '../services/fattureCaricamento.js';
import { paths } from '../paths.js';

/** The answer to an upload: one row per file, and a summary that counts invoices, not files. */

const COUNT = new Intl.NumberFormat('it-IT', { useGrouping: 'always' });
const plural = (n: number, one: string, many: string) => `${COUNT.format(n)} ${n === 1 ? one : many}`;

const fatturaLink = (f: FatturaCaricata) => ({
  href: paths.fatture.show(f.id),
  label: `n. ${f.numero} del ${formatDateIt(f.data)} – ${f.fornitore}`,
  nuova: f.nuova,
});

const ESITI = {
  registrata: { label: 'Registrata', cls: 'bg-success' },
  gia_presente: { label: 'Già presente', cls: 'bg-secondary' },
  metadati: { label: 'Metadati SdI', cls: 'bg-info text-dark' },
  rifiutato: { label: 'Rifiutato', cls: 'bg-danger' },
} as const;

function message(e: EsitoFile): string {
  switch (e.esito) {
    case 'registrata':
      return e.avvisi.length
        ? 'Registrata, ma il file non rispetta lo schema FatturaPA: controlla le segnalazioni qui sotto.'
        : e.fatture.length > 1 ? `Lotto di ${e.fatture.length} documenti.` : '';
    case 'gia_presente':
      return 'Questa fattura era già stata caricata: nulla è cambiato.';
    case 'metadati':
      return e.fattureAggiornate > 0
        ? `Identificativo SdI ${e.identificativoSdi} registrato sulla fattura ${e.nomeFattura}.`
        : `Identificativo SdI ${e.identificativoSdi} conservato: verrà collegato alla fattura ${e.nomeFattura} quando la caricherai.`;
    case 'rifiutato':
      return `${e.motivo} Nulla è stato salvato per questo file.`;
  }
}

export function caricaFatturePage(esiti: EsitoFile[]) {
  const lette = esiti.flatMap((e) => (e.esito === 'registrata' || e.esito === 'gia_presente' ? e.fatture : []));
  const nuove = lette.filter((f) => f.nuova).length;
  const presenti = lette.length - nuove;
  const rifiutati = esiti.filter((e) => e.esito === 'rifiutato').length;
  const conAvvisi = esiti.filter((e) => e.esito === 'registrata' && e.avvisi.length > 0).length;
  const parts = [
    plural(nuove, 'fattura registrata', 'fatture registrate'),
    ...(presenti ? [plural(presenti, 'già presente', 'già presenti')] : []),
    ...(rifiutati ? [plural(rifiutati, 'file rifiutato', 'file rifiutati')] : []),
    ...(conAvvisi ? [plural(conAvvisi, 'file con segnalazioni dello schema', 'file con segnalazioni dello schema')] : []),
  ];
  return {
    esiti: esiti.map((e) => ({
      nome: e.nome,
      ...ESITI[e.esito],
      messaggio: message(e),
      fatture: e.esito === 'registrata' || e.esito === 'gia_presente' ? e.fatture.map(fatturaLink) : [],
      avvisi: e.esito === 'registrata' ? e.avvisi : [],
      storni: e.esito === 'registrata' ? e.storni : [],
    })),
    riepilogo: `${parts.join(', ')}.`,
    riepilogoCls: rifiutati === esiti.length ? 'alert-danger' : rifiutati || conAvvisi ? 'alert-warning' : 'alert-success',
    links: { list: paths.fatture.list(), daCollegare: paths.fatture.list({ stato: 'da_collegare' }) },
  };
}
