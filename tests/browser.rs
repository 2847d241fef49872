//! The web page end to end: the real server on the bundled corpus, pages loaded in headless
//! Chromium (Debian's `chromium` package), and the DOM the page's script built checked
//! against the JSON API.
//!
//! Without Chromium these tests say so on stderr and pass, so that `cargo test` holds on a
//! machine with only a Rust toolchain; with `FAHRAS_REQUIRE_BROWSER=1` (CI sets it) a
//! missing Chromium fails them instead.

#[path = "common/cdp.rs"]
mod cdp;
mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::Server;
use regex::Regex;
use serde_json::Value;

/// Where Debian's package puts Chromium; `FAHRAS_CHROMIUM` names another binary.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Set (to anything but `0`) where the browser tests must run: a missing Chromium fails them.
const REQUIRE_BROWSER: &str = "FAHRAS_REQUIRE_BROWSER";
/// A page that has not rendered by then is a failure, not a hang.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(60);
const QUERY: &str = "الجريمة المنظمة";

/// `fahras serve` on the bundled corpus, with an index of its own.
struct Site {
    server: Server,
    _index: tempfile::TempDir,
}

impl Site {
    /// The site, when there is a browser to test it with (see [`browser_available`]).
    fn for_browser() -> Option<Site> {
        browser_available().then(Site::start)
    }

    fn start() -> Site {
        let index = tempfile::tempdir().unwrap();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let server = Server::start(&corpus, index.path());
        Site {
            server,
            _index: index,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// The JSON body of an API answer, whatever its status.
    fn api(&self, path: &str) -> Value {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let body = agent
            .get(self.url(path))
            .call()
            .expect("the server answers")
            .body_mut()
            .read_to_string()
            .unwrap();
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    /// The DOM of a page once its script has run, as Chromium serializes it.
    fn dom(&self, path: &str) -> String {
        rendered_dom(&self.url(path))
    }
}

fn chromium() -> String {
    std::env::var("FAHRAS_CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_owned())
}

/// Whether Chromium is there to run a browser test. When it is not, the test is skipped with
/// a note on stderr (written past the test harness's capture, so that it is seen), unless
/// [`REQUIRE_BROWSER`] is set, which makes it a failure.
fn browser_available() -> bool {
    let chromium = chromium();
    if Path::new(&chromium).exists() {
        return true;
    }
    let required = std::env::var_os(REQUIRE_BROWSER).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{REQUIRE_BROWSER} is set but Chromium is not at {chromium}: install Debian's `chromium` package"
    );
    static NOTE: std::sync::Once = std::sync::Once::new();
    NOTE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nbrowser tests SKIPPED: Chromium is not at {chromium}. To run them, install it \
             (`apt-get install chromium`) and run `cargo test --release --test browser`; \
             set {REQUIRE_BROWSER}=1 to make a missing browser a failure.\n"
        );
    });
    false
}

/// Kills a child process when dropped, also when a test panics.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Loads `url` in headless Chromium and returns the DOM after the page's requests and
/// timers have settled (virtual time runs ahead while nothing is pending).
fn rendered_dom(url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let dom_file = dir.path().join("dom.html");
    let log_file = dir.path().join("chromium.log");
    let mut chromium = KillOnDrop(
        Command::new(chromium())
            .args(cdp::HEADLESS)
            .arg("--virtual-time-budget=10000")
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg("--dump-dom")
            .arg(url)
            .stdout(std::fs::File::create(&dom_file).unwrap())
            .stderr(std::fs::File::create(&log_file).unwrap())
            .spawn()
            .expect("chromium starts"),
    );
    let log = || std::fs::read_to_string(&log_file).unwrap_or_default();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = chromium.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < CHROMIUM_TIMEOUT,
            "chromium did not finish {url} in {CHROMIUM_TIMEOUT:?}; its log:\n{}",
            log()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        status.success(),
        "chromium failed on {url} ({status}):\n{}",
        log()
    );
    std::fs::read_to_string(&dom_file).unwrap()
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The opening tags `<name …>` in a serialized DOM.
fn tags<'a>(dom: &'a str, name: &str) -> Vec<&'a str> {
    Regex::new(&format!(r"<{name}\b[^>]*>"))
        .unwrap()
        .find_iter(dom)
        .map(|m| m.as_str())
        .collect()
}

