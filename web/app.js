// fahras: the search page and the document view. Plain JavaScript, no build step, no network
// beyond this server. The state lives in the URL: "/?q=…&session=11&year=2022&offset=10" is a
// search, "/doc/{id}#p{n}" a document opened at a passage.
"use strict";

(function () {
  const PAGE_SIZE = 10;
  const ELLIPSIS = "\u2026";
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const pluralRules = new Intl.PluralRules("ar");

  const view = document.getElementById("view");
  const message = document.getElementById("message");
  const form = document.getElementById("search-form");
  const input = document.getElementById("q");

  // Each route() call gets a number; an answer that arrives after a newer route is dropped.
  let currentRoute = 0;
  // The last results shown, kept so that "back" from a document redraws them at once and
  // the browser can restore the scroll position.
  let lastResults = { href: null, node: null };
  const stats = getJson("/api/stats").catch(() => null);

  // ---- Small DOM helpers -----------------------------------------------------------------

  /** An element with attributes (null and false are left out) and children (strings become text). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child);
    }
    return el;
  }

  /** Symbols and numbers stay left-to-right inside Arabic text. */
  function ltr(value) {
    return h("bdi", { dir: "ltr" }, String(value));
  }

  /** "N things" with Arabic plural agreement; forms use "#" for the number, e.g. "# فقرات". */
  function counted(n, forms) {
    const form = forms[pluralRules.select(n)] || forms.other;
    const [before, after] = form.includes("#") ? form.split("#") : [form, ""];
    return [before, form.includes("#") ? ltr(n) : null, after];
  }

  // A hit is a passage (mostly one UN paragraph); "المقطع n" names it by its ordinal in the
  // document, which is not the paragraph number printed in the text.
  const RESULTS = { zero: "لا نتائج", one: "نتيجة واحدة", two: "نتيجتان", few: "# نتائج", many: "# نتيجة", other: "# نتيجة" };
  const DOCUMENTS = { zero: "لا وثائق", one: "وثيقة واحدة", two: "وثيقتان", few: "# وثائق", many: "# وثيقة", other: "# وثيقة" };
  const PASSAGES = { zero: "لا مقاطع", one: "مقطع واحد", two: "مقطعان", few: "# مقاطع", many: "# مقطعًا", other: "# مقطع" };
  const KINDS = { report: "تقرير", note: "مذكرة", agenda: "جدول أعمال", resolution: "قرار", decision: "مقرر" };

  function formatMs(ms) {
    return ms < 0.1 ? "< 0.1" : ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
  }

  // ---- The API ---------------------------------------------------------------------------

  /** Thrown for an API error; `message` is the server's sentence. */
  class ApiError extends Error {
    constructor(status, code, text) {
      super(text);
      this.status = status;
      this.code = code;
    }
  }

  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (_) {
      throw new ApiError(0, "network", "تعذّر الاتصال بالخادم.");
    }
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      // A body that is not JSON is reported by its status below.
    }
    if (!response.ok) {
      const error = (body && body.error) || {};
      throw new ApiError(response.status, error.code || "http", error.message || `HTTP ${response.status}`);
    }
    return body;
  }

  /** "/api/doc/" + the id, each path segment encoded (ids may contain "/"). */
  function docPath(prefix, id) {
    return prefix + id.split("/").map(encodeURIComponent).join("/");
  }

  // ---- Search state <-> URL -------------------------------------------------------------

  function readState(search) {
    const params = new URLSearchParams(search);
    const offset = parseInt(params.get("offset") || "0", 10);
    return {
      q: (params.get("q") || "").trim(),
      sessions: params.getAll("session").filter(Boolean),
      year: params.get("year") || "",
      doc: params.get("doc") || "",
      offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    };
  }

  /** The query parameters of a state: q, session…, year, doc and (when asked) offset. */
  function stateParams(state, withOffset) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const session of state.sessions) params.append("session", session);
    if (state.year) params.set("year", state.year);
    if (state.doc) params.set("doc", state.doc);
    if (withOffset && state.offset) params.set("offset", String(state.offset));
    return params;
  }

  function searchHref(state) {
    const query = stateParams(state, true).toString();
    return query ? "/?" + query : "/";
  }

  function apiSearchUrl(state) {
    const params = stateParams(state, true);
    params.set("limit", String(PAGE_SIZE));
    return "/api/search?" + params.toString();
  }

  function exportHref(state, format) {
    return `/api/export?format=${format}&` + stateParams(state, false).toString();
  }

  // ---- Highlighting ----------------------------------------------------------------------

  /**
   * Where a snippet's text lies in the passage: the snippet without the "…" added where it
   * was cut, found in `text`. Returns null when it cannot be found (then nothing is marked).
   */
  function locateSnippet(snippet, text) {
    const lead = snippet.startsWith(ELLIPSIS);
    const trail = snippet.length > 1 && snippet.endsWith(ELLIPSIS);
    // A passage may itself begin or end with "…": then that one was not added.
    for (const [cutLead, cutTrail] of [[lead, trail], [false, trail], [lead, false], [false, false]]) {
      const core = snippet.slice(cutLead ? 1 : 0, cutTrail ? -1 : undefined);
      const at = text.indexOf(core);
      if (at >= 0) return { at, core, lead: cutLead, trail: cutTrail };
    }
    return null;
  }

  /**
   * The snippet as nodes, with the hit's highlights (UTF-8 byte ranges into `text`) inside
   * the snippet's window wrapped in <mark>. Text is added as text nodes, never as HTML.
   */
  function markedSnippet(hit) {
    const found = locateSnippet(hit.snippet, hit.text);
    if (!found) return [hit.snippet];
    const bytes = encoder.encode(hit.text);
    const start = encoder.encode(hit.text.slice(0, found.at)).length;
    const end = start + encoder.encode(found.core).length;
    const ranges = (hit.highlights || [])
      .filter(([from, to]) => from >= start && to <= end && from < to)
      .sort((a, b) => a[0] - b[0]);
    const piece = (from, to) => decoder.decode(bytes.subarray(from, to));

    const nodes = [found.lead ? ELLIPSIS : null];
    let position = start;
    for (const [from, to] of ranges) {
      if (from < position) continue; // overlapping ranges: the first one wins
      nodes.push(piece(position, from), h("mark", null, piece(from, to)));
      position = to;
    }
    nodes.push(piece(position, end), found.trail ? ELLIPSIS : null);
    return nodes.filter((node) => node !== null && node !== "");
  }

  // ---- Messages --------------------------------------------------------------------------

  function showError(error) {
    const lead = {
      bad_query: "تعذّر فهم الاستعلام: ",
      bad_param: "عنوان بحث غير صالح: ",
      not_found: "غير موجود: ",
      network: "",
    }[error.code];
    message.replaceChildren(
      h("strong", null, lead === undefined ? "حدث خطأ: " : lead),
      h("span", { dir: "auto" }, error.message),
    );
    message.hidden = false;
  }

  function clearError() {
    message.hidden = true;
    message.replaceChildren();
  }

  // ---- The search page -------------------------------------------------------------------

  async function showSearch(state, route) {
    input.value = state.q;
    document.title = state.q ? `${state.q} · فهرس` : "فهرس · البحث في وثائق مؤتمر الأطراف";
    if (!state.q) {
      view.replaceChildren(landing());
      return;
    }
    if (lastResults.href === location.href) {
      view.replaceChildren(lastResults.node);
      return;
    }
    view.replaceChildren(h("p", { class: "loading" }, "جارٍ البحث…"));
    // Session counts come from the search without its session filter, so every session
    // stays offered (and countable) once one is chosen.
    const facetState = { ...state, sessions: [], offset: 0 };
    const [result, facets, corpus] = await Promise.all([
      getJson(apiSearchUrl(state)),
      state.sessions.length ? getJson(apiSearchUrl(facetState)).catch(() => null) : null,
      stats,
    ]).catch((error) => {
      if (route === currentRoute) {
        view.replaceChildren();
        showError(error);
      }
      return [];
    });
    if (!result || route !== currentRoute) return;
    lastResults = { href: location.href, node: resultsView(state, result, (facets || result).by_session, corpus) };
    view.replaceChildren(lastResults.node);
  }

  function landing() {
    const example = (q) => h("li", null, h("a", { href: searchHref({ q, sessions: [], year: "", doc: "", offset: 0 }) }, q));
    const rule = (syntax, meaning) => h("tr", null, h("td", null, h("code", { dir: "auto" }, syntax)), h("td", null, meaning));
    return h(
      "section",
      { class: "landing" },
      h("h1", null, "ابحث في تقارير الدورات وجداول الأعمال والقرارات"),
      h(
        "p",
        null,
        "اكتب بالعربية كما تكتب عادةً: بهمزة أو بدونها، بالتشكيل أو بدونه، بالأرقام العربية أو الهندية. ",
        "تظهر الفقرات مرتبة حسب الصلة، وتُميَّز الكلمات المطابقة في النص الأصلي.",
      ),
      h("h2", null, "أمثلة"),
      h("ul", { class: "examples" }, ["الجريمة المنظمة", '"تسليم المجرمين"', "الأسلحة OR الذخيرة", "الاتجار -بالأشخاص"].map(example)),
      h("h2", null, "لغة الاستعلام"),
      h(
        "table",
        { class: "syntax" },
        h(
          "tbody",
          null,
          rule("تسليم المجرمين", "فقرات تحتوي الكلمتين، مرتبة حسب الصلة"),
          rule('"المادة 18 من الاتفاقية"', "العبارة بنصها، ومعها السوابق واللواحق (والمادة، للاتفاقية)"),
          rule('"تسليم المجرمين"~2', "الكلمات متقاربة في حدود موضعين"),
          rule("الاتجار -بالأشخاص", "الكلمة الأولى دون الثانية"),
          rule("الأسلحة OR الذخيرة", "إحدى الكلمتين"),
          rule("session:11 year:2022", "تصفية حسب الدورة أو السنة"),
        ),
      ),
    );
  }

  function resultsView(state, result, bySession, corpus) {
    const filters = h(
      "aside",
      { class: "filters", "aria-label": "تصفية النتائج" },
      sessionFilter(state, bySession),
      yearFilter(state, result, corpus),
      state.doc ? docFilter(state) : null,
    );
    const first = state.offset + 1;
    const last = state.offset + result.hits.length;
    const summary = h(
      "div",
      { class: "summary" },
      h(
        "p",
        { id: "summary", "data-total": result.total_hits },
        h("strong", { id: "total" }, counted(result.total_hits, RESULTS)),
        h("span", { class: "took" }, " في ", ltr(formatMs(result.took_ms)), " مللي ثانية"),
        result.hits.length ? [" · تُعرض ", ltr(`${first}–${last}`)] : null,
      ),
      result.total_hits
        ? h(
            "p",
            { class: "downloads" },
            "تنزيل النتائج: ",
            h("a", { href: exportHref(state, "csv"), download: "fahras.csv", "data-export": "csv" }, "CSV"),
            " · ",
            h("a", { href: exportHref(state, "json"), download: "fahras.json", "data-export": "json" }, "JSON"),
          )
        : null,
    );
    const hits = result.hits.length
      ? h("ol", { class: "hits", start: first }, result.hits.map(hitItem))
      : h("p", { class: "empty" }, state.offset ? "لا نتائج في هذه الصفحة." : "لم يُعثر على فقرات مطابقة. جرّب كلمات أقل أو أزل عوامل التصفية.");
    return h(
      "div",
      { class: "results-layout" },
      filters,
      h("section", { class: "results", "aria-label": "النتائج" }, summary, hits, pager(state, result.total_hits)),
    );
  }

  function hitItem(hit) {
    const meta = [
      hit.symbol ? h("span", { class: "symbol" }, ltr(hit.symbol)) : null,
      hit.session !== null ? h("span", null, "الدورة ", ltr(hit.session)) : null,
      hit.year !== null ? h("span", null, ltr(hit.year)) : null,
      h("span", null, "المقطع ", ltr(hit.passage)),
    ].filter(Boolean);
    return h(
      "li",
      { class: "hit", "data-session": hit.session === null ? "" : hit.session },
      h(
        "h3",
        { class: "hit-title" },
        h("a", { class: "hit-link", href: docPath("/doc/", hit.doc) + "#p" + hit.passage }, hit.title || hit.symbol || hit.doc),
      ),
      h("p", { class: "hit-meta" }, meta.flatMap((item, i) => (i ? [h("span", { class: "sep", "aria-hidden": "true" }, "·"), item] : [item]))),
      h("p", { class: "snippet" }, markedSnippet(hit)),
    );
  }

  /** A filter link: the current state with one change, the offset back to the first page. */
  function filterLink(state, change, label, count, active, attrs) {
    const href = searchHref({ ...state, ...change, offset: 0 });
    return h(
      "li",
      null,
      h(
        "a",
        { class: active ? "facet active" : "facet", href, "aria-current": active ? "true" : null, ...attrs },
        h("span", { class: "facet-label" }, label),
        count === null ? null : h("span", { class: "count" }, ltr(count)),
      ),
    );
  }

  function sessionFilter(state, bySession) {
    const sessions = new Set([...Object.keys(bySession || {}), ...state.sessions]);
    const ordered = [...sessions].sort((a, b) => Number(a) - Number(b));
    const toggled = (session) =>
      state.sessions.includes(session) ? state.sessions.filter((s) => s !== session) : [...state.sessions, session];
    return h(
      "nav",
      { class: "facet-group", "aria-label": "الدورة" },
      h("h2", null, "الدورة"),
      h(
        "ul",
        null,
        filterLink(state, { sessions: [] }, "كل الدورات", null, !state.sessions.length, { "data-filter": "session", "data-value": "" }),
        ordered.map((session) =>
          filterLink(
            state,
            { sessions: toggled(session) },
            ["الدورة ", ltr(session)],
            (bySession && bySession[session]) || 0,
            state.sessions.includes(session),
            { "data-filter": "session", "data-value": session },
          ),
        ),
      ),
    );
  }

  function yearFilter(state, result, corpus) {
    const years = new Set(state.year ? [state.year] : []);
    if (corpus && corpus.years) Object.keys(corpus.years).forEach((y) => years.add(y));
    else result.hits.forEach((hit) => hit.year !== null && years.add(String(hit.year)));
    const ordered = [...years].sort((a, b) => Number(b) - Number(a));
    return h(
      "nav",
      { class: "facet-group", "aria-label": "السنة" },
      h("h2", null, "السنة"),
      h(
        "ul",
        { class: "years" },
        filterLink(state, { year: "" }, "كل السنوات", null, !state.year, { "data-filter": "year", "data-value": "" }),
        ordered.map((year) =>
          filterLink(state, { year: state.year === year ? "" : year }, ltr(year), null, state.year === year, {
            "data-filter": "year",
            "data-value": year,
          }),
        ),
      ),
    );
  }

  function docFilter(state) {
    return h(
      "nav",
      { class: "facet-group", "aria-label": "الوثيقة" },
      h("h2", null, "الوثيقة"),
      h("ul", null, filterLink(state, { doc: "" }, ["داخل ", ltr(state.doc), " (إزالة)"], null, true, { "data-filter": "doc" })),
    );
  }

  /** Previous / page numbers / next, as links; pages far from the current one are elided. */
  function pager(state, total) {
    const pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1) return null;
    const current = Math.floor(state.offset / PAGE_SIZE);
    const link = (page, label, attrs) =>
      h("a", { href: searchHref({ ...state, offset: page * PAGE_SIZE }), ...attrs }, label);
    const items = [];
    let gap = false;
    for (let page = 0; page < pages; page++) {
      if (page === 0 || page === pages - 1 || Math.abs(page - current) <= 2) {
        items.push(
          page === current
            ? h("span", { class: "page current", "aria-current": "page" }, ltr(page + 1))
            : link(page, ltr(page + 1), { class: "page" }),
        );
        gap = false;
      } else if (!gap) {
        items.push(h("span", { class: "page gap" }, ELLIPSIS));
        gap = true;
      }
    }
    return h(
      "nav",
      { class: "pager", "aria-label": "الصفحات" },
      current > 0 ? link(current - 1, "→ السابق", { class: "step", rel: "prev" }) : null,
      items,
      current < pages - 1 ? link(current + 1, "التالي ←", { class: "step", rel: "next" }) : null,
    );
  }

  // ---- The document view -----------------------------------------------------------------

  async function showDocument(id, route) {
    view.replaceChildren(h("p", { class: "loading" }, "جارٍ تحميل الوثيقة…"));
    let doc;
    try {
      doc = await getJson(docPath("/api/doc/", id));
    } catch (error) {
      if (route === currentRoute) {
        view.replaceChildren(backLink());
        showError(error);
      }
      return;
    }
    if (route !== currentRoute) return;
    document.title = `${doc.title || doc.symbol || doc.doc} · فهرس`;
    view.replaceChildren(documentView(doc));
    markPassage();
  }

  /** Back to the search this document was opened from, when there was one. */
  function backLink() {
    const from = history.state && history.state.from;
    return h(
      "nav",
      { class: "crumbs" },
      from ? h("a", { href: from }, "→ العودة إلى النتائج") : h("a", { href: "/" }, "→ بحث جديد"),
    );
  }

  function documentView(doc) {
    const field = (label, value) => (value === null || value === undefined ? null : [h("dt", null, label), h("dd", null, value)]);
    return h(
      "article",
      { class: "document" },
      backLink(),
      h("h1", { class: "doc-title" }, doc.title || doc.symbol || doc.doc),
      h(
        "dl",
        { class: "doc-meta" },
        field("الرمز", doc.symbol && ltr(doc.symbol)),
        field("الدورة", doc.session !== null ? ltr(doc.session) : null),
        field("السنة", doc.year !== null ? ltr(doc.year) : null),
        field("التاريخ", doc.date && ltr(doc.date)),
        field("الهيئة", doc.body && ltr(doc.body)),
        field("النوع", doc.kind && (KINDS[doc.kind] || doc.kind)),
        field("المقاطع", ltr(doc.passages.length)),
      ),
      h(
        "div",
        { class: "passages" },
        doc.passages.map((p) =>
          h(
            "section",
            { class: "passage", id: "p" + p.passage, "data-passage": p.passage },
            h("a", { class: "passage-number", href: "#p" + p.passage, title: "رابط هذا المقطع" }, ltr(p.passage)),
            h("p", { class: "passage-text", dir: "auto" }, p.text),
          ),
        ),
      ),
    );
  }

  /** Highlights the passage named by the URL's #p{n} and scrolls it into view. */
  function markPassage() {
    for (const old of document.querySelectorAll(".passage.is-current")) {
      old.classList.remove("is-current");
      old.removeAttribute("aria-current");
    }
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (!target || !target.classList.contains("passage")) return;
    target.classList.add("is-current");
    target.setAttribute("aria-current", "location");
    target.scrollIntoView({ block: "center" });
  }

  // ---- Routing ---------------------------------------------------------------------------

  // The page on screen ("/doc/x" or "/?q=…"): going back between two passages of one
  // document only moves the highlight.
  let shown = null;

  function route() {
    const page = location.pathname + location.search;
    if (page === shown && location.pathname.startsWith("/doc/")) {
      markPassage();
      return;
    }
    shown = page;
    const routeNumber = ++currentRoute;
    clearError();
    const path = location.pathname;
    if (path.startsWith("/doc/")) {
      const id = path.slice("/doc/".length).split("/").map(decodeURIComponent).join("/");
      showDocument(id, routeNumber);
    } else {
      showSearch(readState(location.search), routeNumber);
    }
  }

  function isPage(url) {
    return url.origin === location.origin && (url.pathname === "/" || url.pathname.startsWith("/doc/"));
  }

  /** Shows `url` without reloading the page; a document remembers the search it came from. */
  function navigate(url) {
    const from = location.pathname === "/" && url.pathname.startsWith("/doc/") ? location.href : null;
    history.pushState({ from }, "", url.href);
    route();
    if (!url.hash) window.scrollTo(0, 0);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.hasAttribute("download") || link.target) return;
    const url = new URL(link.href);
    if (!isPage(url)) return;
    // A link to another passage of the open document: the browser moves the hash.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    navigate(url);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // A new query keeps the filters of the search on screen, and starts at its first page.
    const current = location.pathname === "/" ? readState(location.search) : readState("");
    navigate(new URL(searchHref({ ...current, q: input.value.trim(), offset: 0 }), location.href));
  });

  window.addEventListener("popstate", route);
  window.addEventListener("hashchange", markPassage);

  stats.then((corpus) => {
    if (!corpus) return;
    const sessions = Object.keys(corpus.sessions || {}).sort((a, b) => a - b);
    document.getElementById("stats").replaceChildren(
      h(
        "span",
        null,
        "في الفهرس ",
        counted(corpus.documents, DOCUMENTS),
        " و",
        counted(corpus.passages, PASSAGES),
        " (",
        ltr((corpus.corpus_bytes / 1e6).toFixed(1)),
        " ميغابايت من النص)",
        sessions.length ? [" من الدورات ", sessions.flatMap((s, i) => (i ? ["، ", ltr(s)] : [ltr(s)]))] : null,
        ".",
      ),
    );
  });

  route();
})();
