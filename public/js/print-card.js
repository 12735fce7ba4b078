// "Print this card" on the Key issued page: shown only when a script can open the print dialogue
// (without JavaScript the browser's own Print does the same, with the same print stylesheet).
const button = document.getElementById('print-card');
if (button) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
