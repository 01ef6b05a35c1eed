// briefgen's site search: mkdocs-material's search box, searching the page's language's Pagefind
// bundle (briefgen/site/pagefind_index.py). Pagefind fetches only the index chunks a query needs.
// Keyboard as in material: "/", "s" or "f" opens the search, arrows move through the results,
// Enter opens one, Escape closes the search.
(() => {
  "use strict";

  const dialog = document.querySelector("[data-bg-search]");
  const toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  const input = dialog.querySelector(".md-search__input");
  const summary = dialog.querySelector(".md-search-result__meta");
  const list = dialog.querySelector(".md-search-result__list");
  const form = dialog.querySelector("form");
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const strings = config.translations || {};
  const bundle = new URL(dialog.dataset.bgSearch, location.href);
  const arabic = document.documentElement.lang === "ar";
  // Pagefind's result URLs are site-absolute ("/ar/articles/x/"): resolve them from the site's root.
  const siteRoot = new URL(arabic ? "../../" : "../", bundle).pathname;
  // Results rendered at first, and then as the list scrolls; the summary counts all of them.
  // Each result's text is a file of its own, so every one rendered is a download.
  const SHOWN = 10;
  // A word of one letter finds nearly every page, and so does the article ال (or وال, بال …)
  // with one letter after it: such a query is not searched yet (each search fetches the index
  // chunks of every word it is a prefix of, and the shown results' texts).
  const MIN_LETTERS = 2;
  const EXCERPT_WORDS = 30;
  // Ends a page's own text in what Pagefind stores; briefgen's search keywords follow it.
  const KEYWORDS_MARK = "⁂";

  let pagefind = null;
  let searches = 0; // the latest search's number: an older one's results are dropped

  function load() {
    if (!pagefind) {
      // The bundle's main index (the pages that are not articles) and its article shards,
      // merged: a rebuild indexes only the shards whose pages changed. Each shard is a like
      // sample of the archive, so results merged by Pagefind's score rank as in one index.
      const shards = fetch(new URL("shards.json", bundle).href).then((answer) => (answer.ok ? answer.json() : []));
      pagefind = import(new URL("pagefind.js", bundle).href).then(async (module) => {
        // No web worker: it is 41 KB more to fetch before the first result, and a search of the
        // wasm index takes milliseconds on the page's own thread.
        const options = { baseUrl: siteRoot, excerptLength: EXCERPT_WORDS };
        await module.options({ ...options, noWorker: true });
        await module.init();
        for (const shard of await shards) {
          await module.mergeIndex(new URL(`${shard}/`, bundle).href, options);
        }
        return module;
      });
    }
    return pagefind;
  }

  // briefgen.arabic.normalize, as far as matching a typed word to the text goes.
  const FOLD = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه" };
  function normalize(word) {
    return word
      .normalize("NFC")
      .replace(/[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g, "")
      .replace(/[أإآٱىة]/g, (ch) => FOLD[ch])
      .toLowerCase();
  }
  // briefgen.site.search_index.SEARCH_PREFIXES, longest first.
  const PREFIXES = ["وبال", "وكال", "ولل", "فبال", "فلل", "فال", "وال", "بال", "كال", "لل", "ال", "و", "ف"];
  function readings(word) {
    const whole = normalize(word);
    const found = [whole];
    for (const prefix of PREFIXES) {
      if (whole.startsWith(prefix) && whole.length - prefix.length >= 3) {
        const stem = whole.slice(prefix.length);
        found.push(stem);
        if (prefix.endsWith("ال") || prefix.endsWith("لل")) found.push("ال" + stem);
      }
    }
    return found;
  }
  function worthSearching(query) {
    const last = normalize(query.split(/\s+/).at(-1) || "");
    const prefix = PREFIXES.find((p) => last.startsWith(p)) || "";
    return last.length - prefix.length >= MIN_LETTERS;
  }
  const WORD_EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  function matches(word, terms) {
    const bare = word.replace(WORD_EDGE, "");
    return bare !== "" && readings(bare).some((reading) => terms.some((term) => reading.startsWith(term)));
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  }

  // The passage around the first word of the page's own text that the query matches, the
  // matching words marked. Pagefind's excerpt may come from the keywords, which are no passage.
  function excerpt(data, query) {
    let text = (data.content || "").split(KEYWORDS_MARK)[0];
    // The text begins with the title, which the result shows already.
    const title = data.meta.title || "";
    if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^[.\s]+/, "");
    const words = text.split(/\s+/).filter(Boolean);
    const terms = query.split(/\s+/).filter(Boolean).map(normalize);
    const first = words.findIndex((word) => matches(word, terms));
    if (first === -1) {
      // Stemmed English ("fighting" found "fight") is Pagefind's to mark.
      if (data.excerpt && !data.excerpt.includes(KEYWORDS_MARK)) return data.excerpt;
      return escapeHtml(words.slice(0, EXCERPT_WORDS).join(" "));
    }
    const start = Math.max(0, first - Math.floor(EXCERPT_WORDS / 3));
    const shown = words.slice(start, start + EXCERPT_WORDS);
    const marked = shown.map((word) => (matches(word, terms) ? mark(word) : escapeHtml(word)));
    return (start > 0 ? "… " : "") + marked.join(" ") + (start + EXCERPT_WORDS < words.length ? " …" : "");
  }

  // The word marked, without the punctuation around it: "(<mark>Haftar</mark>,".
  function mark(word) {
    const bare = word.match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u);
    return `${escapeHtml(bare[1])}<mark>${escapeHtml(bare[2])}</mark>${escapeHtml(bare[3])}`;
  }

  function count(n) {
    if (n === 0) return strings["search.result.none"] || "No matching documents";
    if (n === 1) return strings["search.result.one"] || "1 matching document";
    return (strings["search.result.other"] || "# matching documents").replace("#", String(n));
  }

  function result(data, query) {
    const item = document.createElement("li");
    item.className = "md-search-result__item";
    const details = [data.meta.source, data.meta.date].filter(Boolean).map(escapeHtml).join(" · ");
    item.innerHTML =
      `<a href="${escapeHtml(new URL(data.url, location.href).href)}" class="md-search-result__link" tabindex="-1">` +
      `<article class="md-search-result__article md-typeset">` +
      `<div class="md-search-result__icon md-icon"></div>` +
      `<h1>${escapeHtml(data.meta.title || data.url)}</h1>` +
      (details ? `<p class="bg-search-details">${details}</p>` : "") +
      `<p>${excerpt(data, query)}</p></article></a>`;
    return item;
  }

  let pending = []; // the latest search's results not rendered yet
  let pendingQuery = "";

  async function search() {
    const query = input.value.trim();
    const number = ++searches;
    if (!worthSearching(query)) {
      list.replaceChildren();
      pending = [];
      summary.textContent = strings["search.result.placeholder"] || "";
      delete dialog.dataset.shownQuery;
      return;
    }
    const found = await (await load()).search(query);
    if (number !== searches) return; // a later keystroke's search is on its way: fetch nothing
    const shown = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    if (number !== searches) return;
    pending = found.results.slice(SHOWN);
    pendingQuery = query;
    list.replaceChildren(...shown.map((data) => result(data, query)));
    summary.textContent = count(found.results.length);
    dialog.dataset.shownQuery = query; // what the results shown are for (tests/browser.py waits on it)
    dialog.dispatchEvent(new CustomEvent("bg-search-done", { bubbles: true, detail: { query, count: found.results.length } }));
  }

  // The next results, once the list is scrolled near its end.
  let rendering = false;
  async function more() {
    if (rendering || !pending.length) return;
    rendering = true;
    const number = searches;
    const next = pending.splice(0, SHOWN);
    const shown = await Promise.all(next.map((r) => r.data()));
    if (number === searches) list.append(...shown.map((data) => result(data, pendingQuery)));
    rendering = false;
  }
  const scrollwrap = dialog.querySelector(".md-search__scrollwrap");
  scrollwrap?.addEventListener("scroll", () => {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight > scrollwrap.scrollHeight - 200) {
      more().catch((error) => console.error(error));
    }
  });

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.focus();
  }
  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    input.blur();
  }

  // Pagefind's script, worker and wasm start loading at the first sign of a search: a pointer
  // over the search box or its header button, or the focus (a reader who typed "/").
  for (const target of [dialog, document.querySelector("label.md-header__button[for='__search']")]) {
    target?.addEventListener("pointerenter", () => load(), { once: true });
  }
  input.addEventListener("focus", () => {
    load();
    if (!toggle.checked) toggle.checked = true;
  });
  input.addEventListener("input", () => search().catch((error) => console.error(error)));
  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    list.querySelector(".md-search-result__link")?.click();
  });
  form.addEventListener("reset", () => {
    setTimeout(() => search().catch((error) => console.error(error)));
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!toggle.checked) {
      if (!typing && ["/", "s", "f"].includes(event.key)) {
        event.preventDefault();
        open();
      }
      return;
    }
    const links = [...list.querySelectorAll(".md-search-result__link")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length || !(target === input || at !== -1)) return;
      event.preventDefault();
      const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]).focus();
    } else if (at !== -1 && event.key.length === 1) {
      input.focus(); // typing on a result goes on with the query
    }
  });
})();
