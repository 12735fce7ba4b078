// Uploads with visible progress (XMLHttpRequest reports upload progress; fetch does not).
// Without JavaScript the form posts normally. Files over their limit are refused before sending.
const form = document.querySelector('form[data-upload-form]');
const box = form?.querySelector('[data-upload-progress]');
const bar = box?.querySelector('progress');
const statusText = box?.querySelector('[data-upload-status]');

function mb(bytes) {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

form?.addEventListener('submit', (event) => {
  for (const input of form.querySelectorAll('input[type="file"][data-max-bytes]')) {
    const file = input.files?.[0];
    if (file && file.size > Number(input.dataset.maxBytes)) {
      event.preventDefault();
      box.hidden = false;
      statusText.textContent = `${file.name} is ${mb(file.size)}: the largest allowed is ${mb(Number(input.dataset.maxBytes))}. Nothing was uploaded.`;
      return;
    }
  }
  event.preventDefault();
  const xhr = new XMLHttpRequest();
  xhr.open('POST', form.action);
  box.hidden = false;
  bar.value = 0;
  statusText.textContent = 'Starting upload…';
  form.querySelector('button[type="submit"]').disabled = true;
  xhr.upload.addEventListener('progress', (e) => {
    if (!e.lengthComputable) return;
    const percent = Math.round((e.loaded / e.total) * 100);
    bar.value = percent;
    statusText.textContent = `Uploaded ${percent}% (${mb(e.loaded)} of ${mb(e.total)})`;
  });
  xhr.addEventListener('load', () => {
    // Follow the server: a redirect lands on the saved page; a refused form comes back with its errors.
    if (xhr.responseURL && xhr.responseURL !== form.action) {
      window.location.assign(xhr.responseURL);
    } else {
      document.open();
      document.write(xhr.responseText);
      document.close();
    }
  });
  xhr.addEventListener('error', () => {
    statusText.textContent = 'The upload failed. Check your connection and try again.';
    form.querySelector('button[type="submit"]').disabled = false;
  });
  xhr.send(new FormData(form));
});
