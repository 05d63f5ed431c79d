// Links the items on the left to their marks on the right. Reads only the JSON blob and data-*
// attributes; writes only textContent, attributes and classes (never HTML).
(() => {
  "use strict";
  const labels = JSON.parse(document.getElementById("report-data").textContent).labels;
  const status = document.getElementById("status");
  const tabs = Array.from(document.querySelectorAll('[role="tab"]'));
  const panelOf = (tab) => document.getElementById(tab.getAttribute("aria-controls"));
  const entriesOf = (id) => document.querySelectorAll('[data-item="' + id + '"]');

  function showTab(tab, focus) {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      panelOf(other).hidden = !on;
    }
    if (focus) tab.focus();
  }

  function activate(id) {
    document.querySelectorAll("mark.active").forEach((m) => m.classList.remove("active"));
    document.querySelectorAll('[aria-pressed="true"]').forEach((e) => e.setAttribute("aria-pressed", "false"));
    entriesOf(id).forEach((e) => e.setAttribute("aria-pressed", "true"));
    const marks = Array.from(document.querySelectorAll('mark[data-items~="' + id + '"]'));
    marks.forEach((m) => m.classList.add("active"));
    const docs = [];
    for (const tab of tabs) {
      const count = panelOf(tab).querySelectorAll("mark.active").length;
      tab.querySelector(".count").textContent = count ? String(count) : "";
      if (count) docs.push(tab.dataset.doc);
    }
    status.textContent = labels[id] + (docs.length ? " \u2014 in " + docs.join(", ") : "");
    if (!marks.length) return;
    const panel = marks[0].closest('[role="tabpanel"]');
    const tab = tabs.find((t) => panelOf(t) === panel);
    if (tab && panel.hidden) showTab(tab, false);
    marks[0].scrollIntoView({ block: "center" });
  }

  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => showTab(tab, false));
    tab.addEventListener("keydown", (event) => {
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      showTab(tabs[(next + tabs.length) % tabs.length], true);
    });
  });

  // One listener per pane, not per element: a 50-article report has thousands of marks.
  const left = document.querySelector(".left");
  left.addEventListener("click", (event) => {
    const entry = event.target.closest("[data-item]");
    if (entry) activate(entry.dataset.item);
  });
  left.addEventListener("keydown", (event) => {
    const entry = event.target;
    if (!entry.dataset || !entry.dataset.item || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    activate(entry.dataset.item);
  });

  // Hovering a mark names the items it supports (as a tooltip) and lights them up on the left.
  const right = document.querySelector(".right");
  const itemsOf = (mark) => mark.dataset.items.split(" ");
  const markAt = (event) => event.target.closest && event.target.closest("mark[data-items]");
  right.addEventListener("mouseover", (event) => {
    const mark = markAt(event);
    if (!mark || mark.classList.contains("hover")) return;
    if (!mark.title) mark.title = itemsOf(mark).map((id) => labels[id]).join("\n");
    mark.classList.add("hover");
    itemsOf(mark).forEach((id) => entriesOf(id).forEach((e) => e.classList.add("supports")));
  });
  right.addEventListener("mouseout", (event) => {
    const mark = markAt(event);
    if (!mark || mark.contains(event.relatedTarget)) return;
    mark.classList.remove("hover");
    document.querySelectorAll(".supports").forEach((e) => e.classList.remove("supports"));
  });
  right.addEventListener("click", (event) => {
    const mark = markAt(event);
    if (!mark) return;
    const id = itemsOf(mark)[0];
    const entry = entriesOf(id)[0];
    if (!entry) return;
    for (let up = entry.closest("details"); up; up = up.parentElement.closest("details")) up.open = true;
    activate(id);
    entry.scrollIntoView({ block: "center" });
    entry.focus({ preventScroll: true });
  });

  // Printing shows every summary, even the folded ones.
  window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
})();