/// An attribute of an opening tag, with `&amp;` turned back into `&`.
fn attr(tag: &str, name: &str) -> Option<String> {
    Regex::new(&format!(r#"\s{name}="([^"]*)""#))
        .unwrap()
        .captures(tag)
        .map(|c| c[1].replace("&amp;", "&"))
}

/// The opening tags `<name …>` whose attribute `a` has the given value.
fn tags_where<'a>(dom: &'a str, name: &str, a: &str, value: &str) -> Vec<&'a str> {
    tags(dom, name)
        .into_iter()
        .filter(|tag| attr(tag, a).as_deref() == Some(value))
        .collect()
}

/// The opening tags `<name …>` of a class.
fn tags_of_class<'a>(dom: &'a str, name: &str, class: &str) -> Vec<&'a str> {
    tags(dom, name)
        .into_iter()
        .filter(|tag| has_class(tag, class))
        .collect()
}

fn has_class(tag: &str, class: &str) -> bool {
    attr(tag, "class").is_some_and(|c| c.split_whitespace().any(|c| c == class))
}

/// The session filter link for `session`, from a results page.
fn session_filter<'a>(dom: &'a str, session: &str) -> &'a str {
    let links: Vec<&str> = tags_where(dom, "a", "data-filter", "session")
        .into_iter()
        .filter(|tag| attr(tag, "data-value").as_deref() == Some(session))
        .collect();
    assert_eq!(
        links.len(),
        1,
        "one session-{session} link:\n{}",
        shown(dom)
    );
    links[0]
}

/// The page's `<main>`, cut short: enough to see what went wrong.
fn shown(dom: &str) -> &str {
    let main = dom.find("<main").map_or(dom, |at| &dom[at..]);
    let mut end = main.len().min(4000);
    while !main.is_char_boundary(end) {
        end -= 1;
    }
    &main[..end]
}

/// Text as it appears in serialized HTML text.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Every highlighted word of a search's hits, as the API gives it: byte ranges into `text`.
fn highlighted_words(search: &Value) -> HashSet<String> {
    let mut words = HashSet::new();
    for hit in search["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        for range in hit["highlights"].as_array().unwrap() {
            let (start, end) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            words.insert(text[start as usize..end as usize].to_owned());
        }
    }
    words
}

#[test]
fn a_search_url_shows_its_hits_with_the_matched_words_marked() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let search = site.api(&format!("/api/search?q={}", encode(QUERY)));
    let dom = site.dom(&format!("/?q={}", encode(QUERY)));

    let html = tags(&dom, "html")[0];
    assert_eq!(attr(html, "lang").as_deref(), Some("ar"), "{html}");
    assert_eq!(attr(html, "dir").as_deref(), Some("rtl"), "{html}");

    let hits = tags_of_class(&dom, "li", "hit");
    assert_eq!(
        hits.len(),
        search["hits"].as_array().unwrap().len(),
        "{}",
        shown(&dom)
    );
    let total = search["total_hits"].as_u64().unwrap();
    assert!(total > 10, "the query should need more than one page");
    let summary = tags_where(&dom, "p", "id", "summary");
    assert_eq!(attr(summary[0], "data-total"), Some(total.to_string()));
    assert!(dom.contains(&format!(">{total}</bdi>")), "{}", shown(&dom));

    let words = highlighted_words(&search);
    let marks: Vec<&str> = Regex::new(r"<mark>([^<]*)</mark>")
        .unwrap()
        .captures_iter(&dom)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(!marks.is_empty(), "{}", shown(&dom));
    for mark in &marks {
        assert!(
            words.contains(*mark),
            "«{mark}» is not a matched word: {words:?}"
        );
    }
    // Every hit with a symbol links it out to the UN's document system.
    let links = tags_of_class(&dom, "a", "undocs");
    let with_symbol = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["symbol"].is_null())
        .count();
    assert_eq!(links.len(), with_symbol, "{}", shown(&dom));
    assert!(links
        .iter()
        .all(|a| attr(a, "href").is_some_and(|h| h.starts_with("https://undocs.org/CTOC/"))));
}

