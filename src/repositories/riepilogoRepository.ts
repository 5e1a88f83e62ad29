import { sameSchool } from '../db/sameSchool.js';
import type { Db } from '../db/types.js';

/** The school's figures at a glance for one esercizio (home page). */
export async function figuresForEsercizio(db: Db, scuolaId: number, esercizio: number) {
  const [impegni, mandati, pagatoSuImpegni, registri, importazione] = await Promise.all([
    db('impegni')
      .where({ scuola_id: scuolaId, esercizio })
      .first(db.raw('count(*)::int as numero'), db.raw('coalesce(sum(importo_cents), 0)::bigint as totale')),
    db('mandati')
      .where({ scuola_id: scuolaId, esercizio })
      .whereNull('annullato_at')
      .first(db.raw('count(*)::int as numero'), db.raw('coalesce(sum(importo_cents), 0)::bigint as totale')),
    // Paid on this esercizio's impegni, whatever the year of the mandato (residui).
    db('mandati as m')
      .join('impegni as i', sameSchool('i', 'm', 'impegno_id'))
      .where({ 'i.scuola_id': scuolaId, 'i.esercizio': esercizio })
      .whereNull('m.annullato_at')
      .first(db.raw('coalesce(sum(m.importo_cents), 0)::bigint as totale')),
    db
      .select(
        db.raw('(select count(*)::int from cig where scuola_id = ?) as cig', [scuolaId]),
        db.raw('(select count(*)::int from cup where scuola_id = ?) as cup', [scuolaId]),
        db.raw('(select count(*)::int from voci_destinazione where scuola_id = ? and esercizio = ?) as voci', [
          scuolaId,
          esercizio,
        ]),
      )
      .first(),
    db('importazioni').where({ scuola_id: scuolaId }).whereNotNull('completata_at').orderBy('completata_at', 'desc').first('completata_at'),
  ]);
  return {
    impegni: { numero: Number(impegni?.numero ?? 0), totaleCents: Number(impegni?.totale ?? 0) },
    mandati: { numero: Number(mandati?.numero ?? 0), totaleCents: Number(mandati?.totale ?? 0) },
    pagatoSuImpegniCents: Number(pagatoSuImpegni?.totale ?? 0),
    cig: Number(registri?.cig ?? 0),
    cup: Number(registri?.cup ?? 0),
    voci: Number(registri?.voci ?? 0),
    importazioneEseguitaIl: (importazione?.completata_at as Date | undefined) ?? null,
  };
}
