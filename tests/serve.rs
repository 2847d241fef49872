//! The HTTP server end to end: the real binary on a free loopback port.

mod common;

use common::{hits, Server, Workspace};
use serde_json::Value;

const A: &str = "١- يشجع المؤتمر الدول الأطراف على تعزيز التعاون الدولي لأغراض المصادرة وفقاً للمادة 13 من الاتفاقية.

2- ويرحب بالتقدم المحرز في تسليم المجرمين والمساعدة القانونية المتبادلة.
3- ويطلب إلى الأمانة أن تقدم تقريراً عن الأسلحة النارية.
";

const B: &str = "أكد المشاركون أهمية والتعاون الدولي لأغراض المصادرة في مكافحة الجريمة المنظمة.

ناقش الفريق العامل تسليم المجرمين في سياق الجريمة المنظمة عبر الوطنية.
";

const MANIFEST: &str = r#"
[documents."a.txt"]
symbol = "CTOC/COP/2022/1"
session = 11

[documents."b.txt"]
session = 10
"#;

fn workspace() -> Workspace {
    Workspace::with_files(&[
        ("manifest.toml", MANIFEST.as_bytes()),
        ("a.txt", A.as_bytes()),
        ("b.txt", B.as_bytes()),
    ])
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// GET `path` (already percent-encoded where needed), whatever the status.
fn get(server: &Server, path: &str) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(format!("{}{path}", server.base))
        .call()
        .expect("the server answers");
    Reply {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default(),
        body: response.body_mut().read_to_string().unwrap(),
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[test]
fn the_api_answers_the_same_hits_as_the_cli() {
    let ws = workspace();
    let cli = ws.run(&["search", "--json", "التعاون OR المجرمين"]).json();
    let server = Server::start(&ws.corpus(), &ws.index());
    let api = get(
        &server,
        &format!("/api/search?q={}", encode("التعاون OR المجرمين")),
    );
    assert_eq!(api.status, 200);
    assert!(api.content_type.starts_with("application/json"));
    let api = api.json();
    assert_eq!(hits(&api), hits(&cli));
    assert_eq!(api["hits"], cli["hits"]);
    assert_eq!(api["total_hits"], cli["total_hits"]);
    assert_eq!(api["by_session"], cli["by_session"]);
}

#[test]
fn filters_and_pagination() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    let q = encode("المجرمين OR التعاون OR الأسلحة");
    let sessions = |params: &str| -> Vec<u64> {
        get(&server, &format!("/api/search?q={q}{params}")).json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["session"].as_u64().unwrap())
            .collect()
    };
    for session in [10, 11] {
        let found = sessions(&format!("&session={session}"));
        assert!(!found.is_empty() && found.iter().all(|&s| s == session));
    }
    assert_eq!(sessions("&session=10&session=11").len(), sessions("").len());
    assert_eq!(sessions("&doc=b"), vec![10, 10]);
    // Filters alone are a search: every passage that passes them.
    let by_article = get(&server, "/api/search?article=13").json();
    assert_eq!(hits(&by_article), vec![("a".to_owned(), 0)]);
    let confiscation = encode("المصادرة");
    let citing = get(&server, &format!("/api/search?q={confiscation}&article=13")).json();
    assert_eq!(hits(&citing), vec![("a".to_owned(), 0)]);
    assert_eq!(citing["by_article"]["13"], 1);

    let all = get(&server, &format!("/api/search?q={q}")).json();
    let second = get(&server, &format!("/api/search?q={q}&limit=1&offset=1")).json();
    assert_eq!(second["total_hits"], all["total_hits"]);
    assert_eq!(hits(&second), hits(&all)[1..2].to_vec());
    let capped = get(&server, &format!("/api/search?q={q}&limit=100000"));
    assert_eq!(capped.status, 200);
}