#[test]
fn the_session_filter_link_keeps_only_that_session() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let dom = site.dom(&format!("/?q={}", encode(QUERY)));
    let href = attr(session_filter(&dom, "11"), "href").unwrap();
    assert!(
        href.starts_with("/?") && href.contains("session=11"),
        "{href}"
    );

    let filtered = site.dom(&href);
    let sessions: Vec<Option<String>> = tags_of_class(&filtered, "li", "hit")
        .iter()
        .map(|tag| attr(tag, "data-session"))
        .collect();
    assert!(!sessions.is_empty(), "{}", shown(&filtered));
    assert!(
        sessions.iter().all(|s| s.as_deref() == Some("11")),
        "{sessions:?}"
    );
    let search = site.api(&format!("/api/search?q={}&session=11", encode(QUERY)));
    let summary = tags_where(&filtered, "p", "id", "summary");
    assert_eq!(
        attr(summary[0], "data-total"),
        Some(search["total_hits"].to_string())
    );
    assert!(has_class(session_filter(&filtered, "11"), "active"));
}

#[test]
fn a_hit_opens_its_document_at_the_passage() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let dom = site.dom(&format!("/?q={}", encode(QUERY)));
    let link = tags_of_class(&dom, "a", "hit-link");
    assert!(!link.is_empty(), "{}", shown(&dom));
    let href = attr(link[0], "href").unwrap();
    let (path, passage) = href.split_once("#p").expect("a /doc/{id}#p{n} link");
    let doc = path.strip_prefix("/doc/").expect("a /doc/{id}#p{n} link");

    let page = site.dom(&href);
    let document = site.api(&format!("/api/doc/{doc}"));
    let passages = tags_of_class(&page, "section", "passage");
    assert_eq!(
        passages.len(),
        document["passages"].as_array().unwrap().len()
    );
    let current: Vec<&str> = passages
        .into_iter()
        .filter(|tag| has_class(tag, "is-current"))
        .collect();
    assert_eq!(current.len(), 1, "one passage is highlighted: {current:?}");
    assert_eq!(attr(current[0], "id"), Some(format!("p{passage}")));
}

#[test]
fn a_bad_query_is_explained_on_the_page() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let query = "\"الجريمة المنظمة";
    let answer = site.api(&format!("/api/search?q={}", encode(query)));
    assert_eq!(answer["error"]["code"], "bad_query", "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("at character 1"));
    let dom = site.dom(&format!("/?q={}", encode(query)));
    let message = tags_where(&dom, "div", "id", "message");
    assert_eq!(attr(message[0], "hidden"), None, "the message is shown");
    // An Arabic sentence with the position, and none of the server's English.
    let sentence = "علامة التنصيص عند الحرف <bdi dir=\"ltr\">1</bdi> لم تُغلق.";
    assert!(
        dom.contains(sentence),
        "«{sentence}» is not on the page:\n{}",
        shown(&dom)
    );
    let english = escaped(answer["error"]["message"].as_str().unwrap());
    assert!(!dom.contains(&english), "{}", shown(&dom));
}

/// The document the "as extracted" toggle is tried on: a short one of the bundled corpus.
const DOC: &str = "004_b8696f3eab3e24f5";
/// The agenda extracted in visual order: the document of the bundled corpus repair changes.
const DAMAGED_DOC: &str = "003_2a7d7debe43666ee";

