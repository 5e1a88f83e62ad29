// @ts-check
/**
 * Documents' pickers (impegni, mandati, voci): progressive enhancement only. Without
 * JavaScript every picker is a plain <select> and its + a link to the register's full form,
 * which comes back to the document with the new code chosen. With it, three jobs, one module each:
 * - picker/search.js: a search field above each select (Enter chooses the first match, nothing
 *   when the field is blank; no match is said under the field);
 * - picker/proposals.js: choosing a voce (or an impegno) proposes its CUP (CIG, beneficiario) when empty;
 * - picker/modal.js: the + opens the register's form in a modal saved in the background
 *   (picker/register.js), and the new code is added and chosen.
 * picker/announce.js is their shared live region, picker/select.js what they do to the select.
 * Native ES modules, no build (CSP: script-src 'self', so no inline script either).
 *
 * Why not Bootstrap Italia's SelectAutocomplete (one accessible combobox instead of a search
 * field above the select)? Tried with 2.18.3 on the impegno form: axe finds nothing, but
 * - it no longer enhances a <select>: it draws a free text combobox from a `source`, so the
 *   select must be hidden, renamed and kept in step by hand;
 * - it forces autoselect and confirmOnBlur off: typing a code and Enter chooses nothing
 *   (ArrowDown first), and text left in the box on Tab is not a choice though it shows as one;
 * - it has no way to set its value: a code chosen by the + modal or by a proposal (voce →
 *   CUP, impegno → CIG, CUP, beneficiario) goes into the select while the combobox stays
 *   empty, and a value written into its input is undone by its own state on the next focus;
 * - it replaces the field's aria-describedby with its own hint, losing the field's hint and
 *   the server's error message.
 * The keyboard journeys of the e2e tests (type, Enter, focus on the select) cannot pass, and
 * the modal and the proposals would show a choice the user cannot see. Revisit if a release
 * can enhance a select again or expose a setter.
 */
import { announcer } from './picker/announce.js';
import { enhanceSearch } from './picker/search.js';
import { enhanceProposals } from './picker/proposals.js';
import { enhanceModals } from './picker/modal.js';
import { enhanceVerifica } from './documento.js';

const announce = announcer(document.querySelector('[data-picker-annuncio]'));

document.querySelectorAll('[data-picker]').forEach((wrapper) => enhanceSearch(wrapper, announce));
document.querySelectorAll('select[data-propone]').forEach((select) => {
  if (select instanceof window.HTMLSelectElement) enhanceProposals(select, announce);
});
enhanceModals(announce);
// The document form's warnings and question before saving (not a picker's job, but the same pages).
enhanceVerifica();
