//! Guarantees of RELIABILITY.md: interrupted and concurrent builds, corrupt indexes, the
//! server under a rebuild and under hostile requests, hostile corpora.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{run_with, Server, Workspace};

/// The seed corpus, copied `copies` times (a build of 20 copies takes a few seconds).
fn seed_copies(copies: usize) -> Workspace {
    let ws = Workspace::with_files(&[]);
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for entry in std::fs::read_dir(&seed).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read(&path).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            for copy in 0..copies {
                ws.write(&format!("{stem}_{copy}.txt"), &text);
            }
        }
    }
    ws
}

fn total_hits(ws: &Workspace, corpus: &Path, query: &str) -> u64 {
    let run = run_with(corpus, &ws.index(), &["search", "--json", query]);
    assert!(run.code <= 1, "{}", run.stderr);
    run.json()["total_hits"].as_u64().unwrap()
}

#[test]
fn a_killed_build_leaves_the_previous_index_searchable_and_the_next_build_clean() {
    let ws = seed_copies(20);
    assert_eq!(ws.run(&["index"]).code, 0);
    let nowhere = ws.dir.path().join("no-corpus");
    let before = total_hits(&ws, &nowhere, "الجريمة");
    assert!(before > 0);
    ws.write("new.txt", "وثيقة جديدة عن زنجبيلستان.".as_bytes());

    for delay_ms in [30, 150, 400, 900, 1600, 2500] {
        let mut build = ws.spawn(&["index"]);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = build.kill(); // SIGKILL: no destructor, no cleanup runs.
        let _ = build.wait();
        // Searched as it is (no corpus folder): the last complete index answers.
        let run = run_with(&nowhere, &ws.index(), &["search", "--json", "الجريمة"]);
        assert!(
            run.code <= 1,
            "after a kill at {delay_ms} ms: {}",
            run.stderr
        );
        let hits = run.json()["total_hits"].as_u64().unwrap();
        let moz = total_hits(&ws, &nowhere, "زنجبيلستان");
        assert!(
            (hits == before && moz == 0) || moz == 1,
            "after a kill at {delay_ms} ms: an index that is neither the old nor the new one"
        );
    }
    let rebuilt = ws.run(&["index"]);
    assert_eq!(rebuilt.code, 0, "{}", rebuilt.stderr);
    assert_eq!(total_hits(&ws, &ws.corpus(), "زنجبيلستان"), 1);
    let leftovers: Vec<String> = std::fs::read_dir(ws.index())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".build-") || n.starts_with("CURRENT.tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(ws.generations().len(), 1);
}

#[test]
fn corrupt_or_foreign_indexes_give_a_clear_error_and_a_suggestion() {
    let ws = seed_copies(1);
    let nowhere = ws.dir.path().join("no-corpus");
    let expect_clear_error = |what: &str| {
        let run = run_with(&nowhere, &ws.index(), &["search", "الجريمة"]);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("fahras index"),
            "{what}: {}",
            run.stderr
        );
    };

    // Every segment file truncated to half its length.
    assert_eq!(ws.run(&["index"]).code, 0);
    let generation = ws.generations().pop().unwrap();
    for entry in std::fs::read_dir(&generation).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") && !name.starts_with('.') {
            let bytes = std::fs::read(&path).unwrap();
            std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        }
    }
    expect_clear_error("truncated segment files");

    // Built by an older schema.
    assert_eq!(ws.run(&["index"]).code, 0);
    let meta = ws.generations().pop().unwrap().join("fahras.json");
    let old = std::fs::read_to_string(&meta).unwrap().replacen(
        "\"schema_version\": ",
        "\"schema_version\": 1",
        1,
    );
    std::fs::write(&meta, old).unwrap();
    expect_clear_error("an older schema");
    // With the corpus at hand, the stale index is simply rebuilt.
    assert_eq!(ws.run(&["search", "الجريمة"]).code, 0);

    // A folder that is not an index at all.
    std::fs::remove_dir_all(ws.index()).unwrap();
    std::fs::create_dir(ws.index()).unwrap();
    std::fs::write(ws.index().join("CURRENT"), "holiday-photos").unwrap();
    expect_clear_error("a folder that is not an index");
}

