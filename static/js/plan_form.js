// The plan's edit page (planning/templates/planning/plan_form.html): rows move up and down in
// the page itself, and the form is sent once. Without this file the same buttons ask the server.
(() => {
  const form = document.querySelector("form[data-plan-form]");
  if (!form) return;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.append(status);
  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (!button) return;
    event.preventDefault();
    const row = button.closest("[data-row]");
    const up = button.dataset.move === "up";
    let other = up ? row.previousElementSibling : row.nextElementSibling;
    while (other && other.dataset.row !== row.dataset.row) {
      other = up ? other.previousElementSibling : other.nextElementSibling;
    }
    if (!other) return;
    if (up) other.before(row);
    else other.after(row);
    button.focus();
    status.textContent = up ? form.dataset.movedUp : form.dataset.movedDown;
  });
  // A second press of Save while the first is on its way sends nothing more.
  form.addEventListener("submit", (event) => {
    const saving = !event.submitter || event.submitter.name === "save";
    if (!saving) return;
    if (form.dataset.sent) event.preventDefault();
    form.dataset.sent = "1";
  });
  window.addEventListener("pageshow", () => delete form.dataset.sent);
})();
