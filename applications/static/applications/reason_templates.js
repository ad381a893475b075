// Text templates (Textbausteine): a click inserts the template's text into the reasons, at the cursor once
// the caseworker has been in the field, otherwise at the end.
document.addEventListener("focusin", (event) => {
  if (event.target.name === "reasons") event.target.dataset.cursor = "1";
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert-reason]");
  if (!button) return;
  const field = button.form && button.form.elements.namedItem("reasons");
  if (!field) return;
  const text = button.getAttribute("data-insert-reason");
  const atCursor = field.dataset.cursor === "1";
  const start = atCursor ? field.selectionStart : field.value.length;
  const end = atCursor ? field.selectionEnd : field.value.length;
  const before = field.value.slice(0, start);
  const glue = before && !before.endsWith("\n") ? "\n" : "";
  field.value = before + glue + text + field.value.slice(end);
  field.focus();
  field.selectionStart = field.selectionEnd = (before + glue + text).length;
});
