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
    light(el);
    el.scrollIntoView({ block: "center" });
  }

  // An anchor in an article (a quote, a sentence a section cites) is an empty element followed by
  // data-len characters of text: highlight them, skipping the links back to the summary.
  function light(anchor) {
    if (!window.CSS || !CSS.highlights || typeof Highlight !== "function") return;
    CSS.highlights.delete("storybrief-target");
    if (!anchor.classList.contains("anchor")) return;
    var left = parseInt(anchor.getAttribute("data-len"), 10) || 0;
    var root = anchor.closest(".article-body") || document.body;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("a.back") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    walker.currentNode = anchor;
    var range = document.createRange();
    range.setStartAfter(anchor);
    var node, end = null, offset = 0;
    while (left > 0 && (node = walker.nextNode())) {
      end = node;
      offset = Math.min(node.data.length, left);
      left -= offset;
    }
    if (!end) return;
    range.setEnd(end, offset);
    CSS.highlights.set("storybrief-target", new Highlight(range));
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
  var printing = false;  // while printing every panel stays open
  document.querySelectorAll("details.outlet").forEach(function (panel) {
    panel.addEventListener("toggle", function () {
      if (printing) return;
      if (panel.open || !panel.closest(".briefing").querySelector("details.outlet[open]")) focusOutlet(panel);
    });
  });

  // Choosing a person shows only their statements in the quote ledger; choosing again shows all.
  function filterLedger(briefing, button) {
    var ledger = briefing.querySelector(".ledger");
    if (!ledger) return;
    var person = button && button.getAttribute("aria-pressed") !== "true" ? button.getAttribute("data-person") : null;
    briefing.querySelectorAll("button.filter").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button && person ? "true" : "false");
    });
    ledger.querySelectorAll(".speaker").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("li.statement").forEach(function (st) {
        var hit = !person || (st.getAttribute("data-speakers") || "").split(" ").indexOf(person) >= 0;
        st.hidden = !hit;
        if (hit) shown += 1;
      });
      group.hidden = shown === 0;
    });
    var status = ledger.querySelector(".filter-status");
    if (status) {
      status.hidden = !person;
      if (person) {
        var n = ledger.querySelectorAll("li.statement:not([hidden])").length;
        status.querySelector(".filter-text").textContent =
          "Showing " + n + (n === 1 ? " statement" : " statements") + " by " + button.getAttribute("data-name") + ".";
      }
    }
    if (person) ledger.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.filter, button.filter-clear");
    if (!button) return;
    var briefing = button.closest(".briefing") || document;
    filterLedger(briefing, button.classList.contains("filter") ? button : null);
  });

  // Paper shows everything: open every folded part before printing, and close them again after.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    printing = true;
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  reveal();
})();