#[test]
fn errors_are_json_with_a_fitting_status() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    let long = encode(&"كلمة ".repeat(1000));
    let cases = [
        (
            format!("/api/search?q={}", encode("\"تسليم")),
            400,
            "bad_query",
        ),
        ("/api/search".to_owned(), 400, "bad_query"),
        (format!("/api/search?q={long}"), 400, "bad_query"),
        ("/api/search?q=x&limit=ten".to_owned(), 400, "bad_param"),
        ("/api/search?q=x&limit=0".to_owned(), 400, "bad_param"),
        (
            "/api/search?q=x&session=eleven".to_owned(),
            400,
            "bad_param",
        ),
        (
            "/api/search?q=x&offset=999999999".to_owned(),
            400,
            "bad_param",
        ),
        ("/api/search?q=x&colour=red".to_owned(), 400, "bad_param"),
        ("/api/export?q=x&format=xml".to_owned(), 400, "bad_param"),
        ("/api/doc/no-such-document".to_owned(), 404, "not_found"),
        ("/api/nothing-here".to_owned(), 404, "not_found"),
        ("/api/search?article=42".to_owned(), 400, "bad_param"),
        ("/api/search?q=a&q=b".to_owned(), 400, "bad_param"),
        ("/api/doc/%FF".to_owned(), 400, "bad_param"),
    ];
    for (path, status, code) in cases {
        let reply = get(&server, &path);
        assert_eq!(reply.status, status, "{path}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["error"]["code"], code, "{path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
    // Malformed percent-encoding and invalid UTF-8 are read leniently, never fatally.
    for path in ["/api/search?q=%ZZ%D8", "/api/search?q=%FF%FE"] {
        assert!(matches!(get(&server, path).status, 200 | 400), "{path}");
    }
    assert_eq!(get(&server, "/healthz").body, "ok");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut post = agent
        .post(format!("{}/api/search?q=x", server.base))
        .send("")
        .unwrap();
    assert_eq!(post.status().as_u16(), 405);
    let body: Value = serde_json::from_str(&post.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[test]
fn a_document_reads_in_order_and_stats_count_the_corpus() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    let doc = get(&server, "/api/doc/a").json();
    assert_eq!(doc["symbol"], "CTOC/COP/2022/1");
    assert_eq!(doc["session"], 11);
    let passages = doc["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 3);
    for (i, passage) in passages.iter().enumerate() {
        assert_eq!(passage["passage"], i as u64);
        assert!(A.contains(passage["text"].as_str().unwrap()));
        // Clean text needs no repair: no passage has a text as extracted beside its own.
        assert!(passage.as_object().unwrap().contains_key("extracted"));
        assert!(passage["extracted"].is_null(), "{passage}");
    }
    assert_eq!(passages[2]["paragraph"], 3);

    let stats = get(&server, "/api/stats").json();
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["passages"], 5);
    assert_eq!(stats["sessions"]["11"], 3);
    assert_eq!(stats["sessions"]["10"], 2);
    assert!(stats["index_bytes"].as_u64().unwrap() > 0);
    assert_eq!(stats["corpus_bytes"], (A.len() + B.len()) as u64);
}

#[test]
fn exports_download_the_results_as_csv_and_json() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    let q = encode("المجرمين");
    let csv = get(&server, &format!("/api/export?format=csv&q={q}"));
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"));
    let rows: Vec<&str> = csv.body.lines().collect();
    assert!(rows[0].ends_with("rank,doc,symbol,session,year,title,passage,score,snippet,text"));
    assert_eq!(rows.len(), 3, "{}", csv.body);
    let json = get(&server, &format!("/api/export?format=json&q={q}")).json();
    assert_eq!(json["total_hits"], 2);
}

#[test]
fn the_page_is_served_arabic_first() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    for path in ["/", "/doc/a"] {
        let page = get(&server, path);
        assert_eq!(page.status, 200);
        assert!(page.content_type.starts_with("text/html"));
        assert!(page.body.contains(r#"lang="ar""#) && page.body.contains(r#"dir="rtl""#));
    }
    assert!(get(&server, "/static/app.js")
        .content_type
        .contains("javascript"));
    assert!(get(&server, "/static/app.css").content_type.contains("css"));
}

#[test]
fn a_rebuilt_index_is_picked_up_without_a_restart() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());
    let q = format!("/api/search?q={}", encode("موزامبيق"));
    assert_eq!(get(&server, &q).json()["total_hits"], 0);
    ws.write(
        "c.txt",
        "النهج الذي تتبناه موزامبيق في استراتيجيتها الوطنية.".as_bytes(),
    );
    assert_eq!(ws.run(&["index"]).code, 0);
    let found = (0..50).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(200));
        get(&server, &q).json()["total_hits"] == 1
    });
    assert!(found, "the server still answers from the old index");
}

#[test]
fn sigterm_stops_the_server_gracefully() {
    let ws = workspace();
    let mut server = Server::start(&ws.corpus(), &ws.index());
    assert_eq!(get(&server, "/healthz").status, 200);
    // A client that never finishes its request must not keep the server alive.
    let mut half_sent =
        std::net::TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    std::io::Write::write_all(
        &mut half_sent,
        b"GET /api/search?q=x HTTP/1.1\r\nHost: x\r\n",
    )
    .unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server
        .wait_exit(10)
        .expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}");
    drop(half_sent);
}

#[test]
fn articles_and_documents_answer_what_the_cli_prints() {
    let ws = workspace();
    let server = Server::start(&ws.corpus(), &ws.index());

    let all = get(&server, "/api/articles");
    assert_eq!(all.status, 200);
    assert_eq!(all.json(), ws.run(&["article", "--json"]).json());
    assert_eq!(all.json().as_array().unwrap().len(), 41);
    for path_and_args in [
        ("/api/articles/13", vec!["article", "13", "--json"]),
        (
            "/api/articles/13?session=11",
            vec!["article", "13", "--session", "11", "--json"],
        ),
        ("/api/articles/20", vec!["article", "20", "--json"]),
    ] {
        let (path, args) = path_and_args;
        let api = get(&server, path);
        assert_eq!(api.status, 200, "{path}: {}", api.body);
        assert_eq!(api.json(), ws.run(&args).json(), "{path}");
    }
    assert_eq!(get(&server, "/api/articles/13").json()["total_passages"], 1);
    for bad in ["/api/articles/0", "/api/articles/42", "/api/articles/x"] {
        assert_eq!(get(&server, bad).status, 404, "{bad}");
    }
    assert_eq!(get(&server, "/api/articles/13?page=2").status, 400);

    // The documents, newest session first, with their passages counted.
    let docs = get(&server, "/api/docs").json();
    let listed: Vec<(&str, u64)> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["doc"].as_str().unwrap(), d["passages"].as_u64().unwrap()))
        .collect();
    assert_eq!(listed, [("a", 3), ("b", 2)]);
    assert_eq!(docs[0]["symbol"], "CTOC/COP/2022/1");
    assert_eq!(docs[0]["session"], 11);

    // The document view carries the outline `fahras show --json` prints.
    let doc = get(&server, "/api/doc/a").json();
    let shown = ws.run(&["show", "a", "--json"]).json();
    assert_eq!(doc["outline"], shown["outline"]);
    assert!(!doc["outline"].as_array().unwrap().is_empty());

    for page in ["/articles", "/articles/13", "/docs"] {
        let reply = get(&server, page);
        assert_eq!(reply.status, 200, "{page}");
        assert!(reply.content_type.starts_with("text/html"), "{page}");
    }
    let icon = get(&server, "/favicon.ico");
    assert_eq!(
        (icon.status, icon.content_type.as_str()),
        (200, "image/svg+xml")
    );
}