/// The HTML inside `<section … id="p{n}">` … `</section>` of a document page.
fn passage_html(dom: &str, passage: u64) -> String {
    let pattern = format!(r#"(?s)<section\b[^>]*\bid="p{passage}"[^>]*>(.*?)</section>"#);
    Regex::new(&pattern)
        .unwrap()
        .captures(dom)
        .unwrap_or_else(|| panic!("no passage {passage}:\n{}", shown(dom)))[1]
        .to_owned()
}

/// The text of the passage's `<p class="passage-text…">`, still escaped as HTML.
/// The text of the passage's `<p class="passage-text…">` (or `<h2>`, `<h3>` for a heading),
/// still escaped as HTML.
fn passage_text(html: &str) -> String {
    Regex::new(r#"(?s)<(p|h2|h3)\b[^>]*class="passage-text[^"]*"[^>]*>(.*?)</(p|h2|h3)>"#)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("no passage text in {html}"))[2]
        .to_owned()
}

/// A passage's text as the page shows it: without the Markdown heading markers and
/// escaping backslashes of the text files.
fn displayed(text: &str) -> String {
    let headings = Regex::new(r"(?m)^#{1,6}[ \t]+").unwrap();
    let escapes = Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|<>])").unwrap();
    escapes
        .replace_all(&headings.replace_all(text, ""), "$1")
        .into_owned()
}

#[test]
fn each_repaired_passage_of_a_document_offers_its_text_as_extracted() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let document = site.api(&format!("/api/doc/{DAMAGED_DOC}"));
    let passages = document["passages"].as_array().unwrap();
    let dom = site.dom(&format!("/doc/{DAMAGED_DOC}"));
    assert_eq!(
        tags_of_class(&dom, "section", "passage").len(),
        passages.len()
    );
    let repaired: Vec<u64> = passages
        .iter()
        .filter(|p| !p["extracted"].is_null())
        .map(|p| p["passage"].as_u64().unwrap())
        .collect();
    let marked: Vec<String> = tags(&dom, "section")
        .into_iter()
        .filter(|tag| attr(tag, "data-repaired").is_some())
        .filter_map(|tag| attr(tag, "id"))
        .collect();
    let expected: Vec<String> = repaired.iter().map(|n| format!("p{n}")).collect();
    assert_eq!(marked, expected);
    assert_eq!(
        tags_of_class(&dom, "button", "as-extracted").len(),
        repaired.len()
    );
    for passage in passages {
        let n = passage["passage"].as_u64().unwrap();
        let text = passage_text(&passage_html(&dom, n));
        assert_eq!(
            text,
            escaped(&displayed(passage["text"].as_str().unwrap())),
            "passage {n}"
        );
    }
}

/// The real server behind a proxy that gives two passages of [`DOC`] a text as extracted
/// (their words in reverse order, as a line extracted in visual order reads) and no other
/// passage one, and a page
/// script that presses the first "as extracted" button `?press=N` times once it is drawn:
/// the toggle tried whatever the repair stage makes of the bundled corpus.
struct Proxy {
    base: String,
    /// The passages given a text as extracted, and that text.
    extracted: Vec<(u64, String)>,
}

const PRESS_SCRIPT: &str = r#""use strict";
(function press() {
  const button = document.querySelector("button.as-extracted");
  if (!button) {
    setTimeout(press, 20);
    return;
  }
  const times = Number(new URLSearchParams(location.search).get("press") || "0");
  for (let i = 0; i < times; i++) button.click();
  document.documentElement.setAttribute("data-pressed", String(times));
})();
"#;

impl Proxy {
    fn start(site: &Site) -> Proxy {
        let document = site.api(&format!("/api/doc/{DOC}"));
        let extracted: Vec<(u64, String)> = document["passages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| {
                let text = p["text"].as_str().unwrap();
                let reversed: Vec<&str> = text.split_whitespace().rev().collect();
                let reversed = reversed.join(" ");
                (reversed != text).then(|| (p["passage"].as_u64().unwrap(), reversed))
            })
            .skip(1)
            .take(2)
            .collect();
        assert_eq!(extracted.len(), 2);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let upstream = site.server.base.clone();
        let given = extracted.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (upstream, given) = (upstream.clone(), given.clone());
                std::thread::spawn(move || proxy_one(stream, &upstream, &given));
            }
        });
        Proxy { base, extracted }
    }

    fn dom(&self, path: &str) -> String {
        rendered_dom(&format!("{}{path}", self.base))
    }
}

