//! A running server follows its corpus folder: files added, edited, renamed and deleted
//! under it are searchable (or gone) within seconds, with no failed request meanwhile; a
//! build that fails leaves the previous index serving and says why; files skipped once are
//! reported by every later build.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{Server, Workspace};
use serde_json::Value;

/// How long a change may take to show in answers: the settle time, a build of a tiny
/// corpus and the swap, with room for a loaded machine.
const FOLLOW_WITHIN: Duration = Duration::from_secs(10);
/// The background client stops by itself after this, whatever happens.
const CLIENT_LIMIT: Duration = Duration::from_secs(180);

const A: &str = "تعاون دولي في مكافحة الجريمة المنظمة عبر الوطنية وتسليم المجرمين.";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// An answer of the server as JSON, or why it is not a good one.
fn get(agent: &ureq::Agent, base: &str, path: &str) -> Result<Value, String> {
    let mut response = agent
        .get(format!("{base}{path}"))
        .call()
        .map_err(|e| format!("{path}: {e}"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{path}: {e}"))?;
    if status != 200 {
        return Err(format!("{path}: status {status}: {body}"));
    }
    serde_json::from_str(&body).map_err(|e| format!("{path}: {e}: {body}"))
}

fn search_path(query: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("/api/search?q={q}")
}

/// The documents whose passages match `query`, sorted.
fn docs_matching(server: &Server, query: &str) -> Vec<String> {
    let answer = get(&agent(), &server.base, &search_path(query)).unwrap();
    let mut docs: Vec<String> = answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["doc"].as_str().unwrap().to_owned())
        .collect();
    docs.sort();
    docs.dedup();
    docs
}

fn stats(server: &Server) -> Value {
    get(&agent(), &server.base, "/api/stats").unwrap()
}

/// Waits until `done` holds, at most [`FOLLOW_WITHIN`]; returns how long it took.
fn wait_for(what: &str, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < FOLLOW_WITHIN,
            "{what}: not seen within {FOLLOW_WITHIN:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    started.elapsed()
}

/// Searches in a loop on another thread until stopped, and keeps every failed request.
struct Client {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(u64, Vec<String>)>,
}

impl Client {
    fn start(base: &str) -> Client {
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, base) = (stop.clone(), base.to_owned());
        let thread = std::thread::spawn(move || {
            let agent = agent();
            let started = Instant::now();
            let (mut requests, mut failures) = (0, Vec::new());
            while !flag.load(Ordering::Relaxed) && started.elapsed() < CLIENT_LIMIT {
                for path in [search_path("الجريمة المنظمة"), "/api/stats".to_owned()]
                {
                    requests += 1;
                    if let Err(failure) = get(&agent, &base, &path) {
                        failures.push(failure);
                    }
                }
            }
            (requests, failures)
        });
        Client { stop, thread }
    }

    /// Stops the client; the number of requests it made and those that failed.
    fn finish(self) -> (u64, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap()
    }
}

