// Copy buttons: a button with data-copy puts that text on the clipboard.
// Without scripts (or without the clipboard, which browsers give only to
// HTTPS pages) the button stays hidden and the text beside it stays
// selectable.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll('button[data-copy]').forEach(function (b) {
    var label = b.textContent;
    var status = b.nextElementSibling;
    b.hidden = false;
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(b.dataset.copy).then(function () {
        if (status) status.textContent = 'Copied ' + b.dataset.copy;
        b.textContent = 'Copied';
      }, function () {
        if (status) status.textContent = 'Could not copy: select the address and copy it';
      });
      setTimeout(function () { b.textContent = label; }, 2000);
    });
  });
})();