/// Answers one request on `stream` from `upstream`, changed as [`Proxy`] says.
fn proxy_one(mut stream: std::net::TcpStream, upstream: &str, given: &[(u64, String)]) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header == "\r\n" || header == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, content_type, body) = if path.starts_with("/test/press.js") {
        (200, "text/javascript".to_owned(), PRESS_SCRIPT.to_owned())
    } else {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = agent.get(format!("{upstream}{path}")).call().unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let mut body = response.body_mut().read_to_string().unwrap();
        if path.starts_with(&format!("/api/doc/{DOC}")) {
            let mut document: Value = serde_json::from_str(&body).unwrap();
            for passage in document["passages"].as_array_mut().unwrap() {
                let n = passage["passage"].as_u64().unwrap();
                passage["extracted"] = match given.iter().find(|(m, _)| *m == n) {
                    Some((_, text)) => Value::from(text.as_str()),
                    None => Value::Null,
                };
            }
            body = document.to_string();
        } else if content_type.starts_with("text/html") {
            body = body.replace(
                "</head>",
                "<script src=\"/test/press.js\" defer></script>\n</head>",
            );
        }
        (status, content_type, body)
    };
    let head = format!(
        "HTTP/1.1 {status} OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

#[test]
fn the_as_extracted_toggle_shows_a_passage_as_extracted_and_back() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let proxy = Proxy::start(&site);
    let document = site.api(&format!("/api/doc/{DOC}"));
    let passages = document["passages"].as_array().unwrap();
    let text_of = |n: u64| {
        let passage = passages.iter().find(|p| p["passage"] == n).unwrap();
        escaped(&displayed(passage["text"].as_str().unwrap()))
    };
    let [(first, first_extracted), (second, _)] = &proxy.extracted[..] else {
        unreachable!("two passages are given a text as extracted");
    };

    for press in [0, 1, 2] {
        let dom = proxy.dom(&format!("/doc/{DOC}?press={press}"));
        assert_eq!(
            attr(tags(&dom, "html")[0], "data-pressed"),
            Some(press.to_string()),
            "the page script ran"
        );
        let buttons = tags_of_class(&dom, "button", "as-extracted");
        assert_eq!(buttons.len(), 2, "{}", shown(&dom));
        for passage in passages {
            let n = passage["passage"].as_u64().unwrap();
            let html = passage_html(&dom, n);
            let given = n == *first || n == *second;
            assert_eq!(html.contains("as-extracted"), given, "passage {n}: {html}");
        }
        // The first repaired passage: as extracted after one press, repaired after two.
        let html = passage_html(&dom, *first);
        let button = tags_of_class(&html, "button", "as-extracted")[0];
        assert!(html.contains(">كما استُخرج</button>"), "{html}");
        let pressed = press == 1;
        assert_eq!(attr(button, "aria-pressed"), Some(pressed.to_string()));
        let text = passage_text(&html);
        if pressed {
            assert_eq!(text, escaped(first_extracted));
            assert!(html.contains("is-extracted"), "{html}");
        } else {
            assert_eq!(text, text_of(*first));
            assert!(!html.contains("is-extracted"), "{html}");
        }
        // The other is untouched.
        let html = passage_html(&dom, *second);
        assert_eq!(passage_text(&html), text_of(*second));
        let button = tags_of_class(&html, "button", "as-extracted")[0];
        assert_eq!(attr(button, "aria-pressed").as_deref(), Some("false"));
    }
}

// ---- Flows clicked through as a person does, with real input events -----------------------

/// Chromium on the site, driven over the DevTools protocol.
fn browse(site: &Site, path: &str) -> cdp::Chrome {
    let mut chrome = cdp::Chrome::start(&chromium());
    chrome.goto(&site.url(path));
    chrome
}

/// Chromium on the site's first page, once its script has drawn it.
fn landing(site: &Site) -> cdp::Chrome {
    let mut chrome = browse(site, "/");
    chrome.wait_for(
        "the landing page",
        "document.querySelector('.landing') !== null",
    );
    chrome
}

