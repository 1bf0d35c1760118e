// Small behaviours the pages opt into with data attributes. The Content-Security-Policy forbids
// inline scripts and handlers, so everything interactive that is not htmx lives here.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input.select-on-focus")) event.target.select();
});
// A form that cannot be undone (signing minutes) asks first; the question is in the page's
// language, written by the template into data-confirm.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
