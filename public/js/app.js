// Bilancio Scuola: progressive enhancement only; every page works without this file.
(function () {
  'use strict';
  var fonts = document.querySelector('meta[name="bi-fonts"]');
  if (window.bootstrap && typeof window.bootstrap.loadFonts === 'function' && fonts) {
    window.bootstrap.loadFonts(fonts.getAttribute('content'));
  }
  // Move focus to the error summary so screen readers and keyboard users start there.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
