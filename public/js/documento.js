// @ts-check
/**
 * The document form (impegno, mandato) says before saving what the save would say after: as the
 * user edits, the form is sent to POST …/verifica (the same rules as the save, nothing stored) and
 * its answer is shown in the form: the warnings (date outside the esercizio, a mandato without
 * beneficiario or with a CIG other than its impegno's) and, when the voce has another CUP, the
 * question «sostituirlo?» as two radios sent with the form. Without JavaScript the save answers
 * the same (the warnings after saving, the question as a 422 page).
 */

/**
 * The form as a urlencoded body, without the answer about the CUP (the question stays while it applies).
 * @param {HTMLFormElement} form
 */
export function verificaBody(form) {
  const body = new URLSearchParams();
  new FormData(form).forEach((value, key) => {
    if (key !== 'conferma_cup' && typeof value === 'string') body.append(key, value);
  });
  return body.toString();
}

/**
 * The warnings' box: one paragraph each, hidden when there are none.
 * @param {HTMLElement} box
 * @param {string[]} avvisi
 */
function showAvvisi(box, avvisi) {
  box.replaceChildren(...avvisi.map((a) => {
    const p = document.createElement('p');
    p.className = 'mb-1';
    p.textContent = a;
    return p;
  }));
  box.hidden = avvisi.length === 0;
}

/**
 * The question about the voce's CUP, as the server's fallback page asks it (views/documenti/_cup-conflitto.ejs).
 * @param {HTMLElement} slot
 * @param {{ message: string, replace: string, keep: string } | null} q
 */
function showDomanda(slot, q) {
  const current = slot.querySelector('legend')?.textContent;
  if (q && current === q.message) return; // the same question: keep the answer given
  if (!q) {
    slot.replaceChildren();
    return;
  }
  const fieldset = document.createElement('fieldset');
  fieldset.className = 'alert alert-warning cup-conflitto';
  fieldset.id = 'conferma_cup_domanda';
  const legend = document.createElement('legend');
  legend.className = 'h6';
  legend.textContent = q.message;
  fieldset.append(legend);
  for (const [value, text] of /** @type {const} */ ([['1', q.replace], ['0', q.keep]])) {
    const div = document.createElement('div');
    div.className = 'form-check';
    const input = document.createElement('input');
    input.className = 'form-check-input';
    input.type = 'radio';
    input.name = 'conferma_cup';
    input.id = `conferma_cup_domanda_${value}`;
    input.value = value;
    const label = document.createElement('label');
    label.className = 'form-check-label';
    label.htmlFor = input.id;
    label.textContent = text;
    div.append(input, label);
    fieldset.append(div);
  }
  slot.replaceChildren(fieldset);
}

/** Wires the page's document form, if any. */
export function enhanceVerifica() {
  const form = document.getElementById('documento-form');
  if (!(form instanceof window.HTMLFormElement)) return;
  const url = form.getAttribute('data-verifica');
  const box = form.querySelector('[data-documento-avvisi]');
  const slot = form.querySelector('[data-cup-domanda]');
  const csrf = form.querySelector('input[name="_csrf"]');
  if (!url || !(box instanceof window.HTMLElement) || !(slot instanceof window.HTMLElement)) return;
  // The server already asks (the 422 fallback): no second question.
  const askedByServer = form.querySelector('#conferma_cup') !== null;
  /** @type {number | undefined} */
  let timer;
  let turn = 0;
  const verifica = async () => {
    const mine = ++turn;
    try {
      const res = await fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', 'x-csrf-token': csrf instanceof window.HTMLInputElement ? csrf.value : '' },
        body: verificaBody(form),
      });
      if (!res.ok || mine !== turn) return;
      const json = /** @type {{ avvisi: string[], cupConflict: { message: string, replace: string, keep: string } | null }} */ (await res.json());
      showAvvisi(box, json.avvisi);
      if (!askedByServer) showDomanda(slot, json.cupConflict);
    } catch {
      // No answer: the save will say it all.
    }
  };
  // Saving: a check still waiting would reach the server after the save, for a form already gone.
  form.addEventListener('submit', () => {
    window.clearTimeout(timer);
    turn++;
  });
  form.addEventListener('change', (event) => {
    if (event.target instanceof window.HTMLInputElement && event.target.name === 'conferma_cup') return;
    window.clearTimeout(timer);
    timer = window.setTimeout(verifica, 250);
  });
  if (form.querySelector('input[name="version"]')) void verifica();
}
