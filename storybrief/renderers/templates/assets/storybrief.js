/* storybrief: the little behaviour the report and the web pages share. No network, no HTML building. */
(function () {
  "use strict";

  // Show the element the address points at: open the <details> around it (an article view) and centre it.
  function reveal() {
    var id = location.hash.slice(1);
    if (!id) return;
    try { id = decodeURIComponent(id); } catch (e) { return; }
    var el = document.getElementById(id);
    if (!el) return;
    for (var p = el.parentElement; p; p = p.parentElement) {
      if (p.tagName === "DETAILS") p.open = true;
    }
    el.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", reveal);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link && link.getAttribute("href") === location.hash) setTimeout(reveal, 0);
  });

  // Keep a citation tooltip inside the window.
  function place(event) {
    var wrap = event.target.closest && event.target.closest(".cite-wrap");
    if (!wrap) return;
    var tip = wrap.querySelector(".tip");
    if (!tip) return;
    tip.classList.remove("flip");
    if (tip.getBoundingClientRect().right > document.documentElement.clientWidth - 8) tip.classList.add("flip");
  }
  document.addEventListener("mouseover", place);
  document.addEventListener("focusin", place);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement && document.activeElement.classList.contains("cite")) {
      document.activeElement.blur();
    }
  });

  // Opening an outlet's panel marks the summary sentences it reports and fades the rest.
  function focusOutlet(panel) {
    var briefing = panel.closest(".briefing");
    if (!briefing) return;
    var idx = panel.getAttribute("data-outlet-idx");
    briefing.querySelectorAll("details.outlet").forEach(function (other) {
      if (other !== panel && panel.open) other.open = false;
    });
    briefing.querySelectorAll("li.sent").forEach(function (sent) {
      var has = (sent.getAttribute("data-outlets") || "").split(" ").indexOf(idx) >= 0;
      sent.classList.toggle("hit", panel.open && has);
      sent.classList.toggle("miss", panel.open && !has);
    });
  }
  document.querySelectorAll("details.outlet").forEach(function (panel) {
    panel.addEventListener("toggle", function () {
      if (panel.open || !panel.closest(".briefing").querySelector("details.outlet[open]")) focusOutlet(panel);
    });
  });

  reveal();
})();
