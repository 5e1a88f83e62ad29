/** Every URL of the app in one place: handlers, redirects and templates use these. */
const withQuery = (base: string, query?: Record<string, string | number | undefined>) => {
  if (!query) return base;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
};

export const paths = {
  home: '/',
  health: '/health',
  login: '/login',
  logout: '/logout',
  esercizio: '/esercizio',
  cig: {
    list: (query?: Record<string, string | number | undefined>) => withQuery('/cig', query),
    nuovo: '/cig/nuovo',
    create: '/cig',
    show: (id: number) => `/cig/${id}`,
    edit: (id: number) => `/cig/${id}/modifica`,
  },
  cup: {
    list: (query?: Record<string, string | number | undefined>) => withQuery('/cup', query),
    nuovo: '/cup/nuovo',
    create: '/cup',
    show: (id: number) => `/cup/${id}`,
    edit: (id: number) => `/cup/${id}/modifica`,
  },
  impegni: {
    list: (query?: Record<string, string | number | undefined>) => withQuery('/impegni', query),
    show: (id: number) => `/impegni/${id}`,
  },
  mandati: {
    list: (query?: Record<string, string | number | undefined>) => withQuery('/mandati', query),
    show: (id: number) => `/mandati/${id}`,
  },
  creditori: {
    list: (query?: Record<string, string | number | undefined>) => withQuery('/creditori', query),
    show: (id: number) => `/creditori/${id}`,
  },
  impostazioni: {
    pianoDestinazioni: (query?: Record<string, string | number | undefined>) =>
      withQuery('/impostazioni/piano-destinazioni', query),
    importazione: '/impostazioni/importazione',
  },
  flussi: (query?: Record<string, string | number | undefined>) => withQuery('/flussi', query),
  vendor: {
    css: '/vendor/bootstrap-italia/css/bootstrap-italia.min.css',
    js: '/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js',
    sprites: '/vendor/bootstrap-italia/svg/sprites.svg',
    fonts: '/vendor/bootstrap-italia/fonts',
  },
} as const;

export type Paths = typeof paths;
