// LDN Atlas web pages: span highlighting on study pages.
// The source text is only ever handled as text (textContent and text nodes), never as HTML,
// so nothing a source or a user wrote can become markup or script.
(function () {
  "use strict";

  function highlight(container, start, end) {
    var text = container.dataset.fullText;
    if (text === undefined) {
      text = container.textContent;
      container.dataset.fullText = text;
    }
    start = Math.max(0, Math.min(start, text.length));
    end = Math.max(start, Math.min(end, text.length));
    while (container.firstChild) container.removeChild(container.firstChild);
    container.appendChild(document.createTextNode(text.slice(0, start)));
    var mark = document.createElement("mark");
    mark.className = "hl";
    mark.id = "highlight";
    mark.textContent = text.slice(start, end);
    container.appendChild(mark);
    container.appendChild(document.createTextNode(text.slice(end)));
    if (mark.scrollIntoView) mark.scrollIntoView({ block: "center" });
    return mark;
  }

  function onRowClick(event) {
    var row = event.currentTarget;
    var container = document.getElementById("source-text");
    if (!container) return;
    var ref = row.querySelector(".span-ref[data-source='" + container.dataset.source + "']");
    if (!ref) return;
    document.querySelectorAll("tr.selected").forEach(function (r) { r.classList.remove("selected"); });
    row.classList.add("selected");
    highlight(container, parseInt(ref.dataset.start, 10), parseInt(ref.dataset.end, 10));
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("source-text")) return;
    document.querySelectorAll("table.fields tr[data-path]").forEach(function (row) {
      if (row.querySelector(".span-ref")) {
        row.classList.add("clickable");
        row.tabIndex = 0;
        row.addEventListener("click", onRowClick);
        row.addEventListener("keydown", function (e) { if (e.key === "Enter") onRowClick(e); });
      }
    });
  });
})();
