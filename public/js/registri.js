// Registers' search panel (Gestione CIG / CUP): progressive enhancement only.
// Typing in a criterion's field ticks that criterion, so "Cerca" uses it;
// without this script the user ticks the box by hand, and the form works the same.
(function () {
  'use strict';
  var forms = document.querySelectorAll('.ricerca-form');
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener('input', function (event) {
      var field = event.target;
      if (!(field instanceof HTMLElement) || field.getAttribute('name') === 'usa') return;
      var criterio = field.closest('.criterio');
      var box = criterio && criterio.querySelector('input[name="usa"]');
      if (box && field.value !== '') box.checked = true;
    });
  });
})();
