// Documents' pickers (impegni, mandati, voci): progressive enhancement only.
// Without this file every picker is a plain <select> and its + is a link to the
// register's full form, which comes back to the document with the new code chosen.
// With it: a search field above each select, the + opens the register's form in a
// modal posted in the background (JSON), the new code is added and chosen, and
// choosing a voce (or an impegno) proposes its CUP (and CIG, beneficiario) when empty.
(function () {
  'use strict';
  var annuncio = document.querySelector('[data-picker-annuncio]');
  var tokenField = document.querySelector('#documento-form input[name="_csrf"]') || document.querySelector('input[name="_csrf"]');

  function announce(text) {
    if (!annuncio) return;
    annuncio.textContent = '';
    window.setTimeout(function () { annuncio.textContent = text; }, 60);
  }

  function fold(text) {
    return String(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }

  function fireChange(select) {
    select.dispatchEvent(new window.Event('change', { bubbles: true }));
  }

  /* ------------------------------------------------------------ type-to-search */
  function filter(select, text) {
    var words = fold(text).split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(select.options, function (option, i) {
      if (i === 0 && option.value === '') return;
      var label = fold(option.textContent);
      var match = words.every(function (w) { return label.indexOf(w) >= 0; });
      option.hidden = !match;
      if (match) shown++;
    });
    return shown;
  }

  function firstVisible(select) {
    return Array.prototype.find.call(select.options, function (o) { return o.value !== '' && !o.hidden; });
  }

  var pickers = document.querySelectorAll('[data-picker]');
  Array.prototype.forEach.call(pickers, function (wrapper) {
    var select = wrapper.querySelector('select');
    var row = wrapper.querySelector('.picker-row');
    if (!select || !row) return;
    var words = wrapper.getAttribute('data-cerca') || 'Cerca nell’elenco';
    var id = select.id + '-cerca';
    var label = document.createElement('label');
    label.htmlFor = id;
    label.className = 'visually-hidden';
    label.textContent = words + ' (scrivi, poi Invio per scegliere il primo risultato)';
    var input = document.createElement('input');
    input.type = 'search';
    input.id = id;
    input.className = 'form-control form-control-sm picker-cerca mb-1';
    input.placeholder = words + '…';
    input.autocomplete = 'off';
    input.setAttribute('aria-controls', select.id);
    input.setAttribute('data-picker-cerca', '');
    wrapper.insertBefore(label, row);
    wrapper.insertBefore(input, row);
    input.addEventListener('input', function () {
      var n = filter(select, input.value);
      announce(input.value ? (n === 1 ? '1 risultato' : n + ' risultati') : 'Elenco completo');
    });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') {
        event.preventDefault();
        var first = firstVisible(select);
        if (first) {
          select.value = first.value;
          fireChange(select);
          announce('Scelto: ' + first.textContent);
        }
        select.focus();
      } else if (event.key === 'ArrowDown') {
        event.preventDefault();
        select.focus();
      }
    });
  });

  /* ---------------------------------------------- proposals (voce → CUP, impegno → CIG…) */
  Array.prototype.forEach.call(document.querySelectorAll('select[data-propone]'), function (select) {
    select.addEventListener('change', function () {
      var option = select.options[select.selectedIndex];
      if (!option || !select.form) return;
      var proposed = [];
      Array.prototype.forEach.call(option.attributes, function (attr) {
        if (attr.name.indexOf('data-propone-') !== 0 || attr.value === '') return;
        var field = select.form.elements.namedItem(attr.name.slice('data-propone-'.length));
        if (!field || field.value !== '') return;
        if (field.tagName === 'SELECT') {
          var match = Array.prototype.find.call(field.options, function (o) { return o.value === attr.value; });
          if (!match) return;
          field.value = attr.value;
          proposed.push(match.textContent);
        } else {
          field.value = attr.value;
        }
      });
      if (proposed.length) announce('Proposto dalla scelta: ' + proposed.join('; '));
    });
  });

  /* -------------------------------------------------------------- the + modals */
  var Modal = window.bootstrap && window.bootstrap.Modal;
  if (!Modal) return;

  function clearErrors(form) {
    var box = form.querySelector('[data-modal-errors]');
    box.classList.add('d-none');
    box.textContent = '';
    Array.prototype.forEach.call(form.querySelectorAll('.is-invalid'), function (el) {
      el.classList.remove('is-invalid');
      el.removeAttribute('aria-invalid');
      var errorId = el.id + '-error';
      var described = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== errorId; });
      if (described.length) el.setAttribute('aria-describedby', described.join(' '));
      else el.removeAttribute('aria-describedby');
    });
    Array.prototype.forEach.call(form.querySelectorAll('[data-modal-error]'), function (el) { el.remove(); });
  }

  function showErrors(modal, form, errors, esistente, onChooseExisting) {
    var prefix = modal.id + '-';
    var box = form.querySelector('[data-modal-errors]');
    var title = document.createElement('p');
    title.className = 'fw-bold mb-1';
    title.textContent = 'Controlla i dati inseriti';
    var list = document.createElement('ul');
    list.className = 'mb-0';
    Object.keys(errors).forEach(function (field) {
      var message = errors[field];
      var input = document.getElementById(prefix + field);
      var item = document.createElement('li');
      if (input) {
        input.classList.add('is-invalid');
        input.setAttribute('aria-invalid', 'true');
        var feedback = document.createElement('div');
        feedback.id = input.id + '-error';
        feedback.className = 'invalid-feedback d-block';
        feedback.setAttribute('data-modal-error', '');
        feedback.textContent = message;
        input.parentNode.appendChild(feedback);
        var described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
        described.push(feedback.id);
        input.setAttribute('aria-describedby', described.join(' '));
        var link = document.createElement('a');
        link.href = '#' + input.id;
        link.textContent = message;
        link.addEventListener('click', function (event) { event.preventDefault(); input.focus(); });
        item.appendChild(link);
      } else {
        item.textContent = message;
      }
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    if (esistente && onChooseExisting) {
      var use = document.createElement('button');
      use.type = 'button';
      use.className = 'btn btn-sm btn-outline-primary mt-2';
      use.textContent = 'Scegli quello già registrato';
      use.addEventListener('click', onChooseExisting);
      box.appendChild(use);
    }
    box.classList.remove('d-none');
    box.focus();
  }

  var NAMES = { cig: 'CIG', cup: 'CUP', creditore: 'Creditore' };

  Array.prototype.forEach.call(document.querySelectorAll('a.picker-nuovo[data-modal]'), function (link) {
    var modalEl = document.getElementById(link.getAttribute('data-modal'));
    var select = document.getElementById(link.getAttribute('data-target-select'));
    if (!modalEl || !select) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = link.className;
    button.title = link.title;
    button.innerHTML = link.innerHTML;
    button.setAttribute('aria-haspopup', 'dialog');
    link.parentNode.replaceChild(button, link);
    button.addEventListener('click', function () {
      modalEl.pickerTarget = { select: select, button: button, saved: false };
      var form = modalEl.querySelector('form');
      form.reset();
      clearErrors(form);
      Modal.getOrCreateInstance(modalEl).show();
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll('.picker-modal'), function (modalEl) {
    var form = modalEl.querySelector('form[data-modal-form]');
    var registro = modalEl.getAttribute('data-registro');
    modalEl.addEventListener('shown.bs.modal', function () {
      modalEl.pickerShown = true;
      var first = form.querySelector('input:not([type=hidden]), textarea, select');
      if (first) first.focus();
    });
    modalEl.addEventListener('hidden.bs.modal', function () {
      modalEl.pickerShown = false;
      var target = modalEl.pickerTarget;
      if (!target) return;
      (target.saved ? target.select : target.button).focus();
    });

    function choose(id, label, codice, isNew) {
      var target = modalEl.pickerTarget;
      var select = target.select;
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === String(id); });
      if (!option) {
        option = new Option(label, String(id));
        select.appendChild(option);
      }
      var search = select.closest('[data-picker]').querySelector('[data-picker-cerca]');
      if (search && search.value) {
        search.value = '';
        filter(select, '');
      }
      select.value = String(id);
      select.classList.remove('is-invalid');
      fireChange(select);
      if (registro === 'creditore') {
        // The CIG modal's Fornitore lists the creditori too.
        var fornitore = document.getElementById('modal-cig-fornitore_id');
        if (fornitore && isNew) fornitore.appendChild(new Option(label, String(id)));
      }
      target.saved = true;
      // Bootstrap ignores hide() while the opening transition runs: a fast answer waits for it.
      var instance = Modal.getOrCreateInstance(modalEl);
      if (modalEl.pickerShown) instance.hide();
      else modalEl.addEventListener('shown.bs.modal', function () { instance.hide(); }, { once: true });
      announce(NAMES[registro] + ' ' + codice + (isNew ? ' registrato e scelto.' : ' scelto.'));
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors(form);
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { body.append(key, String(value)); });
      var submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      fetch(form.getAttribute('action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
          'x-csrf-token': tokenField ? tokenField.value : '',
        },
        body: body.toString(),
      })
        .then(function (res) {
          return res.json().then(function (json) { return { status: res.status, json: json }; }, function () { return { status: res.status, json: {} }; });
        })
        .then(function (r) {
          submit.disabled = false;
          if (r.status === 201) return choose(r.json.id, r.json.label, r.json.codice, true);
          if (r.status === 422 && r.json.errors) {
            var esistente = r.json.esistente;
            var target = modalEl.pickerTarget;
            var canChoose = esistente && target && Array.prototype.some.call(target.select.options, function (o) { return o.value === String(esistente.id); });
            return showErrors(modalEl, form, r.json.errors, esistente, canChoose ? function () {
              var opt = Array.prototype.find.call(target.select.options, function (o) { return o.value === String(esistente.id); });
              choose(esistente.id, opt.textContent, opt.textContent.split(' ')[0], false);
            } : null);
          }
          showErrors(modalEl, form, { _form: r.json.error || 'Salvataggio non riuscito (errore ' + r.status + '): riprova.' }, null, null);
        })
        .catch(function () {
          submit.disabled = false;
          showErrors(modalEl, form, { _form: 'Connessione non riuscita: nulla è stato salvato, riprova.' }, null, null);
        });
    });
  });
})();
