//! The repair stage wired through: `fahras repair`, the manifest's `repair = false`, and the
//! extracted text of repaired passages in the index, the search results and the document
//! view. Written against the stage's interface: where repair changes nothing, the checks
//! still hold (no passage has an extracted text, every `extracted` is `null`). The stage's
//! own tests are beside it, in `src/repair`.

mod common;

use std::path::Path;

use common::Workspace;
use fahras::corpus::{self, LoadOptions};
use fahras::index::{self, BuildOptions};
use fahras::repair::repair;
use fahras::search::{Engine, SearchRequest};
use serde_json::Value;

/// Damage of visual-order PDF extraction: mirrored brackets, lines in visual order, a word
/// cut at a line end after a tatweel, a blank line inside a sentence.
const DAMAGED: &str = "مؤتمر الأطراف في اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية

)أ( افتتاح الدورة؛
.الدورة أعمال جدول إقرار )ب(

١- يشجع المؤتمر الدول الأطراف على تعزيز التعاون الدولي في مجال تسليم المجر\u{0640}
مين والمساعدة القانونية المتبادلة، وفقاً للمادة 16 من

الاتفاقية.
.المنظمة الجريمة مكافحة في الدولي التعاون تعزيز -2
";

const CLEAN: &str =
    "١- يرحب المؤتمر بالتقدم المحرز في تسليم المجرمين والمساعدة القانونية المتبادلة.

2- ويطلب إلى الأمانة أن تقدم تقريراً عن الأسلحة النارية.
";

const MANIFEST: &str = r#"
[documents."damaged.txt"]
session = 11

[documents."off.txt"]
session = 10
repair = false
"#;

fn workspace() -> Workspace {
    Workspace::with_files(&[
        ("manifest.toml", MANIFEST.as_bytes()),
        ("damaged.txt", DAMAGED.as_bytes()),
        ("off.txt", DAMAGED.as_bytes()),
        ("clean.txt", CLEAN.as_bytes()),
    ])
}

#[test]
fn repair_lists_every_changed_line_before_and_after() {
    let ws = workspace();
    let json = ws.run(&["repair", "--json", "damaged"]);
    assert!(json.code == 0 || json.code == 1, "{}", json.stderr);
    let changes = json.json();
    let changes = changes.as_array().expect("a JSON array of changed lines");
    let expected = repair(DAMAGED).changes;
    assert_eq!(changes.len(), expected.len());
    assert_eq!(json.code, if expected.is_empty() { 1 } else { 0 });
    let lines: Vec<&str> = DAMAGED.lines().collect();
    for (change, want) in changes.iter().zip(&expected) {
        assert_eq!(change["line"], want.line);
        assert_eq!(change["before"], want.before.as_str());
        assert_eq!(change["after"], want.after.as_str());
        let passes: Vec<&str> = change["passes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert!(!passes.is_empty());
        // The line number and the line before are the file's.
        assert_eq!(lines[want.line - 1], want.before, "line {}", want.line);
    }

    let human = ws.run(&["repair", "damaged"]);
    assert_eq!(human.code, json.code, "{}", human.stderr);
    if expected.is_empty() {
        assert_eq!(human.stdout, "damaged.txt: repair changed no line\n");
    } else {
        assert!(
            human.stdout.starts_with("damaged.txt: repair changed "),
            "{}",
            human.stdout
        );
        for change in &expected {
            let passes: Vec<&str> = change.passes.iter().map(|p| p.name()).collect();
            let entry = format!(
                "line {} ({})\n- {}\n+ {}\n",
                change.line,
                passes.join(", "),
                change.before,
                change.after
            );
            assert!(human.stdout.contains(&entry), "{entry}\n{}", human.stdout);
        }
    }
    // The file name names the same document as its id.
    assert_eq!(ws.run(&["repair", "damaged.txt"]).stdout, human.stdout);
    let clean = ws.run(&["repair", "clean"]);
    assert_eq!(
        clean.code, 1,
        "a clean file needs no repair: {}",
        clean.stdout
    );
    assert_eq!(clean.stdout, "clean.txt: repair changed no line\n");
}

#[test]
fn repair_says_when_the_manifest_switches_it_off() {
    let ws = workspace();
    let human = ws.run(&["repair", "off"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stdout.contains("repair is off for off.txt"),
        "{}",
        human.stdout
    );
    let json = ws.run(&["repair", "--json", "off.txt"]);
    assert_eq!(json.code, 1);
    assert_eq!(json.json(), serde_json::json!([]));
    assert!(json.stderr.contains("repair is off"), "{}", json.stderr);
}

#[test]
fn repair_of_an_unknown_document_is_a_clear_error() {
    let ws = workspace();
    let run = ws.run(&["repair", "nothing-here"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("no document in") && run.stderr.contains("`nothing-here`"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    // Without the corpus folder there is nothing to read.
    let gone = common::run_with(
        &ws.dir.path().join("nowhere"),
        &ws.index(),
        &["repair", "damaged"],
    );
    assert_eq!(gone.code, 2);
    assert!(gone.stderr.contains("does not exist"), "{}", gone.stderr);
}

#[test]
fn repair_help_describes_every_flag() {
    let ws = workspace();
    let help = ws.run(&["repair", "--help"]);
    assert_eq!(help.code, 0);
    for words in [
        "<DOCUMENT>",
        "document id",
        "file name",
        "--json",
        "JSON array",
    ] {
        assert!(help.stdout.contains(words), "{words}: {}", help.stdout);
    }
    let top = ws.run(&["--help"]);
    assert!(top.stdout.contains("repair"), "{}", top.stdout);
}

/// Every hit's `extracted` is `null` or the passage as extracted, and its `text`, snippet
/// and highlights are the repaired text's.
fn check_hits(search: &Value, extracted_text: impl Fn(&str) -> String) {
    for hit in search["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        let object = hit.as_object().unwrap();
        assert!(object.contains_key("extracted"), "{hit}");
        match hit["extracted"].as_str() {
            None => assert!(hit["extracted"].is_null()),
            Some(extracted) => {
                assert_ne!(extracted, text);
                assert!(extracted_text(hit["doc"].as_str().unwrap()).contains(extracted));
            }
        }
        for range in hit["highlights"].as_array().unwrap() {
            let (from, to) = (range[0].as_u64().unwrap(), range[1].as_u64().unwrap());
            assert!(text.get(from as usize..to as usize).is_some(), "{hit}");
        }
    }
}

#[test]
fn repair_off_indexes_the_file_text_byte_for_byte() {
    let ws = workspace();
    let search = ws.run(&[
        "search",
        "--json",
        "--limit",
        "100",
        "--doc",
        "off",
        "التعاون",
    ]);
    assert_eq!(search.code, 0, "{}", search.stderr);
    let search = search.json();
    let hits = search["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(DAMAGED.contains(hit["text"].as_str().unwrap()), "{hit}");
        assert!(hit["extracted"].is_null(), "{hit}");
    }
    // Every passage of the document, in order, is the file's text.
    let loaded = corpus::load_corpus(&ws.corpus(), &LoadOptions::default()).unwrap();
    let off = loaded.documents.iter().find(|d| d.id == "off").unwrap();
    assert_eq!(off.text, DAMAGED);
    let repaired = repair(DAMAGED).text;
    check_hits(&search, |_| DAMAGED.to_owned());
    let all = ws
        .run(&["search", "--json", "--limit", "100", "التعاون"])
        .json();
    check_hits(&all, |_| DAMAGED.to_owned());
    for hit in all["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        match hit["doc"].as_str().unwrap() {
            "damaged" => assert!(repaired.contains(text), "{hit}"),
            "off" => assert!(DAMAGED.contains(text), "{hit}"),
            _ => assert!(CLEAN.contains(text), "{hit}"),
        }
    }
}

#[test]
fn the_index_stores_each_repaired_passage_as_extracted() {
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let ws = workspace();
    for corpus_dir in [corpus_dir, ws.corpus()] {
        let index_dir = tempfile::tempdir().unwrap();
        index::build(&corpus_dir, index_dir.path(), &BuildOptions::default()).unwrap();
        let engine = Engine::new(index::open(index_dir.path()).unwrap()).unwrap();
        let loaded = corpus::load_corpus(&corpus_dir, &LoadOptions::default()).unwrap();
        for document in &loaded.documents {
            let view = engine.document(&document.id).unwrap().unwrap();
            let passages = corpus::split_document(document);
            assert_eq!(view.passages.len(), passages.len());
            for (shown, passage) in view.passages.iter().zip(&passages) {
                assert_eq!(shown.passage, passage.ordinal);
                assert_eq!(shown.text, passage.text);
                assert_eq!(shown.extracted, passage.extracted);
            }
            // A document repair left alone has no passage with an extracted text.
            if document.extracted.is_none() {
                assert!(passages.iter().all(|p| p.extracted.is_none()));
            }
            // The search's hits carry the same.
            let request = SearchRequest {
                query: String::new(),
                sessions: Vec::new(),
                years: Vec::new(),
                docs: vec![document.id.clone()],
                articles: Vec::new(),
                limit: 1000,
                offset: 0,
            };
            let results = engine.search(&request).unwrap();
            assert_eq!(results.hits.len(), passages.len().min(1000));
            for hit in &results.hits {
                let passage = &passages[hit.passage as usize];
                assert_eq!(hit.text, passage.text);
                assert_eq!(hit.extracted, passage.extracted);
            }
        }
    }
}
