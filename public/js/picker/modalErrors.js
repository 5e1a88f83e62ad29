// @ts-check
/**
 * The + modal's refused save, shown as the full forms show theirs: a summary at the top
 * (`[data-modal-errors]`, focused, each message a link to its field) and each message under
 * its field (`<id>-error`, in the field's aria-describedby, the field aria-invalid).
 * Field ids are the modal's id plus the field's name (views/documenti/_modali.ejs).
 */

/**
 * An id-list attribute (aria-describedby) with `id` added once at the end.
 * @param {string | null} list
 * @param {string} id
 */
export function withId(list, id) {
  const ids = (list ?? '').split(' ').filter((x) => x && x !== id);
  ids.push(id);
  return ids.join(' ');
}

/**
 * An id-list attribute without `id`; '' when nothing is left (then the attribute goes).
 * @param {string | null} list
 * @param {string} id
 */
export function withoutId(list, id) {
  return (list ?? '').split(' ').filter((x) => x && x !== id).join(' ');
}

/**
 * Takes away what showErrors drew.
 * @param {HTMLFormElement} form
 */
export function clearErrors(form) {
  const box = form.querySelector('[data-modal-errors]');
  if (box) {
    box.classList.add('d-none');
    box.textContent = '';
  }
  form.querySelectorAll('.is-invalid').forEach((el) => {
    el.classList.remove('is-invalid');
    el.removeAttribute('aria-invalid');
    const described = withoutId(el.getAttribute('aria-describedby'), `${el.id}-error`);
    if (described) el.setAttribute('aria-describedby', described);
    else el.removeAttribute('aria-describedby');
  });
  form.querySelectorAll('[data-modal-error]').forEach((el) => el.remove());
}

/**
 * Shows `errors` (field name → message; a name with no field, e.g. `_form`, only in the
 * summary) and moves the focus to the summary. With `onChooseExisting`, the summary also
 * offers the code already registered.
 * @param {Element} modal
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} errors
 * @param {(() => void) | null} onChooseExisting
 */
export function showErrors(modal, form, errors, onChooseExisting) {
  const box = form.querySelector('[data-modal-errors]');
  if (!(box instanceof window.HTMLElement)) return;
  const title = document.createElement('p');
  title.className = 'fw-bold mb-1';
  title.textContent = 'Controlla i dati inseriti';
  const list = document.createElement('ul');
  list.className = 'mb-0';
  for (const [field, message] of Object.entries(errors)) {
    const input = document.getElementById(`${modal.id}-${field}`);
    const item = document.createElement('li');
    if (input) {
      input.classList.add('is-invalid');
      input.setAttribute('aria-invalid', 'true');
      const feedback = document.createElement('div');
      feedback.id = `${input.id}-error`;
      feedback.className = 'invalid-feedback d-block';
      feedback.setAttribute('data-modal-error', '');
      feedback.textContent = message;
      input.parentNode?.appendChild(feedback);
      input.setAttribute('aria-describedby', withId(input.getAttribute('aria-describedby'), feedback.id));
      const link = document.createElement('a');
      link.href = `#${input.id}`;
      link.textContent = message;
      link.addEventListener('click', (event) => {
        event.preventDefault();
        input.focus();
      });
      item.appendChild(link);
    } else {
      item.textContent = message;
    }
    list.appendChild(item);
  }
  box.appendChild(title);
  box.appendChild(list);
  if (onChooseExisting) {
    const use = document.createElement('button');
    use.type = 'button';
    use.className = 'btn btn-sm btn-outline-primary mt-2';
    use.textContent = 'Scegli quello già registrato';
    use.addEventListener('click', onChooseExisting);
    box.appendChild(use);
  }
  box.classList.remove('d-none');
  box.focus();
}
