import { formatVoceCodice } from '../domain/piano.js';
import { formatDateIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import type { Uso, VoceUso } from '../repositories/usiRepository.js';
import { paths } from '../paths.js';

export type UsesInput = { impegni: Uso; mandati: Uso; voci?: VoceUso[] };

/**
 * "Dove è usato" and the totals of a CIG or CUP: importo (of the CIG, or
 * finanziato for a CUP), impegnato, pagato, residuo, with a warning when the
 * impegni exceed the importo.
 */
/** 'A03/13' (sottovoce up to 999 in the database, so not through the strict domain formatter). */
export function presentUses(u: UsesInput, importoCents: number | null) {
  const doc = (kind: 'impegno' | 'mandato') => (d: Uso['righe'][number]) => ({
    label: `${kind === 'impegno' ? 'Impegno' : 'Mandato'} n. ${d.numero}/${d.esercizio}`,
    href: kind === 'impegno' ? paths.impegni.show(d.id) : paths.mandati.show(d.id),
    data: formatDateIt(d.data),
    descrizione: d.descrizione,
    importo: formatEuro(d.importo_cents),
  });
  const impegnato = u.impegni.totaleCents;
  const pagato = u.mandati.totaleCents;
  return {
    impegni: u.impegni.righe.map(doc('impegno')),
    impegniAltri: Math.max(0, u.impegni.numero - u.impegni.righe.length),
    mandati: u.mandati.righe.map(doc('mandato')),
    mandatiAltri: Math.max(0, u.mandati.numero - u.mandati.righe.length),
    voci: (u.voci ?? []).map((v) => ({
      label: `${formatVoceCodice(v)} – ${v.descrizione}`,
      esercizio: v.esercizio,
      href: paths.piano.list({ esercizio: v.esercizio }),
    })),
    inUso: u.impegni.numero + u.mandati.numero + (u.voci?.length ?? 0) > 0,
    totali: {
      importo: importoCents === null ? '—' : formatEuro(importoCents),
      impegnato: formatEuro(impegnato),
      pagato: formatEuro(pagato),
      residuo: importoCents === null ? '—' : formatEuro(importoCents - impegnato),
      daPagare: formatEuro(impegnato - pagato),
    },
    superato: importoCents !== null && impegnato > importoCents,
    avviso:
      importoCents !== null && impegnato > importoCents
        ? `Gli impegni (${formatEuro(impegnato)}) superano l’importo (${formatEuro(importoCents)}) di ${formatEuro(impegnato - importoCents)}.`
        : null,
  };
}
