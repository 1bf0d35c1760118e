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
// On a phone the stylesheet turns tables into stacked cards; each cell is shown under its
// column's name, taken here from the header when the template gave no data-label. The roles keep
// the table's meaning for screen readers once CSS has changed how its parts are displayed.
function labelTables(root) {
  for (const table of root.querySelectorAll("main table")) {
    const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.setAttribute("role", "table");
    for (const group of table.querySelectorAll("thead, tbody, tfoot")) group.setAttribute("role", "rowgroup");
    for (const row of table.querySelectorAll("tr")) {
      row.setAttribute("role", "row");
      let column = 0;
      for (const cell of row.children) {
        const header = cell.tagName === "TH";
        if (!cell.hasAttribute("role")) {
          cell.setAttribute("role", header ? (row.parentElement.tagName === "THEAD" ? "columnheader" : "rowheader") : "cell");
        }
        if (!header && names[column] && !cell.hasAttribute("data-label")) cell.dataset.label = names[column];
        column += cell.colSpan || 1;
      }
    }
  }
}
document.addEventListener("DOMContentLoaded", () => labelTables(document));
document.addEventListener("htmx:load", (event) => labelTables(event.target.closest("main") || document));
