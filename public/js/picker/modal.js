// @ts-check
/**
 * The + beside a picker: without JavaScript a link to the register's full form; here a
 * button opening the register's form in a Bootstrap Italia modal (views/documenti/_modali.ejs),
 * saved in the background (register.js), so nothing typed in the document is lost. The new
 * code joins the select and is chosen; a duplicate can choose the code already registered.
 * Focus: the modal's first field on opening; the select after a choice, the + otherwise.
 */
import { CONNECTION_FAILED, choiceMessage, existingChoice, formBody, outcome, readAnswer, saveRequest } from './register.js';
import { clearErrors, showErrors } from './modalErrors.js';
import { clearSearch } from './search.js';
import { fireChange, optionByValue } from './select.js';

/** @typedef {import('./announce.js').Announce} Announce */
/** @typedef {{ show(): void, hide(): void }} ModalInstance */
/** @typedef {{ getOrCreateInstance(element: Element): ModalInstance }} ModalClass */
/** Who opened a modal: the picker's select, the + button, and whether a code was chosen. */
/** @typedef {{ select: HTMLSelectElement, button: HTMLButtonElement, saved: boolean }} Target */

/** @type {WeakMap<Element, Target>} */
const targets = new WeakMap();

/**
 * Bootstrap Italia's Modal, from its bundle (loaded before this module); none without the bundle.
 * @returns {ModalClass | undefined}
 */
export function bootstrapModal() {
  const w = /** @type {{ bootstrap?: { Modal?: ModalClass } }} */ (/** @type {unknown} */ (window));
  return w.bootstrap?.Modal;
}

/**
 * Turns a + (`.picker-nuovo[data-modal][data-target-select]`: a link, or the document form's
 * submit button that keeps a draft without JavaScript) into the button opening its modal.
 * @param {HTMLElement} link
 * @param {ModalClass} Modal
 */
function enhanceAddLink(link, Modal) {
  const modalEl = document.getElementById(link.getAttribute('data-modal') ?? '');
  const select = document.getElementById(link.getAttribute('data-target-select') ?? '');
  const form = modalEl?.querySelector('form');
  if (!modalEl || !(select instanceof window.HTMLSelectElement) || !form) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = link.className;
  button.title = link.title;
  button.innerHTML = link.innerHTML;
  button.setAttribute('aria-haspopup', 'dialog');
  link.replaceWith(button);
  button.addEventListener('click', () => {
    targets.set(modalEl, { select, button, saved: false });
    form.reset();
    clearErrors(form);
    Modal.getOrCreateInstance(modalEl).show();
  });
}

/**
 * Wires one modal (`.picker-modal` holding `form[data-modal-form]`).
 * @param {HTMLElement} modalEl
 * @param {{ Modal: ModalClass, announce: Announce, csrfField: HTMLInputElement | null }} deps
 */
function enhanceModal(modalEl, { Modal, announce, csrfField }) {
  const form = modalEl.querySelector('form[data-modal-form]');
  if (!(form instanceof window.HTMLFormElement)) return;
  const registro = modalEl.getAttribute('data-registro') ?? '';
  let shown = false;
  modalEl.addEventListener('shown.bs.modal', () => {
    shown = true;
    const first = form.querySelector('input:not([type=hidden]), textarea, select');
    if (first instanceof window.HTMLElement) first.focus();
  });
  modalEl.addEventListener('hidden.bs.modal', () => {
    shown = false;
    const target = targets.get(modalEl);
    if (!target) return;
    (target.saved ? target.select : target.button).focus();
  });

  /**
   * Chooses a code in the picker that opened the modal (adding it if new) and closes the modal.
   * @param {{ id: string, label: string, codice: string }} code
   * @param {boolean} isNew
   */
  function choose({ id, label, codice }, isNew) {
    const target = targets.get(modalEl);
    if (!target) return;
    const { select } = target;
    if (!optionByValue(select, id)) select.appendChild(new Option(label, id));
    clearSearch(select);
    select.value = id;
    select.classList.remove('is-invalid');
    fireChange(select);
    if (registro === 'creditore' && isNew) {
      // The CIG modal's Fornitore lists the creditori too.
      const fornitore = document.getElementById('modal-cig-fornitore_id');
      if (fornitore) fornitore.appendChild(new Option(label, id));
    }
    target.saved = true;
    // Bootstrap ignores hide() while the opening transition runs: a fast answer waits for it.
    const instance = Modal.getOrCreateInstance(modalEl);
    if (shown) instance.hide();
    else modalEl.addEventListener('shown.bs.modal', () => instance.hide(), { once: true });
    announce(choiceMessage(registro, codice, isNew));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const submit = form.querySelector('button[type=submit]');
    if (submit instanceof window.HTMLButtonElement) submit.disabled = true;
    const enable = () => {
      if (submit instanceof window.HTMLButtonElement) submit.disabled = false;
    };
    try {
      const res = await fetch(form.getAttribute('action') ?? '', saveRequest(formBody(new FormData(form)), csrfField ? csrfField.value : ''));
      const { status, json } = await readAnswer(res);
      const answer = outcome(status, json);
      enable();
      if (answer.kind === 'registered') {
        choose(answer, true);
      } else if (answer.kind === 'invalid') {
        const target = targets.get(modalEl);
        const existing = target ? existingChoice(target.select.options, answer.esistente) : null;
        showErrors(modalEl, form, answer.errors, existing ? () => choose(existing, false) : null);
      } else {
        showErrors(modalEl, form, { _form: answer.message }, null);
      }
    } catch {
      enable();
      showErrors(modalEl, form, { _form: CONNECTION_FAILED }, null);
    }
  });
}

/**
 * The + buttons and their modals, on a page with Bootstrap Italia's Modal; without it the
 * + links stay links to the full forms.
 * @param {Announce} announce
 */
export function enhanceModals(announce) {
  const Modal = bootstrapModal();
  if (!Modal) return;
  const csrf = document.querySelector('#documento-form input[name="_csrf"]') ?? document.querySelector('input[name="_csrf"]');
  const csrfField = csrf instanceof window.HTMLInputElement ? csrf : null;
  document.querySelectorAll('.picker-nuovo[data-modal]').forEach((link) => {
    if (link instanceof window.HTMLElement) enhanceAddLink(link, Modal);
  });
  document.querySelectorAll('.picker-modal').forEach((modalEl) => {
    if (modalEl instanceof window.HTMLElement) enhanceModal(modalEl, { Modal, announce, csrfField });
  });
}
