// The questionnaire builder without page reloads: its buttons (add, remove and move questions, add
// and remove options, preview) post the form in the background and swap in the returned form, then
// move focus to the field the server names. Saving is an ordinary submit. Without JavaScript the
// same buttons post the whole page and the server keeps every value.

// The option fields show only under "One of several options" (without JavaScript they always show).
// Not the design system's conditional reveal: it puts aria-expanded on a radio, which ARIA does not allow.
function showOptions() {
  for (const radio of document.querySelectorAll('#questionnaire-builder input[data-options]')) {
    const options = document.getElementById(radio.dataset.options);
    options?.classList.toggle('nhsuk-radios__conditional--hidden', !radio.checked);
  }
}

document.addEventListener('change', (event) => {
  if (event.target instanceof window.HTMLInputElement && event.target.name.endsWith('-kind')) showOptions();
});

const column = () => document.getElementById('questionnaire-builder')?.parentElement;

function focusNamed() {
  const form = document.getElementById('questionnaire-builder');
  const target = document.getElementById(form?.dataset.focus ?? '');
  if (target) {
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }
}

async function runAction(form, button) {
  const body = new window.URLSearchParams(new FormData(form));
  body.set('action', button.value);
  button.disabled = true;
  try {
    // form.action would be the buttons named "action": read the attribute.
    const res = await fetch(form.getAttribute('action') ?? '', {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    if (!res.ok) throw new Error(String(res.status));
    const page = new window.DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = page.getElementById('questionnaire-builder')?.parentElement;
    const here = column();
    if (!fresh || !here) throw new Error('no builder in the answer');
    here.replaceChildren(...[...fresh.childNodes].map((n) => document.importNode(n, true)));
    showOptions();
    focusNamed();
  } catch {
    // Fall back to the ordinary round trip: the server does the same and keeps every value.
    button.disabled = false;
    form.requestSubmit(button);
  }
}

document.addEventListener('click', (event) => {
  const button = event.target instanceof window.Element ? event.target.closest('button[name="action"]') : null;
  const form = button?.form;
  if (!button || !form || form.id !== 'questionnaire-builder' || button.value === 'save') return;
  event.preventDefault();
  runAction(form, button);
});

showOptions();
if (document.getElementById('questionnaire-builder')?.dataset.focus) focusNamed();
