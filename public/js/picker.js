// @ts-check
/**
 * Documents' pickers (impegni, mandati, voci): progressive enhancement only. Without
 * JavaScript every picker is a plain <select> and its + a link to the register's full form,
 * which comes back to the document with the new code chosen. With it, three jobs, one module each:
 * - picker/search.js: a search field above each select (Enter chooses the first match);
 * - picker/proposals.js: choosing a voce (or an impegno) proposes its CUP (CIG, beneficiario) when empty;
 * - picker/modal.js: the + opens the register's form in a modal saved in the background
 *   (picker/register.js), and the new code is added and chosen.
 * picker/announce.js is their shared live region, picker/select.js what they do to the select.
 * Native ES modules, no build (CSP: script-src 'self', so no inline script either).
 */
import { announcer } from './picker/announce.js';
import { enhanceSearch } from './picker/search.js';
import { enhanceProposals } from './picker/proposals.js';
import { enhanceModals } from './picker/modal.js';

const announce = announcer(document.querySelector('[data-picker-annuncio]'));

document.querySelectorAll('[data-picker]').forEach((wrapper) => enhanceSearch(wrapper, announce));
document.querySelectorAll('select[data-propone]').forEach((select) => {
  if (select instanceof window.HTMLSelectElement) enhanceProposals(select, announce);
});
enhanceModals(announce);
