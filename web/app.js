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
  // The page on screen ("/doc/x" or "/?q=…"): moving between passages of one document only
  // moves the highlight.
  let shownPage = null;
  // The last results drawn: "back" from a document redraws them at once, so the browser can
  // restore the scroll position.
  let lastResults = { href: null, node: null };
  const stats = getJson("/api/stats").catch(() => null);

  // ---- Words -----------------------------------------------------------------------------

  // Arabic plural forms by Intl.PluralRules category; "#" stands for the number.
  const RESULTS = {
    zero: "لا نتائج",
    one: "نتيجة واحدة",
    two: "نتيجتان",
    few: "# نتائج",
    many: "# نتيجة",
    other: "# نتيجة",
  };
  const DOCUMENTS = {
    zero: "لا وثائق",
    one: "وثيقة واحدة",
    two: "وثيقتان",
    few: "# وثائق",
    many: "# وثيقة",
    other: "# وثيقة",
  };
  // A hit is a passage (mostly one UN paragraph); "المقطع n" names it by its ordinal in the
  // document, which is not the paragraph number printed in its text.
  const PASSAGES = {
    zero: "لا مقاطع",
    one: "مقطع واحد",
    two: "مقطعان",
    few: "# مقاطع",
    many: "# مقطعًا",
    other: "# مقطع",
  };
  const KINDS = {
    report: "تقرير",
    note: "مذكرة",
    agenda: "جدول أعمال",
    resolution: "قرار",
    decision: "مقرر",
  };
  const ERROR_LEADS = {
    bad_query: "تعذّر فهم الاستعلام: ",
    bad_param: "عنوان بحث غير صالح: ",
    not_found: "غير موجود: ",
    network: "",
  };

  // ---- Small DOM helpers -----------------------------------------------------------------

  /** An element with attributes (null and false left out) and children (strings become text). */
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

  /** "N things" with Arabic plural agreement, the number kept left-to-right. */
  function counted(n, forms) {
    const [before, after] = (forms[pluralRules.select(n)] || forms.other).split("#");
    return after === undefined ? [before] : [before, ltr(n), after];
  }

  /** Items with a middle dot between them. */
  function dotted(items) {
    const dot = () => h("span", { class: "sep", "aria-hidden": "true" }, "·");
    return items.flatMap((item, i) => (i ? [dot(), item] : [item]));
  }

  function formatMs(ms) {
    return ms < 0.1 ? "< 0.1" : ms < 10 ? ms.toFixed(1) : String(Math.round(ms));
  }

  // ---- The API ---------------------------------------------------------------------------

  /** An API error: `code` as the server names it, `message` its sentence. */
  class ApiError extends Error {
    constructor(code, text) {
      super(text);
      this.code = code;
    }
  }

  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (_) {
      throw new ApiError("network", "تعذّر الاتصال بالخادم.");
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (body && body.error) || {};
      throw new ApiError(error.code || "http", error.message || `HTTP ${response.status}`);
    }
    return body;
  }

  /** `prefix` + a document id, each of its path segments encoded (ids may contain "/"). */
  function docPath(prefix, id) {
    return prefix + id.split("/").map(encodeURIComponent).join("/");
  }

  // ---- Search state <-> URL --------------------------------------------------------------

  function readState(search) {
    const params = new URLSearchParams(search);
    const offset = parseInt(params.get("offset") || "0", 10);
    return {
      q: (params.get("q") || "").trim(),
      sessions: params.getAll("session").filter(Boolean),
      year: params.get("year") || "",
      doc: params.get("doc") || "",
      articles: params.getAll("article").filter(Boolean),
      offset: offset > 0 ? offset : 0,
    };
  }

  /** The query parameters of a state: q, session…, year, doc, article… and, when asked, offset. */
  function stateParams(state, withOffset) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const session of state.sessions) params.append("session", session);
    if (state.year) params.set("year", state.year);
    if (state.doc) params.set("doc", state.doc);
    for (const article of state.articles) params.append("article", article);
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
    return "/api/search?" + params;
  }

  /** An export holds the whole search (the server caps it), not only the page on screen. */
  function exportHref(state, format) {
    return `/api/export?format=${format}&` + stateParams(state, false);
  }

  // ---- Highlighting ----------------------------------------------------------------------

  /**
   * Where a snippet lies in its passage: the snippet without the "…" added where it was cut,
   * found in `text`; null when it cannot be found (then nothing is marked).
   */
  function locateSnippet(snippet, text) {
    const lead = snippet.startsWith(ELLIPSIS);
    const trail = snippet.length > 1 && snippet.endsWith(ELLIPSIS);
    // A passage may itself begin or end with "…": then that one was not added.
    const cuts = [[lead, trail], [false, trail], [lead, false], [false, false]];
    for (const [cutLead, cutTrail] of cuts) {
      const core = snippet.slice(cutLead ? 1 : 0, cutTrail ? -1 : undefined);
      const at = text.indexOf(core);
      if (at >= 0) return { at, core, lead: cutLead, trail: cutTrail };
    }
    return null;
  }

  /**
   * The snippet as nodes, the hit's highlights (UTF-8 byte ranges into `text`) that fall in
   * the snippet's window wrapped in <mark>. Pieces are cut from the UTF-8 bytes and decoded;
   * they go in as text nodes, so nothing in a passage is ever read as HTML.
   */
  function markedSnippet(hit) {
    const found = locateSnippet(hit.snippet, hit.text);
    if (!found) return [hit.snippet];
    const bytes = encoder.encode(hit.text);
    const start = encoder.encode(hit.text.slice(0, found.at)).length;
    const end = start + encoder.encode(found.core).length;
    const ranges = (hit.highlights || [])
      .filter(([from, to]) => start <= from && from < to && to <= end)
      .sort((a, b) => a[0] - b[0]);
    const piece = (from, to) => decoder.decode(bytes.subarray(from, to));

    const nodes = [found.lead ? ELLIPSIS : ""];
    let position = start;
    for (const [from, to] of ranges) {
      if (from < position) continue; // of two overlapping ranges, the first wins
      nodes.push(piece(position, from), h("mark", null, piece(from, to)));
      position = to;
    }
    nodes.push(piece(position, end), found.trail ? ELLIPSIS : "");
    return nodes.filter((node) => node !== "");
  }

  // ---- Messages --------------------------------------------------------------------------

  function showError(error) {
    const lead = ERROR_LEADS[error.code];
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
    if (!state.q && state.articles.length === 0) {
      view.replaceChildren(landing());
      return;
    }
    if (lastResults.href === location.href) {
      view.replaceChildren(lastResults.node);
      return;
    }
    view.replaceChildren(h("p", { class: "loading" }, "جارٍ البحث…"));
    // Session counts come from the search without its session filter, so that every session
    // stays on offer, with its count, once one is chosen.
    const unfiltered = { ...state, sessions: [], offset: 0 };
    let result, facets, corpus;
    try {
      [result, facets, corpus] = await Promise.all([
        getJson(apiSearchUrl(state)),
        state.sessions.length ? getJson(apiSearchUrl(unfiltered)).catch(() => null) : null,
        stats,
      ]);
    } catch (error) {
      if (route === currentRoute) {
        view.replaceChildren();
        showError(error);
      }
      return;
    }
    if (route !== currentRoute) return;
    const bySession = (facets || result).by_session;
    lastResults = { href: location.href, node: resultsView(state, result, bySession, corpus) };
    view.replaceChildren(lastResults.node);
  }

  function landing() {
    const example = (q) =>
      h("li", null, h("a", { href: searchHref({ ...readState(""), q }) }, q));
    const rule = (syntax, meaning) =>
      h("tr", null, h("td", null, h("code", { dir: "auto" }, syntax)), h("td", null, meaning));
    return h(
      "section",
      { class: "landing" },
      h("h1", null, "ابحث في تقارير الدورات وجداول الأعمال والقرارات"),
      h(
        "p",
        null,
        "اكتب بالعربية كما تكتب عادةً: بهمزة أو بدونها، بالتشكيل أو بدونه، بالأرقام العربية ",
        "أو الهندية. تظهر النتائج مرتبة حسب الصلة، وتُميَّز الكلمات المطابقة في النص الأصلي.",
      ),
      h("h2", null, "أمثلة"),
      h(
        "ul",
        { class: "examples" },
        ["الجريمة المنظمة", '"تسليم المجرمين"', "الأسلحة OR الذخيرة", "الاتجار -بالأشخاص"].map(
          example,
        ),
      ),
      h("h2", null, "لغة الاستعلام"),
      h(
        "table",
        { class: "syntax" },
        h(
          "tbody",
          null,
          rule("تسليم المجرمين", "مقاطع تحتوي الكلمتين، مرتبة حسب الصلة"),
          rule('"المادة 18 من الاتفاقية"', "العبارة بنصها، ومعها السوابق واللواحق (والمادة، للاتفاقية)"),
          rule('"تسليم المجرمين"~2', "الكلمات متقاربة في حدود موضعين"),
          rule("الاتجار -بالأشخاص", "الكلمة الأولى دون الثانية"),
          rule("الأسلحة OR الذخيرة", "إحدى الكلمتين"),
          rule("session:11 year:2022", "تصفية حسب الدورة أو السنة"),
          rule("article:16", "المقاطع التي تستشهد بالمادة 16 من الاتفاقية"),
          rule("decision:11/1", "المقاطع التي تذكر القرار أو المقرر 11/1"),
          rule("symbol:CTOC/COP/WG.2/*", "المقاطع التي تذكر رمز وثيقة أو بادئته"),
        ),
      ),
    );
  }

  function resultsView(state, result, bySession, corpus) {
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
      result.total_hits ? downloads(state) : null,
    );
    const hits = result.hits.length
      ? h("ol", { class: "hits", start: first }, result.hits.map(hitItem))
      : h(
          "p",
          { class: "empty" },
          state.offset
            ? "لا نتائج في هذه الصفحة."
            : "لم يُعثر على نتائج. جرّب كلمات أقل أو أزل عوامل التصفية.",
        );
    return h(
      "div",
      { class: "results-layout" },
      h(
        "aside",
        { class: "filters", "aria-label": "تصفية النتائج" },
        sessionFilter(state, bySession),
        yearFilter(state, result, corpus),
        state.doc ? docFilter(state) : null,
      ),
      h(
        "section",
        { class: "results", "aria-label": "النتائج" },
        h("h1", { class: "visually-hidden" }, "نتائج البحث"),
        summary,
        hits,
        pager(state, result.total_hits),
      ),
    );
  }

  function downloads(state) {
    const link = (format, label) =>
      h("a", { href: exportHref(state, format), download: true }, label);
    return h("p", { class: "downloads" }, "تنزيل النتائج: ", link("csv", "CSV"), link("json", "JSON"));
  }

  // A document's own symbol links out to the UN's document system.
  function symbolLink(symbol, url) {
    return url
      ? h("a", { class: "undocs", href: url, rel: "noopener", target: "_blank" }, ltr(symbol))
      : ltr(symbol);
  }

  function hitItem(hit) {
    const meta = [
      hit.symbol ? h("span", { class: "symbol" }, symbolLink(hit.symbol, hit.url)) : null,
      hit.session == null ? null : h("span", null, "الدورة ", ltr(hit.session)),
      hit.year == null ? null : h("span", null, ltr(hit.year)),
      h("span", null, "المقطع ", ltr(hit.passage)),
    ].filter(Boolean);
    const href = docPath("/doc/", hit.doc) + "#p" + hit.passage;
    return h(
      "li",
      { class: "hit", "data-session": hit.session == null ? "" : hit.session },
      h(
        "h3",
        { class: "hit-title" },
        h("a", { class: "hit-link", href }, hit.title || hit.symbol || hit.doc),
      ),
      h("p", { class: "hit-meta" }, dotted(meta)),
      h("p", { class: "snippet" }, markedSnippet(hit)),
    );
  }

  /**
   * A filter link: the current search with one change, back on its first page. `filter` and
   * `value` name the link (data-filter, data-value) for tests and styles.
   */
  function filterLink(state, change, label, { count = null, active, filter, value = "" }) {
    return h(
      "li",
      null,
      h(
        "a",
        {
          class: active ? "facet active" : "facet",
          href: searchHref({ ...state, ...change, offset: 0 }),
          "aria-current": active ? "true" : null,
          "data-filter": filter,
          "data-value": value,
        },
        h("span", { class: "facet-label" }, label),
        count === null ? null : h("span", { class: "count" }, ltr(count)),
      ),
    );
  }

  /** Sessions add to or drop from the filter: `session` may repeat, meaning "any of these". */
  function sessionFilter(state, bySession) {
    const chosen = state.sessions;
    const sessions = [...new Set([...Object.keys(bySession || {}), ...chosen])].sort(
      (a, b) => a - b,
    );
    const toggled = (session) =>
      chosen.includes(session) ? chosen.filter((s) => s !== session) : [...chosen, session];
    return h(
      "nav",
      { class: "facet-group", "aria-label": "الدورة" },
      h("h2", null, "الدورة"),
      h(
        "ul",
        null,
        filterLink(state, { sessions: [] }, "كل الدورات", {
          active: !chosen.length,
          filter: "session",
        }),
        sessions.map((session) =>
          filterLink(state, { sessions: toggled(session) }, ["الدورة ", ltr(session)], {
            count: (bySession && bySession[session]) || 0,
            active: chosen.includes(session),
            filter: "session",
            value: session,
          }),
        ),
      ),
    );
  }

  /** The years of the corpus (from /api/stats; else those on the page), one at a time. */
  function yearFilter(state, result, corpus) {
    const years = new Set(state.year ? [state.year] : []);
    const known =
      corpus && corpus.years ? Object.keys(corpus.years) : result.hits.map((hit) => hit.year);
    known.filter((y) => y != null).forEach((y) => years.add(String(y)));
    return h(
      "nav",
      { class: "facet-group", "aria-label": "السنة" },
      h("h2", null, "السنة"),
      h(
        "ul",
        { class: "years" },
        filterLink(state, { year: "" }, "كل السنوات", { active: !state.year, filter: "year" }),
        [...years]
          .sort((a, b) => b - a)
          .map((year) =>
            filterLink(state, { year: state.year === year ? "" : year }, ltr(year), {
              active: state.year === year,
              filter: "year",
              value: year,
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
      h(
        "ul",
        null,
        filterLink(state, { doc: "" }, ["داخل ", ltr(state.doc), " (إزالة)"], {
          active: true,
          filter: "doc",
          value: state.doc,
        }),
      ),
    );
  }

  /** Previous, page numbers, next, as links; pages far from the current one are elided. */
  function pager(state, total) {
    const pages = Math.ceil(total / PAGE_SIZE);
    if (pages <= 1) return null;
    const current = Math.floor(state.offset / PAGE_SIZE);
    const link = (page, label, attrs) =>
      h("a", { href: searchHref({ ...state, offset: page * PAGE_SIZE }), ...attrs }, label);
    const items = [];
    for (let page = 0; page < pages; page++) {
      if (page === 0 || page === pages - 1 || Math.abs(page - current) <= 2) {
        items.push(
          page === current
            ? h("span", { class: "page current", "aria-current": "page" }, ltr(page + 1))
            : link(page, ltr(page + 1), { class: "page" }),
        );
      } else if (!items[items.length - 1].classList.contains("gap")) {
        items.push(h("span", { class: "page gap" }, ELLIPSIS));
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

  /** Back to the search the document was opened from, when there was one. */
  function backLink() {
    const from = history.state && history.state.from;
    return h(
      "nav",
      { class: "crumbs" },
      from ? h("a", { href: from }, "→ العودة إلى النتائج") : h("a", { href: "/" }, "→ بحث جديد"),
    );
  }

  function documentView(doc) {
    const field = (label, value) =>
      value == null ? null : [h("dt", null, label), h("dd", null, value)];
    const passage = (p) => {
      const text = h("p", { class: "passage-text", dir: "auto" }, p.text);
      const repaired = p.extracted != null;
      return h(
        "section",
        { class: "passage", id: "p" + p.passage, "data-repaired": repaired },
        h(
          "a",
          { class: "passage-number", href: "#p" + p.passage, title: "رابط هذا المقطع" },
          ltr(p.passage),
        ),
        repaired ? h("div", { class: "passage-body" }, text, extractedToggle(p, text)) : text,
      );
    };
    return h(
      "article",
      { class: "document" },
      backLink(),
      h("h1", { class: "doc-title" }, doc.title || doc.symbol || doc.doc),
      h(
        "dl",
        { class: "doc-meta" },
        field("الرمز", doc.symbol && symbolLink(doc.symbol, doc.url)),
        field("الدورة", doc.session == null ? null : ltr(doc.session)),
        field("السنة", doc.year == null ? null : ltr(doc.year)),
        field("التاريخ", doc.date && ltr(doc.date)),
        field("الهيئة", doc.body && ltr(doc.body)),
        field("النوع", doc.kind && (KINDS[doc.kind] || doc.kind)),
        field("المقاطع", ltr(doc.passages.length)),
      ),
      h("div", { class: "passages" }, doc.passages.map(passage)),
    );
  }

  /**
   * A passage that repair changed reads as repaired; this button shows it as extracted from
   * its file (line breaks kept), and back.
   */
  function extractedToggle(p, text) {
    const button = h(
      "button",
      {
        type: "button",
        class: "as-extracted",
        "aria-pressed": "false",
        title: "عرض هذا المقطع كما استُخرج من الملف، قبل إصلاح النص",
      },
      "كما استُخرج",
    );
    button.addEventListener("click", () => {
      const extracted = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(extracted));
      text.textContent = extracted ? p.extracted : p.text;
      text.classList.toggle("is-extracted", extracted);
    });
    return button;
  }

  /** Highlights the passage the URL names (#p{n}) and scrolls it into view. */
  function markPassage() {
    for (const old of document.querySelectorAll(".passage.is-current")) {
      old.classList.remove("is-current");
      old.removeAttribute("aria-current");
    }
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (!target || !target.classList.contains("passage")) return;
    target.classList.add("is-current");
    target.setAttribute("aria-current", "location");
    target.scrollIntoView({ block: "center" });
  }

  // ---- Routing ---------------------------------------------------------------------------

  function route() {
    const page = location.pathname + location.search;
    if (page === shownPage && location.pathname.startsWith("/doc/")) {
      markPassage();
      return;
    }
    shownPage = page;
    const routeNumber = ++currentRoute;
    clearError();
    if (!location.pathname.startsWith("/doc/")) {
      showSearch(readState(location.search), routeNumber);
      return;
    }
    let id;
    try {
      id = location.pathname.slice("/doc/".length).split("/").map(decodeURIComponent).join("/");
    } catch (_) {
      showError(new ApiError("not_found", location.pathname));
      return;
    }
    showDocument(id, routeNumber);
  }

  function isPage(url) {
    const path = url.pathname;
    return url.origin === location.origin && (path === "/" || path.startsWith("/doc/"));
  }

  /** Shows `url` without reloading the page; a document remembers the search it came from. */
  function navigate(url) {
    const fromSearch = location.pathname === "/" && url.pathname.startsWith("/doc/");
    const from = fromSearch ? location.pathname + location.search : null;
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
    // Another passage of the document on screen: the browser moves the hash itself.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    navigate(url);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // A new query keeps the filters of the search on screen and starts at its first page.
    const current = readState(location.pathname === "/" ? location.search : "");
    navigate(new URL(searchHref({ ...current, q: input.value.trim(), offset: 0 }), location.href));
  });

  window.addEventListener("popstate", route);
  window.addEventListener("hashchange", markPassage);

  stats.then((corpus) => {
    if (!corpus) return;
    const sessions = Object.keys(corpus.sessions || {}).sort((a, b) => a - b);
    document.getElementById("stats").replaceChildren(
      "في الفهرس ",
      h("span", null, counted(corpus.documents, DOCUMENTS)),
      " و",
      h("span", null, counted(corpus.passages, PASSAGES)),
      " (",
      ltr((corpus.corpus_bytes / 1e6).toFixed(1)),
      " ميغابايت من النص)",
      sessions.length ? " من الدورات " : "",
      h("span", null, sessions.flatMap((s, i) => (i ? ["، ", ltr(s)] : [ltr(s)]))),
      ".",
    );
  });

  route();
})();