#[test]
fn a_running_server_follows_files_added_edited_renamed_and_deleted() {
    let ws = Workspace::with_files(&[("a.txt", A.as_bytes())]);
    let server = Server::start(&ws.corpus(), &ws.index());
    assert_eq!(stats(&server)["build"]["following"], true);
    let client = Client::start(&server.base);

    ws.write("b.txt", "حجر الزبرجد في النص الثاني.".as_bytes());
    let added = wait_for("an added file", || {
        docs_matching(&server, "الزبرجد") == ["b"]
    });

    ws.write("b.txt", "حجر الياقوت في النص الثاني بعد تحريره.".as_bytes());
    let edited = wait_for("an edited file", || {
        docs_matching(&server, "الياقوت") == ["b"] && docs_matching(&server, "الزبرجد").is_empty()
    });

    std::fs::rename(ws.corpus().join("b.txt"), ws.corpus().join("c.txt")).unwrap();
    let renamed = wait_for("a renamed file", || {
        docs_matching(&server, "الياقوت") == ["c"]
    });

    std::fs::remove_file(ws.corpus().join("c.txt")).unwrap();
    let deleted = wait_for("a deleted file", || {
        docs_matching(&server, "الياقوت").is_empty()
    });
    assert_eq!(docs_matching(&server, "الجريمة المنظمة"), ["a"]);

    // A burst of changes, in a subfolder made for it, is one build.
    let builds = stats(&server)["build"]["builds"].as_u64().unwrap();
    std::fs::create_dir(ws.corpus().join("more")).unwrap();
    for (name, word) in [("d", "المرجان"), ("e", "الفيروز"), ("f", "العقيق")] {
        ws.write(
            &format!("more/{name}.txt"),
            format!("حجر {word} في وثيقة جديدة.").as_bytes(),
        );
    }
    wait_for("a burst of files", || {
        ["المرجان", "الفيروز", "العقيق"]
            .iter()
            .all(|word| docs_matching(&server, word).len() == 1)
    });
    assert_eq!(
        stats(&server)["build"]["builds"].as_u64().unwrap(),
        builds + 1,
        "one build for the burst"
    );

    let (requests, failures) = client.finish();
    assert!(requests > 20, "the client kept asking: {requests} requests");
    assert!(failures.is_empty(), "failed requests: {failures:#?}");
    let build = &stats(&server)["build"];
    assert_eq!(build["failed_builds"], 0, "{build}");
    assert!(build["error"].is_null(), "{build}");
    eprintln!(
        "followed: added in {added:?}, edited in {edited:?}, renamed in {renamed:?}, deleted in {deleted:?}; {requests} requests"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_index_serving_and_says_why() {
    let ws = Workspace::with_files(&[("a.txt", A.as_bytes())]);
    let server = Server::start(&ws.corpus(), &ws.index());
    let client = Client::start(&server.base);

    // UTF-16: a file the text reader refuses.
    ws.write("bad.txt", b"\xff\xfe\x27\x06\x44\x06");
    wait_for("a failed build in /api/stats", || {
        stats(&server)["build"]["error"]
            .as_str()
            .is_some_and(|e| e.contains("bad.txt") && e.contains("UTF-16"))
    });
    assert_eq!(docs_matching(&server, "الجريمة المنظمة"), ["a"]);
    assert_eq!(stats(&server)["documents"], 1);

    // Once the file is fixed, the next build serves it and the error is gone.
    ws.write("bad.txt", "نص الزمرد بعد حفظه بترميز سليم.".as_bytes());
    wait_for("the fixed file", || {
        docs_matching(&server, "الزمرد") == ["bad"]
    });
    let build = &stats(&server)["build"];
    assert!(build["error"].is_null(), "{build}");
    assert!(build["failed_builds"].as_u64().unwrap() >= 1, "{build}");

    let (_, failures) = client.finish();
    assert!(failures.is_empty(), "failed requests: {failures:#?}");
}

#[test]
fn files_skipped_by_the_server_are_reported_by_every_later_build() {
    let ws = Workspace::with_files(&[("a.txt", A.as_bytes())]);
    let server = Server::start_with(&ws.corpus(), &ws.index(), &["--skip-bad-files"]);

    ws.write("bad.txt", b"\x00\x01\x02\x03 binary");
    ws.write("b.txt", "حجر الزبرجد في النص الثاني.".as_bytes());
    wait_for("the good file beside the bad one", || {
        docs_matching(&server, "الزبرجد") == ["b"]
    });
    let skipped = |server: &Server| -> Vec<String> {
        stats(server)["skipped_files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    let first = skipped(&server);
    assert!(
        first.len() == 1 && first[0].contains("bad.txt"),
        "{first:?}"
    );

    // A later build, made for another file, still leaves the bad one out and says so.
    ws.write("c.txt", "حجر الياقوت في النص الثالث.".as_bytes());
    wait_for("a later file", || {
        docs_matching(&server, "الياقوت") == ["c"]
    });
    assert_eq!(skipped(&server), first);
    drop(server);

    // So does every command that uses the index, with or without the flag.
    let search = ws.run(&["search", "الياقوت"]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    assert!(
        search
            .stderr
            .contains("the index leaves out 1 unreadable corpus file")
            && search.stderr.contains("bad.txt"),
        "{}",
        search.stderr
    );
}
