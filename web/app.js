// fahras: the search page and the document view. Plain JavaScript, no build step, no network
// beyond this server. The state lives in the URL: "/?q=…&session=11&year=2022&offset=10" is a
// search, "/doc/{id}?q=…#p{n}" a document opened at a passage (the query's words marked in
// it), "/docs" the documents, "/articles" the articles of the Convention and "/articles/{n}"
// the passages citing one.
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
  const PLACEHOLDER = input.placeholder;

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
  // One Arabic sentence per error code of the API; the server's English message is only
  // read for the position it names and, for a query, which mistake it is.
  const ERRORS = {
    bad_query: "تعذّر فهم الاستعلام.",
    bad_param: "في عنوان هذه الصفحة قيمة غير صالحة؛ ابدأ بحثًا جديدًا.",
    not_found: "الصفحة أو الوثيقة المطلوبة غير موجودة.",
    method_not_allowed: "لا يقبل الخادم هذا النوع من الطلبات.",
    internal: "حدث خطأ في الخادم؛ أعد المحاولة بعد قليل.",
    network: "تعذّر الاتصال بالخادم.",
    http: "أجاب الخادم بخطأ غير متوقع.",
  };
  // Mistakes in a query, as the parser names them; "#" stands for the character's position.
  const QUERY_MISTAKES = [
    [/the quote at character (\d+) is never closed/, "علامة التنصيص عند الحرف # لم تُغلق."],
    [/the phrase at character (\d+) is empty/, "العبارة بين علامتي التنصيص عند الحرف # فارغة."],
    [/`article:` at character (\d+)/, "بعد «article:» عند الحرف # يُنتظر رقم مادة من الاتفاقية، من 1 إلى 41."],
    [/`decision:` at character (\d+)/, "بعد «decision:» عند الحرف # يُنتظر رقم الدورة ورقم القرار، مثل 11/1."],
    [/`\w+:` at character (\d+) expects a number/, "بعد عامل التصفية عند الحرف # يُنتظر رقم."],
    [/longer than (\d+) characters/, "الاستعلام أطول من # حرف؛ اختصره."],
    [/only exclusions/, "في الاستعلام استبعاد فقط؛ أضف كلمة أو عبارة أو عامل تصفية."],
    [/no searchable words/, "لا يحتوي الاستعلام كلمات يمكن البحث عنها."],
    [/the query is empty/, "الاستعلام فارغ."],
    [/at character (\d+)/, "تعذّر فهم الاستعلام عند الحرف #."],
  ];

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
    if (!found) return [plain(hit.snippet)];
    const start = encoder.encode(hit.text.slice(0, found.at)).length;
    const end = start + encoder.encode(found.core).length;
    return [
      found.lead ? ELLIPSIS : "",
      marked(hit.text, hit.highlights, start, end),
      found.trail ? ELLIPSIS : "",
    ]
      .flat()
      .filter((node) => node !== "");
  }

  /**
   * The bytes `start`..`end` of `text` as nodes, the `highlights` (UTF-8 byte ranges into
   * `text`) among them wrapped in <mark>, and Markdown markers left out.
   */
  function marked(text, highlights, start = 0, end = encoder.encode(text).length) {
    const bytes = encoder.encode(text);
    const ranges = (highlights || [])
      .filter(([from, to]) => start <= from && from < to && to <= end)
      .sort((a, b) => a[0] - b[0]);
    const piece = (from, to) => plain(decoder.decode(bytes.subarray(from, to)));
    const nodes = [];
    let position = start;
    for (const [from, to] of ranges) {
      if (from < position) continue; // of two overlapping ranges, the first wins
      nodes.push(piece(position, from), h("mark", null, piece(from, to)));
      position = to;
    }
    nodes.push(piece(position, end));
    return nodes.filter((node) => node !== "");
  }

  // ---- Markdown markers -------------------------------------------------------------------

  // The text files mark headings with "#" and escape characters such as "*" with "\": a
  // reader sees neither. Metadata reads the same headings.
  const HEADING = /^(#{1,6})[ \t]+/;
  const ESCAPED = /\\([\\`*_{}[\]()#+\-.!|<>])/g;

  /** Text without Markdown heading markers at line starts and without escaping backslashes. */
  function plain(text) {
    return text.replace(/(^|\n)#{1,6}[ \t]+/g, "$1").replace(ESCAPED, "$1");
  }

  /** 1 for "# …", 2 for "## …", …; 0 for a passage that is no heading. */
  function headingLevel(text) {
    const found = HEADING.exec(text);
    return found ? found[1].length : 0;
  }

  // ---- Messages --------------------------------------------------------------------------

  /** The Arabic sentence for an API error, with the position in the query where there is one. */
  function arabicError(error) {
    if (error.code === "bad_query") {
      for (const [pattern, sentence] of QUERY_MISTAKES) {
        const found = pattern.exec(error.message || "");
        if (!found) continue;
        const [before, after] = sentence.split("#");
        return after === undefined ? [before] : [before, ltr(found[1]), after];
      }
    }
    return [ERRORS[error.code] || ERRORS.http];
  }

  function showError(error) {
    message.replaceChildren(h("span", { "data-code": error.code }, arabicError(error)));
    message.hidden = false;
  }

  function clearError() {
    message.hidden = true;
    message.replaceChildren();
  }

  // ---- The search page -------------------------------------------------------------------

  /** Whether a search state filters anything (besides its words). */
  function hasFilters(state) {
    return Boolean(state.sessions.length || state.year || state.doc || state.articles.length);
  }

  async function showSearch(state, route) {
    input.value = state.q;
    document.title = state.q ? `${state.q} · فهرس` : "فهرس · البحث في وثائق مؤتمر الأطراف";
    if (!state.q && !hasFilters(state)) {
      view.replaceChildren(landing());
      return;
    }
    if (lastResults.href === location.href) {
      view.replaceChildren(lastResults.node);
      return;
    }
    view.replaceChildren(h("p", { class: "loading" }, "جارٍ البحث…"));
    // Session counts come from the search without its session filter, and year counts from
    // the search without its year, so that every session and year stays on offer, with its
    // count, once one is chosen.
    const counts = (other) =>
      other.q || hasFilters(other) ? getJson(apiSearchUrl(other)).catch(() => null) : null;
    let result, sessionFacets, yearFacets, docLabel;
    try {
      [result, sessionFacets, yearFacets, docLabel] = await Promise.all([
        getJson(apiSearchUrl(state)),
        state.sessions.length ? counts({ ...state, sessions: [], offset: 0 }) : null,
        state.year ? counts({ ...state, year: "", offset: 0 }) : null,
        state.doc ? documentLabel(state.doc) : null,
      ]);
    } catch (error) {
      if (route === currentRoute) {
        // The chips stay, so that a filter behind the error can be taken off.
        view.replaceChildren(chips(state, null) || "");
        showError(error);
      }
      return;
    }
    if (route !== currentRoute) return;
    const facets = {
      bySession: (sessionFacets || result).by_session,
      byYear: (yearFacets || result).by_year || {},
    };
    lastResults = { href: location.href, node: resultsView(state, result, facets, docLabel) };
    view.replaceChildren(lastResults.node);
  }

  // The list of documents, asked for once: it names a document filter by symbol or title.
  let documentList = null;
  function documents() {
    documentList = documentList || getJson("/api/docs").catch(() => []);
    return documentList;
  }

  /** A document's symbol, else its title, else its id. */
  async function documentLabel(id) {
    const doc = (await documents()).find((d) => d.doc === id);
    return (doc && (doc.symbol || doc.title)) || id;
  }

  // ---- Active filters, as chips ----------------------------------------------------------

  // Filters written in the query itself (`session:11`, `-year:2020`, `symbol:CTOC/*` …),
  // outside quoted phrases.
  const QUERY_FILTER = /(^|\s)(-?)(session|year|doc|article|decision|symbol):(\S+)/g;

  function queryFilters(q) {
    const found = [];
    // Quoted phrases are blanked out first so that a filter-like word inside one is left.
    const outside = q.replace(/"[^"]*("|$)/g, (quoted) => " ".repeat(quoted.length));
    for (const match of outside.matchAll(QUERY_FILTER)) {
      const start = match.index + match[1].length;
      found.push({
        name: match[3],
        value: match[4],
        excluded: match[2] === "-",
        start,
        end: match.index + match[0].length,
      });
    }
    return found;
  }

  // "Filter:", "two filters:", "filters:" — the lead of the chips, in the number they take.
  const FILTERS_ON = {
    one: "شرط التصفية:",
    two: "شرطا التصفية:",
    few: "شروط التصفية:",
    other: "شروط التصفية:",
  };

  const FILTER_NAMES = {
    session: "الدورة",
    year: "السنة",
    doc: "الوثيقة",
    article: "المادة",
    decision: "القرار",
    symbol: "الرمز",
  };

  /**
   * Every active filter as a chip that links to the same search without it: those of the
   * URL (session, year, document, article) and those written in the query.
   */
  function chips(state, docLabel) {
    const items = [];
    const chip = (name, value, label, without, excluded = false) =>
      items.push(
        h(
          "li",
          null,
          h(
            "a",
            {
              class: "chip",
              href: searchHref({ ...state, ...without, offset: 0 }),
              "data-chip": name,
              "data-value": value,
              title: "إزالة هذا الشرط",
            },
            excluded ? "دون " : "",
            FILTER_NAMES[name],
            " ",
            ltr(label),
            h("span", { class: "chip-x", "aria-hidden": "true" }, "×"),
            h("span", { class: "visually-hidden" }, " (إزالة)"),
          ),
        ),
      );
    for (const session of state.sessions) {
      chip("session", session, session, { sessions: state.sessions.filter((s) => s !== session) });
    }
    if (state.year) chip("year", state.year, state.year, { year: "" });
    if (state.doc) chip("doc", state.doc, docLabel || state.doc, { doc: "" });
    for (const article of state.articles) {
      chip("article", article, article, { articles: state.articles.filter((a) => a !== article) });
    }
    for (const filter of queryFilters(state.q)) {
      const rest = state.q.slice(0, filter.start) + state.q.slice(filter.end);
      chip(filter.name, filter.value, filter.value, { q: rest.replace(/\s+/g, " ").trim() }, filter.excluded);
    }
    if (!items.length) return null;
    return h(
      "div",
      { class: "chips-bar" },
      h("span", { class: "chips-lead" }, FILTERS_ON[pluralRules.select(items.length)] || FILTERS_ON.other),
      h("ul", { class: "chips", id: "chips" }, items),
    );
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

  function resultsView(state, result, facets, docLabel) {
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
      ? h("ol", { class: "hits", start: first }, result.hits.map((hit) => hitItem(hit, state.q)))
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
        sessionFilter(state, facets.bySession),
        yearFilter(state, facets.byYear),
      ),
      h(
        "section",
        { class: "results", "aria-label": "النتائج" },
        h("h1", { class: "visually-hidden" }, "نتائج البحث"),
        chips(state, docLabel),
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

  function hitItem(hit, q) {
    const meta = [
      hit.symbol ? h("span", { class: "symbol" }, symbolLink(hit.symbol, hit.url)) : null,
      hit.session == null ? null : h("span", null, "الدورة ", ltr(hit.session)),
      hit.year == null ? null : h("span", null, ltr(hit.year)),
      h("span", null, "المقطع ", ltr(hit.passage)),
    ].filter(Boolean);
    // The document view marks the query's words in the passage.
    const query = q ? "?" + new URLSearchParams({ q }) : "";
    const href = docPath("/doc/", hit.doc) + query + "#p" + hit.passage;
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
    // Only sessions with matches are offered: no filter leads to nothing.
    const offered = Object.keys(bySession || {}).filter((s) => bySession[s] > 0);
    const sessions = [...new Set([...offered, ...chosen])].sort((a, b) => a - b);
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

  /** The years with matches, newest first, each with its count; one year at a time. */
  function yearFilter(state, byYear) {
    const years = new Set(state.year ? [state.year] : []);
    Object.keys(byYear)
      .filter((y) => byYear[y] > 0)
      .forEach((y) => years.add(y));
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
              count: byYear[year] || 0,
              active: state.year === year,
              filter: "year",
              value: year,
            }),
          ),
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

  async function showDocument(id, q, route) {
    view.replaceChildren(h("p", { class: "loading" }, "جارٍ تحميل الوثيقة…"));
    let doc, found;
    try {
      // The query the document was opened from, run inside it: its highlights mark the words.
      const inside = q ? "/api/search?" + new URLSearchParams({ q, doc: id, limit: "100" }) : null;
      [doc, found] = await Promise.all([
        getJson(docPath("/api/doc/", id)),
        inside ? getJson(inside).catch(() => null) : null,
      ]);
    } catch (error) {
      if (route === currentRoute) {
        view.replaceChildren(backLink());
        showError(error);
      }
      return;
    }
    if (route !== currentRoute) return;
    document.title = `${doc.title || doc.symbol || doc.doc} · فهرس`;
    const highlights = new Map(((found && found.hits) || []).map((hit) => [hit.passage, hit.highlights]));
    view.replaceChildren(documentView(doc, highlights));
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

  function documentView(doc, highlights) {
    const field = (label, value) =>
      value == null ? null : [h("dt", null, label), h("dd", null, value)];
    const passage = (p) => {
      // A Markdown heading is shown as a heading, without its markers.
      const level = headingLevel(p.text);
      const tag = level === 0 ? "p" : level <= 2 ? "h2" : "h3";
      const shown = () => marked(p.text, highlights.get(p.passage));
      const text = h(
        tag,
        { class: level ? "passage-text passage-heading" : "passage-text", dir: "auto" },
        shown(),
      );
      const repaired = p.extracted != null;
      return h(
        "section",
        { class: "passage", id: "p" + p.passage, "data-repaired": repaired },
        h(
          "a",
          { class: "passage-number", href: "#p" + p.passage, title: "رابط هذا المقطع" },
          ltr(p.passage),
        ),
        repaired ? h("div", { class: "passage-body" }, text, extractedToggle(p, text, shown)) : text,
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
      outlineView(doc.outline || []),
      h("div", { class: "passages" }, doc.passages.map(passage)),
    );
  }

  /** The outline `fahras show` prints: headings and runs of numbered paragraphs, as links. */
  function outlineView(outline) {
    if (!outline.length) return null;
    const entry = (e) =>
      e.kind === "heading"
        ? h("li", { class: "outline-heading" }, h("a", { href: "#p" + e.passage }, plain(e.text)))
        : h(
            "li",
            { class: "outline-paragraphs" },
            h(
              "a",
              { href: "#p" + e.passage },
              e.first === e.last
                ? ["الفقرة ", ltr(e.first)]
                : ["الفقرات ", ltr(e.first), "–", ltr(e.last)],
            ),
          );
    return h(
      "nav",
      { class: "outline", "aria-label": "مخطط الوثيقة" },
      h("h2", null, "مخطط الوثيقة"),
      h("ul", null, outline.map(entry)),
    );
  }

  /**
   * A passage that repair changed reads as repaired; this button shows it as extracted from
   * its file (line breaks kept), and back.
   */
  function extractedToggle(p, text, shown) {
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
      text.replaceChildren(...(extracted ? [p.extracted] : shown()));
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

  // ---- The documents and the articles ----------------------------------------------------

  /** Loads `url` for the page `route`, or shows its error; null when the page moved on. */
  async function load(url, route, what) {
    view.replaceChildren(h("p", { class: "loading" }, what));
    try {
      const body = await getJson(url);
      return route === currentRoute ? body : null;
    } catch (error) {
      if (route === currentRoute) {
        view.replaceChildren();
        showError(error);
      }
      return null;
    }
  }

  async function showDocuments(route) {
    document.title = "الوثائق · فهرس";
    const docs = await load("/api/docs", route, "جارٍ تحميل قائمة الوثائق…");
    if (!docs) return;
    const row = (d) =>
      h(
        "tr",
        { class: "doc-row", "data-doc": d.doc },
        h("td", null, d.symbol ? ltr(d.symbol) : "—"),
        h("td", null, d.session == null ? "—" : ltr(d.session)),
        h("td", null, d.date ? ltr(d.date) : d.year == null ? "—" : ltr(d.year)),
        h("td", null, h("a", { class: "doc-link", href: docPath("/doc/", d.doc) }, d.title || d.symbol || d.doc)),
        h("td", { class: "number" }, ltr(d.passages)),
      );
    view.replaceChildren(
      h(
        "section",
        { class: "listing" },
        h("h1", null, "الوثائق"),
        h("p", { class: "lead" }, "في الفهرس ", counted(docs.length, DOCUMENTS), "، الأحدث دورةً أولًا."),
        h(
          "table",
          { class: "table", id: "documents" },
          h(
            "thead",
            null,
            h("tr", null, ["الرمز", "الدورة", "التاريخ", "العنوان", "المقاطع"].map((t) => h("th", null, t))),
          ),
          h("tbody", null, docs.map(row)),
        ),
      ),
    );
  }

  /** An article's Arabic title, marked where it is our translation. */
  function articleTitle(title) {
    return [
      h("span", { class: "title-ar" }, title.arabic),
      title.arabic_is_translation
        ? h("span", { class: "translated", title: "العنوان العربي ترجمتنا، لا نصّ الوثائق" }, " (ترجمتنا)")
        : null,
    ];
  }

  async function showArticles(route) {
    document.title = "مواد الاتفاقية · فهرس";
    const articles = await load("/api/articles", route, "جارٍ تحميل مواد الاتفاقية…");
    if (!articles) return;
    const sessions = [...new Set(articles.flatMap((a) => Object.keys(a.by_session)))].sort(
      (a, b) => b - a,
    );
    const row = (a) =>
      h(
        "tr",
        { class: "article-row", "data-article": a.article },
        h("td", { class: "number" }, ltr(a.article)),
        h(
          "td",
          null,
          h("a", { class: "article-link", href: `/articles/${a.article}` }, articleTitle(a)),
          h("div", { class: "title-en", lang: "en", dir: "ltr" }, a.english),
        ),
        h("td", { class: "number total" }, ltr(a.total_passages)),
        sessions.map((session) => h("td", { class: "number" }, ltr(a.by_session[session] || 0))),
      );
    view.replaceChildren(
      h(
        "section",
        { class: "listing" },
        h("h1", null, "مواد الاتفاقية"),
        h(
          "p",
          { class: "lead" },
          "مواد اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية، وعدد المقاطع التي تستشهد بكل مادة في كل دورة.",
        ),
        h(
          "table",
          { class: "table", id: "articles" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              h("th", null, "المادة"),
              h("th", null, "العنوان"),
              h("th", null, "المقاطع"),
              sessions.map((session) => h("th", null, "الدورة ", ltr(session))),
            ),
          ),
          h("tbody", null, articles.map(row)),
        ),
      ),
    );
  }

  async function showArticle(number, route) {
    const report = await load(`/api/articles/${number}`, route, "جارٍ تحميل المقاطع…");
    if (!report) return;
    document.title = `المادة ${number} · فهرس`;
    const group = (g) =>
      h(
        "section",
        { class: "session-group", "data-session": g.session == null ? "" : g.session },
        h(
          "h2",
          null,
          g.session == null ? "خارج الدورات" : ["الدورة ", ltr(g.session)],
          " · ",
          counted(g.passages.length, PASSAGES),
        ),
        h("ol", { class: "hits" }, g.passages.map((hit) => hitItem(hit, ""))),
      );
    view.replaceChildren(
      h(
        "section",
        { class: "article-view" },
        h("nav", { class: "crumbs" }, h("a", { href: "/articles" }, "→ كل المواد")),
        h("h1", null, "المادة ", ltr(report.article), ": ", articleTitle(report)),
        h("p", { class: "title-en", lang: "en", dir: "ltr" }, `Article ${report.article}: ${report.english}`),
        h(
          "p",
          { class: "lead", id: "summary", "data-total": report.total_passages },
          report.total_passages
            ? ["يستشهد بها ", counted(report.total_passages, PASSAGES), "، الأحدث دورةً أولًا."]
            : "لا يستشهد بهذه المادة أي مقطع في الفهرس.",
        ),
        report.sessions.map(group),
      ),
    );
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
    const path = location.pathname;
    // The search box searches inside the article on screen.
    const article = /^\/articles\/(\d+)$/.exec(path);
    input.placeholder = article ? `ابحث في المقاطع التي تستشهد بالمادة ${article[1]}` : PLACEHOLDER;
    if (path === "/docs") {
      showDocuments(routeNumber);
      return;
    }
    if (path === "/articles") {
      showArticles(routeNumber);
      return;
    }
    if (article) {
      showArticle(article[1], routeNumber);
      return;
    }
    if (!path.startsWith("/doc/")) {
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
    showDocument(id, (new URLSearchParams(location.search).get("q") || "").trim(), routeNumber);
  }

  function isPage(url) {
    const path = url.pathname;
    const page =
      path === "/" || path === "/docs" || path.startsWith("/doc/") || /^\/articles(\/\d+)?$/.test(path);
    return url.origin === location.origin && page;
  }

  /** Shows `url` without reloading the page; a document remembers the search it came from. */
  function navigate(url) {
    const fromSearch = location.pathname !== url.pathname && url.pathname.startsWith("/doc/");
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
    // A new query keeps the filters of the search on screen (or the article on screen) and
    // starts at its first page.
    const article = /^\/articles\/(\d+)$/.exec(location.pathname);
    const current = readState(location.pathname === "/" ? location.search : "");
    if (article) current.articles = [article[1]];
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
