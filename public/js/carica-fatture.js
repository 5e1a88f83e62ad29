// Carica fatture: progress of the upload (progressive enhancement only).
// The form posts the files in the background, shows how much has been sent,
// then how the server is reading them, and finally shows the server's answer
// page. Without this script the form posts normally and the same page answers.
(function () {
  'use strict';
  var form = document.querySelector('form[data-carica="modulo"]');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = form.querySelector('.progress-caricamento');
  var bar = form.querySelector('progress');
  var text = form.querySelector('#avanzamento-testo');
  var button = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var xhr = new window.XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var pct = Math.round((e.loaded / e.total) * 100);
      bar.value = pct;
      text.textContent = 'Invio dei file: ' + pct + '%';
    });
    xhr.upload.addEventListener('load', function () {
      bar.removeAttribute('value');
      text.textContent = 'File ricevuti: lettura delle fatture e controllo di CIG e CUP…';
    });
    xhr.addEventListener('load', function () {
      // The answer is a whole page (results, or the refusal): show it as the browser would.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', function () {
      box.hidden = true;
      button.disabled = false;
      text.textContent = '';
      window.alert('Il caricamento non è riuscito: controlla la connessione e riprova. Nulla è stato salvato.');
    });
    box.hidden = false;
    box.setAttribute('role', 'status');
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