#[test]
fn a_running_server_answers_correctly_while_the_index_is_rebuilt() {
    let ws = seed_copies(5);
    let server = Server::start(&ws.corpus(), &ws.index());
    let base = server.base.clone();
    let query = "/api/search?q=%D8%A7%D9%84%D8%AC%D8%B1%D9%8A%D9%85%D8%A9&limit=3";
    let expected = http_get(&base, query).1;
    let expected_total = total_of(&expected);
    assert!(expected_total > 0);

    // Clients ask until the rebuilds are over, however long they take.
    let rebuilding = Arc::new(AtomicBool::new(true));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let base = base.clone();
            let rebuilding = Arc::clone(&rebuilding);
            std::thread::spawn(move || {
                let mut answered = 0;
                while rebuilding.load(Ordering::Relaxed) || answered <= 10 {
                    let (status, body) = http_get(&base, query);
                    assert_eq!(status, 200, "{body}");
                    assert_eq!(
                        total_of(&body),
                        expected_total,
                        "a wrong answer mid-rebuild"
                    );
                    answered += 1;
                }
                answered
            })
        })
        .collect();
    // Rebuild the same corpus again and again underneath the server: for 5 s, and at least
    // twice (a build's time depends on the machine's load).
    let rebuilds_started = Instant::now();
    let mut rebuilds = 0;
    while rebuilds < 2 || rebuilds_started.elapsed() < Duration::from_secs(5) {
        ws.write("touch.txt", format!("ملاحظة رقم {rebuilds}").as_bytes());
        assert_eq!(ws.run(&["index"]).code, 0);
        rebuilds += 1;
    }
    rebuilding.store(false, Ordering::Relaxed);
    for client in clients {
        assert!(client.join().expect("no client failed") > 10);
    }
    drop(server);
}

#[test]
fn hostile_requests_get_answers_and_leave_the_server_healthy() {
    let ws = seed_copies(1);
    let server = Server::start(&ws.corpus(), &ws.index());
    let base = server.base.clone();
    // Slow clients: connections that send half a request and wait.
    let slow: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut stream = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
            stream.write_all(b"GET /api/search?q=").unwrap();
            stream
        })
        .collect();
    let long_word = "%D8%A7".repeat(5000);
    let many_ors = "a%20OR%20".repeat(300) + "b";
    let cases: Vec<(String, &[u16])> = vec![
        (format!("/api/search?q={long_word}"), &[400]),
        (format!("/api/search?q={many_ors}"), &[200, 400]),
        ("/api/search?q=%22%22%22%22%22%22%22".into(), &[400]),
        ("/api/search?q=((((((((((".into(), &[200, 400]),
        ("/api/search?q=x&limit=18446744073709551616".into(), &[400]),
        ("/api/search?q=x&offset=18446744073709551615".into(), &[400]),
        ("/api/search?q=%E0%A4%A".into(), &[200, 400]),
        ("/api/search?q=%C0%AF%C0%AF".into(), &[200, 400]),
        ("/api/doc/..%2F..%2Fetc%2Fpasswd".into(), &[404]),
        ("/static/..%2F..%2FCargo.toml".into(), &[404]),
        ("/doc/../../../etc/passwd".into(), &[200, 404]),
    ];
    for (path, statuses) in &cases {
        let (status, body) = http_get(&base, path);
        assert!(statuses.contains(&status), "{path}: {status} {body}");
        assert!(!body.contains("root:"), "{path} leaked a file");
    }
    let started = Instant::now();
    assert_eq!(http_get(&base, "/healthz"), (200, "ok".to_owned()));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "slow clients starved the server"
    );
    drop(slow);
}

#[test]
fn hostile_corpora_are_indexed_or_refused_with_a_clear_message() {
    let ws = Workspace::with_files(&[("ok.txt", "نص عادي عن تسليم المجرمين.".as_bytes())]);
    // One long line with no paragraph breaks: indexed as bounded passages.
    let line = "كلمة عربية ".repeat(400_000);
    ws.write("one-line.txt", line.as_bytes());
    // Deep folders.
    let mut deep = ws.corpus();
    for level in 0..40 {
        deep = deep.join(format!("d{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(deep.join("deep.txt"), "وثيقة في أعماق المجلدات.").unwrap();
    // A symlink loop.
    #[cfg(unix)]
    std::os::unix::fs::symlink(ws.corpus(), ws.corpus().join("loop")).unwrap();

    let run = ws.run(&["index"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("indexed 3 documents"), "{}", run.stderr);
    let json = ws
        .run(&["search", "--json", "--limit", "1", "عربية"])
        .json();
    assert!(json["total_hits"].as_u64().unwrap() > 100);
    let text = json["hits"][0]["text"].as_str().unwrap();
    assert!(text.len() <= fahras::corpus::passage::MAX_PASSAGE_BYTES);
    assert_eq!(ws.run(&["search", "أعماق"]).code, 0);
}

/// A plain HTTP/1.1 GET over a fresh connection: status and body.
fn http_get(base: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, body.to_owned())
}

fn total_of(body: &str) -> u64 {
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["total_hits"].as_u64().unwrap()
}