/// The number of elements `selector` matches.
fn count(chrome: &mut cdp::Chrome, selector: &str) -> u64 {
    let quoted = serde_json::to_string(selector).unwrap();
    chrome
        .eval(&format!("document.querySelectorAll({quoted}).length"))
        .as_u64()
        .unwrap()
}

/// Waits for results whose total is `total` to be on screen.
fn wait_for_total(chrome: &mut cdp::Chrome, total: &Value) {
    chrome.wait_for(
        &format!("results with {total} hits"),
        &format!(
            "(() => {{ const s = document.getElementById('summary');
              return s && s.getAttribute('data-total') === '{total}'; }})()"
        ),
    );
}

fn search_params(chrome: &mut cdp::Chrome) -> Value {
    chrome.eval(
        "Object.fromEntries([...new URLSearchParams(location.search)].map(([k, v]) => [k, v]))",
    )
}

#[test]
fn typing_a_query_and_pressing_enter_shows_its_hits() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let search = site.api(&format!("/api/search?q={}", encode(QUERY)));
    let mut chrome = landing(&site);
    chrome.type_into("#q", QUERY);
    chrome.press_enter();
    wait_for_total(&mut chrome, &search["total_hits"]);
    assert_eq!(search_params(&mut chrome)["q"], QUERY);
    assert_eq!(
        count(&mut chrome, "li.hit"),
        search["hits"].as_array().unwrap().len() as u64
    );
    assert!(count(&mut chrome, "li.hit mark") > 0);
    assert_eq!(count(&mut chrome, "#chips"), 0, "no filter, no chip");
    chrome.assert_no_exceptions();
}

#[test]
fn every_active_filter_is_a_chip_that_removes_it() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    // An article filter alone: the box is empty, the chip says what filters.
    let mut chrome = browse(&site, "/?article=16");
    let cited = site.api("/api/search?article=16");
    wait_for_total(&mut chrome, &cited["total_hits"]);
    assert_eq!(chrome.eval("document.getElementById('q').value"), "");
    assert_eq!(
        count(
            &mut chrome,
            "#chips a.chip[data-chip=article][data-value='16']"
        ),
        1
    );

    // A new search keeps the filter, and says so.
    chrome.type_into("#q", "التعاون");
    chrome.press_enter();
    let both = site.api(&format!("/api/search?q={}&article=16", encode("التعاون")));
    wait_for_total(&mut chrome, &both["total_hits"]);
    assert_eq!(count(&mut chrome, "#chips a.chip[data-chip=article]"), 1);

    // Removing the chip removes the filter and keeps the words.
    chrome.click("#chips a.chip[data-chip=article]");
    let words = site.api(&format!("/api/search?q={}", encode("التعاون")));
    wait_for_total(&mut chrome, &words["total_hits"]);
    let params = search_params(&mut chrome);
    assert_eq!(params["q"], "التعاون");
    assert!(params.get("article").is_none(), "{params}");
    assert_eq!(count(&mut chrome, "#chips"), 0);

    // Filters written in the query are chips too, and a document is named by its symbol.
    let q = format!("{QUERY} decision:6/1 symbol:CTOC/COP/*");
    chrome.goto(&site.url(&format!("/?q={}&doc={DAMAGED_DOC}", encode(&q))));
    chrome.wait_for(
        "the chips",
        "document.querySelectorAll('#chips a.chip').length === 3",
    );
    let doc_chip =
        chrome.eval("document.querySelector('#chips a.chip[data-chip=doc]').textContent");
    assert!(
        doc_chip.as_str().unwrap().contains("CTOC/COP/2012/1"),
        "{doc_chip}"
    );
    assert!(
        !doc_chip.as_str().unwrap().contains(DAMAGED_DOC),
        "{doc_chip}"
    );
    chrome.click("#chips a.chip[data-chip=decision]");
    chrome.wait_for(
        "the decision filter gone",
        "!new URLSearchParams(location.search).get('q').includes('decision:')",
    );
    let params = search_params(&mut chrome);
    assert_eq!(
        params["q"],
        format!("{QUERY} symbol:CTOC/COP/*"),
        "{params}"
    );
    assert_eq!(params["doc"], DAMAGED_DOC, "{params}");
    chrome.assert_no_exceptions();
}

