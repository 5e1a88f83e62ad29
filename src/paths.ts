/** Every URL of the app in one place: handlers, redirects and templates use these. */
export type QueryValue = string | number | undefined | readonly string[];
export type QueryParams = Record<string, QueryValue>;

const withQuery = (base: string, query?: QueryParams) => {
  if (!query) return base;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else if (v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
};

/** `url` with more query parameters (e.g. the document page with the new cig_id). */
export function addQuery(url: string, query: QueryParams): string {
  const [base = '', existing = ''] = url.split('?', 2);
  const params = new URLSearchParams(existing);
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string' || typeof v === 'number') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/**
 * The one guard for a return address taken from the request (`ritorno` after login,
 * the header's year change, the + form that comes back to its document): a path on
 * this site, or null. Browsers forgive a lot in a Location header (`/\\x`, `/\t/x` and
 * `/%5Cx` after decoding all reach another host), so only a plain ASCII path is
 * accepted: one leading slash, no backslash, no white space or control character,
 * no look-alike of a slash or a dot, and the same once percent-decoded.
 */
export function safeReturnPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return null;
  if (!SAFE_PATH.test(value)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return null;
  }
  return decoded.startsWith('/') && !/^\/[/\\]/.test(decoded) && !decoded.includes('\\') && !hasControlCharacter(decoded)
    ? value
    : null;
}

const hasControlCharacter = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** `/` then anything but `/` or `\`, in the characters of a URL's path and query (RFC 3986), nothing else. */
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$/;

/** A return address inside `base` only (e.g. back to the list with its search), else `base`. */
export function returnWithin(base: string, value: unknown): string {
  const path = safeReturnPath(value);
  return path !== null && (path === base || path.startsWith(`${base}?`)) ? path : base;
}

/** The URLs of one register (CIG, CUP, …): the same shape for each. */
function registro(base: string) {
  return {
    list: (query?: QueryParams) => withQuery(base, query),
    nuovo: `${base}/nuovo`,
    create: base,
    exportCsv: (query?: QueryParams) => withQuery(`${base}/export.csv`, query),
    exportXlsx: (query?: QueryParams) => withQuery(`${base}/export.xlsx`, query),
    colonne: `${base}/colonne`,
    show: (id: number) => `${base}/${id}`,
    edit: (id: number) => `${base}/${id}/modifica`,
    update: (id: number) => `${base}/${id}`,
    annulla: (id: number) => `${base}/${id}/annulla`,
    riattiva: (id: number) => `${base}/${id}/riattiva`,
    elimina: (id: number) => `${base}/${id}/elimina`,
    /** Route patterns for the router (the `:id` forms of the URLs above). */
    route: {
      show: `${base}/:id`,
      edit: `${base}/:id/modifica`,
      annulla: `${base}/:id/annulla`,
      riattiva: `${base}/:id/riattiva`,
      elimina: `${base}/:id/elimina`,
    },
  };
}

export type RegistroPaths = ReturnType<typeof registro>;

/** The URLs of a document or anagrafica (impegni, mandati, creditori): list, new (with preselections), record, edit. */
function documento(base: string) {
  return {
    list: (query?: QueryParams) => withQuery(base, query),
    nuovo: (query?: QueryParams) => withQuery(`${base}/nuovo`, query),
    create: base,
    /** The list's exports and column choice (impegni, mandati: the registers' way). */
    exportCsv: (query?: QueryParams) => withQuery(`${base}/export.csv`, query),
    exportXlsx: (query?: QueryParams) => withQuery(`${base}/export.xlsx`, query),
    colonne: `${base}/colonne`,
    show: (id: number) => `${base}/${id}`,
    edit: (id: number, query?: QueryParams) => withQuery(`${base}/${id}/modifica`, query),
    update: (id: number) => `${base}/${id}`,
    /** The one-click decisions on a document's legacy CIG/CUP text. */
    testoOriginale: (id: number) => `${base}/${id}/testo-originale`,
    /** Delete (mandati only: the last of its esercizio). */
    elimina: (id: number) => `${base}/${id}/elimina`,
    /** The + of a picker without JavaScript: keeps the form's values as a draft, then opens the register's form (`modifica`: the record edited). */
    bozza: (id?: number) => withQuery(`${base}/bozza`, id ? { modifica: id } : undefined),
    /** What the save would warn about, asked by the form's script as the user edits (JSON). */
    verifica: (id?: number) => withQuery(`${base}/verifica`, id ? { modifica: id } : undefined),
    route: {
      show: `${base}/:id`, edit: `${base}/:id/modifica`, testoOriginale: `${base}/:id/testo-originale`, elimina: `${base}/:id/elimina`, bozza: `${base}/bozza`, verifica: `${base}/verifica`,
    },
  };
}

export type DocumentoPaths = ReturnType<typeof documento>;

export const paths = {
  home: '/',
  health: '/health',
  login: '/login',
  logout: '/logout',
  esercizio: '/esercizio',
  /** Resta collegato: a background POST (CSRF) that renews the session before it ends (public/js/sessione.js). */
  sessioneRinnova: '/sessione/rinnova',
  /** The in-app Guida: what CIG, CUP, the import and the payments mean here, with links to the pages. */
  guida: '/guida',
  cig: registro('/cig'),
  cup: registro('/cup'),
  impegni: documento('/impegni'),
  mandati: documento('/mandati'),
  creditori: documento('/creditori'),
  /** Impostazioni → Bilancio → Piano delle destinazioni: its voci, per esercizio. */
  piano: {
    list: (query?: QueryParams) => withQuery('/impostazioni/piano-destinazioni', query),
    nuova: (query?: QueryParams) => withQuery('/impostazioni/piano-destinazioni/nuova', query),
    create: '/impostazioni/piano-destinazioni',
    edit: (id: number) => `/impostazioni/piano-destinazioni/${id}/modifica`,
    update: (id: number) => `/impostazioni/piano-destinazioni/${id}`,
    route: { edit: '/impostazioni/piano-destinazioni/:id/modifica', update: '/impostazioni/piano-destinazioni/:id' },
  },
  impostazioni: {
    importazione: '/impostazioni/importazione',
    importazioneCorrezione: '/impostazioni/importazione/correzione',
    importazioneReport: (id: number) => `/impostazioni/importazione/${id}`,
    importazioneCsv: (id: number) => `/impostazioni/importazione/${id}/report.csv`,
    /** Completing the registers from ANAC / OpenCUP open data: upload (multipart) and apply. */
    datiAperti: '/impostazioni/dati-aperti',
    datiApertiApplica: '/impostazioni/dati-aperti/applica',
    /** The school's identity towards its bank (SIOPE+ OPI) and the defaults of its mandati. */
    scuola: '/impostazioni/scuola',
    /** The piano dei conti and each conto's SIOPE classification (`senza_siope=1`: only the conti without a codice SIOPE). */
    conti: {
      list: (query?: QueryParams) => withQuery('/impostazioni/conti', query),
      edit: (id: number, query?: QueryParams) => withQuery(`/impostazioni/conti/${id}/modifica`, query),
      update: (id: number, query?: QueryParams) => withQuery(`/impostazioni/conti/${id}`, query),
      route: { edit: '/impostazioni/conti/:id/modifica', update: '/impostazioni/conti/:id' },
    },
  },
  /** Gestisci → Fatture elettroniche: the register of received invoices, the upload, one invoice's page and its actions. */
  fatture: {
    list: (query?: QueryParams) => withQuery('/fatture', query),
    carica: '/fatture/carica',
    exportCsv: (query?: QueryParams) => withQuery('/fatture/export.csv', query),
    exportXlsx: (query?: QueryParams) => withQuery('/fatture/export.xlsx', query),
    colonne: '/fatture/colonne',
    show: (id: number) => `/fatture/${id}`,
    /** The original file as received (.xml or .p7m). */
    file: (id: number) => `/fatture/${id}/file`,
    collega: (id: number) => `/fatture/${id}/collega`,
    scollega: (id: number) => `/fatture/${id}/scollega`,
    creditore: (id: number) => `/fatture/${id}/creditore`,
    /** A credit note reduces what is left to pay of an invoice of the same supplier. */
    storna: (id: number) => `/fatture/${id}/storna`,
    route: {
      show: '/fatture/:id',
      file: '/fatture/:id/file',
      collega: '/fatture/:id/collega',
      scollega: '/fatture/:id/scollega',
      creditore: '/fatture/:id/creditore',
      storna: '/fatture/:id/storna',
    },
  },
  flussi: (query?: QueryParams) => withQuery('/flussi', query),
  /** Flussi → Mandati al cassiere: the pre-flight check, the distinte (SIOPE+ OPI files) and the bank's answers. */
  cassiere: {
    page: (query?: QueryParams) => withQuery('/flussi/cassiere', query),
    crea: '/flussi/cassiere/distinte',
    esiti: '/flussi/cassiere/esiti',
    distinta: (id: number) => `/flussi/cassiere/distinte/${id}`,
    file: (id: number) => `/flussi/cassiere/distinte/${id}/file`,
    /** A mandato sent to the bank is annulled (ANNULLO in the next distinta), never deleted. */
    annulla: (mandatoId: number) => `/mandati/${mandatoId}/annulla`,
    route: { distinta: '/flussi/cassiere/distinte/:id', file: '/flussi/cassiere/distinte/:id/file', annulla: '/mandati/:id/annulla' },
  },
  /** Gestisci → Da completare: the CIG and CUP left incomplete by the import, completed together (`ritorno`: where to go after). */
  daCompletare: (query?: QueryParams) => withQuery('/da-completare', query),
  flussiFile: (esercizio: number, file: 'cig.csv' | 'cup.csv' | 'elenchi.xml', mese?: number | null) =>
    withQuery(`/flussi/${esercizio}/${file}`, { mese: mese ?? undefined }),
  vendor: {
    css: '/vendor/bootstrap-italia/css/bootstrap-italia.min.css',
    js: '/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js',
    sprites: '/vendor/bootstrap-italia/svg/sprites.svg',
    fonts: '/vendor/bootstrap-italia/fonts',
  },
} as const;
