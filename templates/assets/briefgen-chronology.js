/* briefgen: the chronology's filters (issue 14 §2). Plain JavaScript, nothing external.

   Without this script the page lists every entry and the filter form stays hidden. With it,
   the form shows; choosing a type, a place or an actor shows only the entries that match all
   three, hides the month (and year, era) headings left empty, and announces how many entries
   are shown (a role="status" line). An entry a link points to (#id) is opened.

   mkdocs-material's instant navigation swaps pages without reloading scripts: when material's
   `document$` observable exists the filters are set up on each page it emits, otherwise once
   on DOMContentLoaded. */
(function () {
  "use strict";

  function matches(entry, chosen) {
    if (chosen.type && entry.dataset.type !== chosen.type) return false;
    if (chosen.place && (entry.dataset.places || "").split(" ").indexOf(chosen.place) < 0) return false;
    if (chosen.actor && (entry.dataset.actors || "").split(" ").indexOf(chosen.actor) < 0) return false;
    return true;
  }

  // A heading's section: the elements after it up to the next heading of its level or higher.
  function sections(root) {
    var headings = root.querySelectorAll("h2, h3");
    var result = [];
    headings.forEach(function (heading) {
      var level = Number(heading.tagName.charAt(1));
      var members = [];
      for (var el = heading.nextElementSibling; el; el = el.nextElementSibling) {
        if (/^H[1-6]$/.test(el.tagName) && Number(el.tagName.charAt(1)) <= level) break;
        members.push(el);
      }
      result.push({ heading: heading, members: members });
    });
    return result;
  }

  function setUp(root) {
    var form = root.querySelector("form[data-bg-filters]");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var status = root.querySelector("[data-bg-filter-status]");
    var entries = Array.prototype.slice.call(root.querySelectorAll(".bg-chron-entry"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var groups = sections(root).filter(function (s) {
      return s.members.some(function (el) {
        return el.querySelector && el.querySelector(".bg-chron-entry");
      });
    });

    function apply() {
      var chosen = {};
      selects.forEach(function (select) {
        chosen[select.dataset.filter] = select.value;
      });
      var shown = 0;
      entries.forEach(function (entry) {
        var visible = matches(entry, chosen);
        entry.hidden = !visible;
        if (visible) shown += 1;
      });
      root.querySelectorAll(".bg-chron-rows").forEach(function (rows) {
        rows.hidden = !rows.querySelector(".bg-chron-entry:not([hidden])");
      });
      // Innermost sections first, so a year with no month left is hidden too.
      groups
        .slice()
        .reverse()
        .forEach(function (s) {
          var any = s.members.some(function (el) {
            return el.querySelector && el.querySelector(".bg-chron-entry:not([hidden])");
          });
          s.heading.hidden = !any;
          s.members.forEach(function (el) {
            if (!el.classList.contains("bg-chron-rows") && !/^H[1-6]$/.test(el.tagName)) el.hidden = !any;
          });
        });
      if (status) {
        status.textContent = status.dataset.template.replace("{shown}", String(shown));
      }
    }

    selects.forEach(function (select) {
      select.addEventListener("change", apply);
    });
    // A reset changes the values after the event: apply once they are back.
    form.addEventListener("reset", function () {
      window.setTimeout(apply, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  // Browsers that do not expand a closed <details> to show a link's target: open it here.
  function openTarget() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var entry = target && target.closest("details");
    if (entry && !entry.open) {
      entry.open = true;
      target.scrollIntoView();
    }
  }

  function init() {
    setUp(document);
    openTarget();
  }

  window.addEventListener("hashchange", openTarget);
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
