// @ts-check
// Bilancio Scuola: the session-expiry warning. A page left idle loses its session after the
// time in <meta name="bi-sessione"> (partials/top.ejs); two minutes before, a banner (role=alert,
// read at once by screen readers, focus left where it is) offers «Resta collegato», a background
// POST that renews the session. When the time is up it says so, with the way back in. Another
// tab's activity also renews the session: the tabs share the time of their last request.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="bi-sessione"]');
  var tokenField = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="_csrf"]'));
  if (!meta || !tokenField) return;
  var durata = Number(meta.getAttribute('content'));
  var rinnova = meta.getAttribute('data-rinnova') || '';
  var accesso = meta.getAttribute('data-accesso') || '';
  var token = tokenField.value;
  if (!(durata > 0) || !rinnova) return;
  var ANTICIPO = 2 * 60 * 1000;
  var CHIAVE = 'bilancio.sessione.ultimaRichiesta';

  /** @param {string} name @returns {string | null} */
  function letto(name) {
    try { return window.localStorage.getItem(name); } catch { return null; }
  }
  /** @param {number} quando */
  function ricorda(quando) {
    try { window.localStorage.setItem(CHIAVE, String(quando)); } catch { /* private mode: this tab alone */ }
  }

  var ultima = Date.now();
  ricorda(ultima);
  /** @type {'attiva' | 'avviso' | 'scaduta'} */
  var stato = 'attiva';
  /** @type {Element | null} */
  var fuocoPrima = null;

  var banner = document.createElement('div');
  banner.className = 'sessione-avviso alert alert-warning shadow';
  banner.setAttribute('role', 'alert');
  banner.setAttribute('data-sessione', '');
  banner.hidden = true;
  var testo = document.createElement('p');
  testo.className = 'mb-2';
  var azioni = document.createElement('div');
  azioni.className = 'd-flex flex-wrap gap-2';
  banner.appendChild(testo);
  banner.appendChild(azioni);
  document.body.appendChild(banner);

  var ora = function (/** @type {number} */ ms) {
    return new Date(ms).toLocaleTimeString('it-IT', { hour: '2-digit', minute: '2-digit' });
  };

  function avvisa() {
    stato = 'avviso';
    fuocoPrima = document.activeElement;
    testo.textContent = 'La sessione sta per scadere per inattività (alle ' + ora(ultima + durata) + '): dopo, quanto scritto e non salvato in questa pagina andrebbe perso.';
    azioni.replaceChildren();
    var resta = document.createElement('button');
    resta.type = 'button';
    resta.className = 'btn btn-primary btn-sm';
    resta.textContent = 'Resta collegato';
    resta.addEventListener('click', restaCollegato);
    azioni.appendChild(resta);
    banner.hidden = false;
    // The keyboard reaches the button at once, unless the user is typing in a field (the alert is read anyway).
    var f = document.activeElement;
    if (!f || f === document.body || !f.matches('input, textarea, select, [contenteditable]')) resta.focus();
  }

  function scaduta() {
    stato = 'scaduta';
    testo.textContent = 'La sessione è scaduta per inattività: quanto non salvato in questa pagina non può più essere salvato da qui. Copialo se ti serve, poi accedi di nuovo.';
    azioni.replaceChildren();
    var link = document.createElement('a');
    link.className = 'btn btn-primary btn-sm';
    link.href = accesso + '?' + new URLSearchParams({ ritorno: window.location.pathname + window.location.search }).toString();
    link.textContent = 'Accedi di nuovo';
    azioni.appendChild(link);
    banner.hidden = false;
  }

  function nascondi() {
    stato = 'attiva';
    var dentro = banner.contains(document.activeElement);
    banner.hidden = true;
    if (dentro && fuocoPrima instanceof HTMLElement && document.contains(fuocoPrima)) fuocoPrima.focus();
  }

  function restaCollegato() {
    fetch(rinnova, { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': token, Accept: 'application/json' } }).then(
      function (res) {
        if (res.status === 204) {
          ultima = Date.now();
          ricorda(ultima);
          nascondi();
        } else scaduta();
      },
      function () {
        testo.textContent = 'Impossibile raggiungere il server: controlla la connessione e riprova con «Resta collegato».';
      },
    );
  }

  // Checked every few seconds rather than by one long timer: a sleeping computer or a
  // background tab delays timers, the clock does not lie.
  function controlla() {
    var altra = Number(letto(CHIAVE));
    if (altra > ultima) ultima = altra;
    var adesso = Date.now();
    if (stato !== 'scaduta' && adesso >= ultima + durata) scaduta();
    else if (stato === 'attiva' && adesso >= ultima + durata - ANTICIPO) avvisa();
    else if (stato === 'avviso' && adesso < ultima + durata - ANTICIPO) nascondi();
  }
  window.setInterval(controlla, 5000);
  window.addEventListener('storage', function (e) { if (e.key === CHIAVE) controlla(); });
})();
