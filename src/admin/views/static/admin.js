// Progressive enhancement only: every page works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Copy buttons: hidden without JavaScript (the key stays selectable in its field).
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var input = document.getElementById(button.getAttribute('data-copy'));
      var status = button.parentElement.querySelector('.copy-status');
      var done = function (ok) {
        if (status) status.textContent = ok ? 'Copied.' : 'Copy failed: select the key and copy it by hand.';
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
      } else {
        input.select();
        done(document.execCommand('copy'));
      }
    });
  });
  // Confirm dialogs: without JavaScript the server shows a confirmation page instead.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
        return;
      }
      if (!form.querySelector('input[name="confirm"]')) {
        var yes = document.createElement('input');
        yes.type = 'hidden';
        yes.name = 'confirm';
        yes.value = 'yes';
        form.appendChild(yes);
      }
    });
  });
});
