// Progressive enhancement only: every page works without this file.
//
// After htmx swaps in a new step (an answer, « Revenir à cette étape », or the back button), move the
// focus to its title so that screen readers and keyboard users land on the question, not at the top of the
// page, and read out what the checks found through the page's polite live region (#annonces), which stays
// in place across swaps so that assistive technologies notice its changes.
function announce(text) {
  const region = document.getElementById('annonces');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick, so that the same message twice in a row is still read out.
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

document.addEventListener('htmx:before:request', (event) => {
  const source = event.target;
  if (source instanceof Element && source.closest('#conversation')) announce('Vérification en cours…');
});

document.addEventListener('htmx:after:swap', () => {
  // A step's title, or the title of the error shown in its place.
  const title = document.getElementById('step-title') ?? document.querySelector('#contenu h1');
  if (!title) return;
  if (!title.hasAttribute('tabindex')) title.setAttribute('tabindex', '-1');
  title.focus();
  // The tab's title follows the step, as after a full page load: « <step> — <service name> ».
  const service = document.querySelector('meta[name="application-name"]')?.getAttribute('content');
  if (service) document.title = `${title.textContent.trim()} — ${service}`;
  const outcomes = document.querySelector('#conversation .outcomes');
  const alert = document.querySelector('#conversation [role="alert"]');
  const found = [outcomes?.textContent, alert?.textContent]
    // ASCII whitespace only: the non-breaking spaces of French typography stay where they are.
    .map((t) => (t ?? '').replace(/[ \t\r\n]+/g, ' ').trim())
    .filter(Boolean)
    .join(' ');
  announce(found ? `${title.textContent.trim()}. ${found}` : title.textContent.trim());
});

// « Copier » buttons of the ticket panel: hidden without JavaScript, where the text is selected by hand.
function showCopyButtons() {
  for (const button of document.querySelectorAll('button[data-copy]')) button.hidden = false;
}
document.addEventListener('DOMContentLoaded', showCopyButtons);
document.addEventListener('htmx:after:swap', showCopyButtons);
document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
  if (!button) return;
  const source = document.querySelector(button.getAttribute('data-copy'));
  const status = button.parentElement?.querySelector('.copy-status');
  try {
    await navigator.clipboard.writeText(source?.value ?? source?.textContent ?? '');
    if (status) status.textContent = 'Copié.';
  } catch {
    source?.select?.();
    if (status) status.textContent = 'Copie impossible : le texte est sélectionné, copiez-le avec Ctrl+C.';
  }
});