#[test]
fn the_year_facet_counts_and_narrows_and_offers_no_dead_end() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let search = site.api(&format!("/api/search?q={}", encode(QUERY)));
    let mut chrome = browse(&site, &format!("/?q={}", encode(QUERY)));
    wait_for_total(&mut chrome, &search["total_hits"]);
    let offered = chrome.eval(
        "Object.fromEntries([...document.querySelectorAll('a.facet[data-filter=year][data-value]')]
           .filter((a) => a.dataset.value).map((a) => [a.dataset.value, Number(a.querySelector('.count').textContent)]))",
    );
    let by_year = &search["by_year"];
    assert_eq!(offered, *by_year, "each year with matches, with its count");
    assert!(by_year
        .as_object()
        .unwrap()
        .values()
        .all(|n| n.as_u64() > Some(0)));

    chrome.click("a.facet[data-filter=year][data-value='2022']");
    let narrowed = site.api(&format!("/api/search?q={}&year=2022", encode(QUERY)));
    wait_for_total(&mut chrome, &narrowed["total_hits"]);
    assert_eq!(narrowed["total_hits"], by_year["2022"]);
    assert_eq!(
        count(
            &mut chrome,
            "#chips a.chip[data-chip=year][data-value='2022']"
        ),
        1
    );
    // Sessions on offer are those with matches in 2022.
    let sessions = chrome.eval(
        "[...document.querySelectorAll('a.facet[data-filter=session]')].map((a) => a.dataset.value).filter(Boolean)",
    );
    let expected: Vec<&String> = narrowed["by_session"].as_object().unwrap().keys().collect();
    assert_eq!(sessions, serde_json::json!(expected));
    chrome.assert_no_exceptions();
}

#[test]
fn an_article_opens_its_citing_passages_and_scopes_the_search_box() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let articles = site.api("/api/articles");
    let mut chrome = landing(&site);
    chrome.click(".site-nav a[href='/articles']");
    chrome.wait_for(
        "the articles",
        "document.querySelectorAll('tr.article-row').length === 41",
    );
    let translated = articles
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["arabic_is_translation"] == true)
        .count() as u64;
    assert_eq!(count(&mut chrome, "tr.article-row .translated"), translated);
    let shown_total = chrome
        .eval("document.querySelector('tr.article-row[data-article=\"16\"] .total').textContent");
    assert_eq!(shown_total, articles[15]["total_passages"].to_string());

    chrome.click("tr.article-row[data-article='16'] a.article-link");
    let report = site.api("/api/articles/16");
    wait_for_total(&mut chrome, &report["total_passages"]);
    let groups = chrome.eval(
        "[...document.querySelectorAll('.session-group')].map((g) => [g.dataset.session, g.querySelectorAll('li.hit').length])",
    );
    let expected: Vec<Value> = report["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let session = g["session"]
                .as_u64()
                .map_or(String::new(), |s| s.to_string());
            serde_json::json!([session, g["passages"].as_array().unwrap().len()])
        })
        .collect();
    assert_eq!(groups, Value::from(expected), "newest session first");

    // The search box searches inside the article.
    chrome.type_into("#q", "التعاون");
    chrome.press_enter();
    let inside = site.api(&format!("/api/search?q={}&article=16", encode("التعاون")));
    wait_for_total(&mut chrome, &inside["total_hits"]);
    assert_eq!(search_params(&mut chrome)["article"], "16");
    assert_eq!(count(&mut chrome, "#chips a.chip[data-chip=article]"), 1);
    chrome.assert_no_exceptions();
}

