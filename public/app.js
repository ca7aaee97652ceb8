// After htmx swaps in a new step, move the focus to its title so that screen readers and keyboard users
// land on the question, not at the top of the page.
document.addEventListener('htmx:after:swap', () => {
  const title = document.getElementById('step-title');
  if (title) title.focus();
});