#[test]
fn a_document_opens_from_the_list_with_its_outline() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let docs = site.api("/api/docs");
    let mut chrome = landing(&site);
    chrome.click(".site-nav a[href='/docs']");
    let rows = docs.as_array().unwrap().len() as u64;
    chrome.wait_for(
        "the documents",
        &format!("document.querySelectorAll('tr.doc-row').length === {rows}"),
    );
    let listed =
        chrome.eval("[...document.querySelectorAll('tr.doc-row')].map((r) => r.dataset.doc)");
    let expected: Vec<&Value> = docs.as_array().unwrap().iter().map(|d| &d["doc"]).collect();
    assert_eq!(listed, serde_json::json!(expected));

    chrome.click(&format!("tr.doc-row[data-doc='{DOC}'] a.doc-link"));
    let document = site.api(&format!("/api/doc/{DOC}"));
    let passages = document["passages"].as_array().unwrap().len();
    chrome.wait_for(
        "the document",
        &format!("document.querySelectorAll('section.passage').length === {passages}"),
    );
    let outline = document["outline"].as_array().unwrap().len() as u64;
    assert!(outline > 0);
    assert_eq!(count(&mut chrome, "nav.outline li"), outline);
    // Headings read as headings, without their Markdown markers.
    let headings =
        chrome.eval("[...document.querySelectorAll('.passage-heading')].map((e) => e.textContent)");
    let headings = headings.as_array().unwrap();
    assert!(!headings.is_empty());
    assert!(
        headings
            .iter()
            .all(|t| !t.as_str().unwrap().starts_with('#')),
        "{headings:?}"
    );
    assert!(!chrome
        .eval("document.querySelector('.passages').textContent")
        .as_str()
        .unwrap()
        .contains("\\*"));
    chrome.assert_no_exceptions();
}

#[test]
fn a_hit_opens_its_passage_in_view_with_the_query_marked() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let search = site.api(&format!("/api/search?q={}", encode(QUERY)));
    let mut chrome = browse(&site, &format!("/?q={}", encode(QUERY)));
    wait_for_total(&mut chrome, &search["total_hits"]);
    // A hit far down its document, so that opening it must scroll.
    let deep = search["hits"]
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h["passage"].as_u64() > Some(20))
        .expect("a hit deep in its document");
    chrome.click(&format!(
        "ol.hits > li.hit:nth-child({}) a.hit-link",
        deep + 1
    ));
    let hit = &search["hits"][deep];
    chrome.wait_for(
        "the passage marked",
        &format!(
            "(() => {{ const p = document.querySelector('section.passage.is-current');
              return p && p.id === 'p{}' && p.querySelectorAll('mark').length > 0; }})()",
            hit["passage"]
        ),
    );
    let marks = chrome.eval(
        "[...document.querySelectorAll('section.passage.is-current mark')].map((m) => m.textContent)",
    );
    let words = highlighted_words(&search);
    for mark in marks.as_array().unwrap() {
        assert!(
            words.contains(mark.as_str().unwrap()),
            "{mark} is not a matched word"
        );
    }
    // In view, below the top edge: not scrolled under anything.
    let place = chrome.eval(
        "(() => { const r = document.querySelector('section.passage.is-current').getBoundingClientRect();
           return [r.top, r.bottom, innerHeight]; })()",
    );
    let (top, bottom, height) = (
        place[0].as_f64().unwrap(),
        place[1].as_f64().unwrap(),
        place[2].as_f64().unwrap(),
    );
    assert!(
        top >= 0.0 && bottom <= height,
        "the passage is at {top}..{bottom} of {height}"
    );
    chrome.assert_no_exceptions();
}

#[test]
fn a_mistyped_query_gets_an_arabic_sentence_with_its_position() {
    let Some(site) = Site::for_browser() else {
        return;
    };
    let mut chrome = browse(&site, "/");
    chrome.type_into("#q", "الجريمة \"المنظمة");
    chrome.press_enter();
    let message = chrome.wait_for(
        "the error",
        "(() => { const m = document.getElementById('message'); return m && !m.hidden && m.textContent; })()",
    );
    let message = message.as_str().unwrap();
    assert_eq!(message, "علامة التنصيص عند الحرف 9 لم تُغلق.");
    assert!(
        !message.chars().any(|c| c.is_ascii_alphabetic()),
        "{message}"
    );
    chrome.assert_no_exceptions();
}
