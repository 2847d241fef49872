//! The binary end to end, on a small corpus of our own sentences.

mod common;

use common::{hits, Workspace};
use serde_json::Value;

const MANIFEST: &str = r#"
[documents."a.txt"]
symbol = "CTOC/COP/2022/1"
session = 11
year = 2022
title = "تقرير المؤتمر"

[documents."b.txt"]
session = 10
year = 2020
"#;

const A: &str = "١- يشجع المؤتمر الدول الأطراف على تعزيز التعاون الدولي لأغراض المصادرة وفقاً للمادة 13 من الاتفاقية.

2- ويرحب بالتقدم المحرز في تسليم المجرمين والمساعدة القانونية المتبادلة.
3- ويطلب إلى الأمانة أن تقدم تقريراً عن الأسلحة النارية.
";

const B: &str = "أكد المشاركون أهمية والتعاون الدولي لأغراض المصادرة في مكافحة الجريمة المنظمة.

ناقش الفريق العامل تسليم المجرمين في سياق
الجريمة المنظمة عبر الوطنية.

الأَسْلِحَة النَّارِيَّة والذخيرة موضوع هذه الفقرة.
";

fn workspace() -> Workspace {
    Workspace::with_files(&[
        ("manifest.toml", MANIFEST.as_bytes()),
        ("a.txt", A.as_bytes()),
        ("b.txt", B.as_bytes()),
    ])
}

#[test]
fn json_output_keeps_the_contract() {
    let ws = workspace();
    let run = ws.run(&["search", "--json", "تسليم المجرمين"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    // Scores are redacted and hits sorted: ranking is tested elsewhere (these two passages
    // tie, and a tie's order follows the segments'), the shape here.
    insta::assert_json_snapshot!(json, {
        ".took_ms" => "[took_ms]",
        ".hits[].score" => "[score]",
        ".hits" => insta::sorted_redaction(),
    });
}

#[test]
fn a_phrase_finds_forms_with_attached_clitics_and_original_text_is_kept() {
    let ws = workspace();
    let json = ws
        .run(&["search", "--json", "\"التعاون الدولي لأغراض المصادرة\""])
        .json();
    let found = hits(&json);
    assert_eq!(found.len(), 2, "{json:#}");
    assert!(found.contains(&("a".into(), 0)) && found.contains(&("b".into(), 0)));
    for hit in json["hits"].as_array().unwrap() {
        let text = hit["text"].as_str().unwrap();
        assert!(
            A.contains(text) || B.contains(text),
            "text is not original: {text}"
        );
        let highlighted: Vec<&str> = hit["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
            .collect();
        assert!(highlighted.contains(&"لأغراض"), "{highlighted:?}");
        assert!(
            highlighted.contains(&"والتعاون") || highlighted.contains(&"التعاون"),
            "{highlighted:?}"
        );
    }
}

#[test]
fn a_phrase_word_with_a_proclitic_matches_with_or_without_it() {
    let ws = workspace();
    let found = |q: &str| {
        let mut found = hits(&ws.run(&["search", "--json", q]).json());
        found.sort();
        found
    };
    assert_eq!(found("\"لتعزيز التعاون\""), vec![("a".into(), 0)]);
    assert_eq!(
        found("\"وتعاون الدولي\""),
        vec![("a".into(), 0), ("b".into(), 0)]
    );
    assert_eq!(found("\"بتعزيز والتعاون\""), vec![("a".into(), 0)]);
}

#[test]
fn human_output_numbers_ranks_from_the_offset_and_marks_matches() {
    let ws = workspace();
    let second = ws.run(&["search", "--limit", "1", "--offset", "1", "المجرمين"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stdout.contains("\n2. "), "{}", second.stdout);
    assert!(!second.stdout.contains("\n1. "), "{}", second.stdout);
    assert!(!second.stdout.contains('\x1b'), "piped output is plain");
    let coloured = ws.run(&["search", "--color", "always", "المجرمين"]);
    assert!(
        coloured.stdout.contains("المجرمين\x1b[0m"),
        "{}",
        coloured.stdout
    );
}

#[test]
fn a_phrase_wrapping_across_a_line_break_matches() {
    let ws = workspace();
    let json = ws
        .run(&["search", "--json", "\"سياق الجريمة المنظمة\""])
        .json();
    assert_eq!(hits(&json), vec![("b".into(), 1)]);
}

#[test]
fn numbered_paragraphs_sharing_a_block_are_separate_passages() {
    let ws = workspace();
    let json = ws.run(&["search", "--json", "الأمانة"]).json();
    assert_eq!(hits(&json), vec![("a".into(), 2)]);
    assert!(json["hits"][0]["text"].as_str().unwrap().starts_with("3- "));
}

#[test]
fn spelling_variants_give_the_same_ranked_hits() {
    let ws = workspace();
    let lists: Vec<_> = [
        "الأسلحة النارية",
        "الاسلحه الناريه",
        "الأَسْلِحَة النَّارِيَّة",
        "الأسلحـــة",
    ]
    .iter()
    .map(|q| hits(&ws.run(&["search", "--json", q]).json()))
    .collect();
    assert_eq!(lists[0].len(), 2, "{lists:?}");
    assert_eq!(lists[0], lists[1]);
    assert_eq!(lists[0], lists[2]);
    assert_eq!(lists[0], lists[3]);
}

#[test]
fn counts_cover_all_matches_not_just_the_page() {
    let ws = workspace();
    let all = ws
        .run(&[
            "search",
            "--json",
            "--limit",
            "100",
            "الجريمة OR المجرمين OR التعاون",
        ])
        .json();
    let page = ws
        .run(&[
            "search",
            "--json",
            "--limit",
            "1",
            "--offset",
            "1",
            "الجريمة OR المجرمين OR التعاون",
        ])
        .json();
    let total = all["hits"].as_array().unwrap().len() as u64;
    assert!(total >= 3);
    assert_eq!(all["total_hits"], total);
    assert_eq!(page["total_hits"], total);
    assert_eq!(page["by_session"], all["by_session"]);
    assert_eq!(hits(&page)[0], hits(&all)[1]);
    let by_session: u64 = all["by_session"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_session, total);
}

#[test]
fn a_passage_missing_a_word_ranks_lower_instead_of_dropping_out() {
    let ws = workspace();
    let json = ws.run(&["search", "--json", "المجرمين سياق"]).json();
    // Both words in b's passage, one in a's: both found, and counted.
    assert_eq!(hits(&json), vec![("b".into(), 1), ("a".into(), 1)]);
    assert_eq!(json["total_hits"], 2);
    // Beside a quoted phrase, words only rank: the phrase must match.
    let json = ws
        .run(&["search", "--json", "\"تسليم المجرمين\" سياق"])
        .json();
    assert_eq!(hits(&json), vec![("b".into(), 1), ("a".into(), 1)]);
    let json = ws.run(&["search", "--json", "\"المجرمين سياق\" تسليم"]);
    assert_eq!(json.code, 1, "a phrase that is nowhere finds nothing");
}

#[test]
fn filters_exclusions_and_or_narrow_the_hits() {
    let ws = workspace();
    let sessions = |query: &str, flags: &[&str]| -> Vec<u64> {
        let mut full = vec!["search", "--json", "--limit", "100"];
        full.extend_from_slice(flags);
        full.push(query);
        ws.run(&full).json()["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["session"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(sessions("المجرمين session:11", &[]), vec![11]);
    assert_eq!(sessions("المجرمين", &["--session", "10"]), vec![10]);
    assert_eq!(
        sessions("المجرمين", &["--session", "10", "--session", "11"]).len(),
        2
    );
    assert_eq!(sessions("المجرمين year:2020", &[]), vec![10]);
    assert_eq!(sessions("المجرمين", &["--year", "2022"]), vec![11]);
    assert_eq!(sessions("المجرمين", &["--doc", "b"]), vec![10]);
    assert_eq!(sessions("المجرمين -سياق", &[]), vec![11]);
    assert_eq!(sessions("المجرمين -session:11", &[]), vec![10]);
    let mut either = sessions("الذخيرة OR الأمانة", &[]);
    either.sort();
    assert_eq!(either, vec![10, 11]);
}

#[test]
fn nothing_found_exits_1_and_errors_exit_2_with_one_clear_sentence() {
    let ws = workspace();
    let none = ws.run(&["search", "كلمةغيرموجودة"]);
    assert_eq!(none.code, 1);
    assert!(
        none.stdout.starts_with("0 passages match"),
        "{}",
        none.stdout
    );

    for (query, message) in [
        ("", "the query is empty"),
        ("\"تسليم المجرمين", "never closed"),
        ("genre:x", "unknown filter `genre:`"),
        ("-تسليم", "only exclusions"),
    ] {
        let run = ws.run(&["search", query]);
        assert_eq!(run.code, 2, "{query:?}");
        assert!(run.stderr.contains(message), "{query:?}: {}", run.stderr);
        assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    }
}

#[test]
fn a_new_index_folder_is_built_on_first_use_and_a_missing_corpus_is_reported() {
    let ws = workspace();
    let fresh = ws.dir.path().join("new-index");
    let built = common::run_with(&ws.corpus(), &fresh, &["search", "تسليم"]);
    assert_eq!(built.code, 0, "{}", built.stderr);

    let elsewhere = ws.dir.path().join("no-corpus");
    let warned = common::run_with(&elsewhere, &fresh, &["search", "تسليم"]);
    assert_eq!(warned.code, 0, "{}", warned.stderr);
    assert!(
        warned.stderr.contains("warning: there is no corpus folder"),
        "{}",
        warned.stderr
    );

    let nothing = common::run_with(
        &elsewhere,
        &ws.dir.path().join("nowhere"),
        &["search", "تسليم"],
    );
    assert_eq!(nothing.code, 2);
    assert!(
        nothing.stderr.contains("there is no index in"),
        "{}",
        nothing.stderr
    );
}

#[test]
fn an_io_error_names_the_path_and_its_cause_once() {
    let ws = workspace();
    let not_a_folder = ws.dir.path().join("index-file");
    std::fs::write(&not_a_folder, "").unwrap();
    let run = common::run_with(&ws.corpus(), &not_a_folder, &["search", "تسليم"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("index-file"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("os error").count(), 1, "{}", run.stderr);
}

#[test]
fn unreadable_corpus_files_are_named_and_can_be_skipped() {
    let ws = workspace();
    ws.write("latin1.txt", b"caf\xe9 \xe0 la cr\xe8me");
    ws.write("binary.txt", b"\x00\x01\x02\x03PK\x00\x00");
    ws.write("empty.txt", b"");
    let run = ws.run(&["search", "تسليم"]);
    assert_eq!(run.code, 2);
    for name in ["latin1.txt", "binary.txt", "empty.txt"] {
        assert!(
            run.stderr.contains(name),
            "{name} not named: {}",
            run.stderr
        );
    }
    let skipped = ws.run(&["search", "--skip-bad-files", "تسليم"]);
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);
    assert!(skipped.stderr.contains("latin1.txt"), "{}", skipped.stderr);
    assert!(
        skipped.stderr.contains("; skipped 3 unreadable files"),
        "{}",
        skipped.stderr
    );
    // The index is fresh now, but every later use of it says what it leaves out.
    for args in [&["search", "تسليم"][..], &["article", "16"][..]] {
        let later = ws.run(args);
        assert!(
            later
                .stderr
                .contains("the index leaves out 3 unreadable corpus files"),
            "{args:?}: {}",
            later.stderr
        );
        for name in ["latin1.txt", "binary.txt", "empty.txt"] {
            assert!(later.stderr.contains(name), "{args:?}: {}", later.stderr);
        }
    }
    // Fixed files leave nothing to report.
    for name in ["latin1.txt", "binary.txt", "empty.txt"] {
        std::fs::remove_file(ws.corpus().join(name)).unwrap();
    }
    let fixed = ws.run(&["search", "تسليم"]);
    assert!(!fixed.stderr.contains("leaves out"), "{}", fixed.stderr);
    let again = ws.run(&["search", "تسليم"]);
    assert!(again.stderr.is_empty(), "{}", again.stderr);
}

#[test]
fn counts_are_told_in_the_singular_and_the_plural() {
    let ws = Workspace::with_files(&[("one.txt", "تسليم المجرمين بين الدول.".as_bytes())]);
    let run = ws.run(&["search", "تسليم"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("1 passage matches ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.starts_with("indexed 1 document, 1 passage ("),
        "{}",
        run.stderr
    );
    ws.write("bad.txt", b"\x00\x01\x02");
    let failed = ws.run(&["search", "تسليم"]);
    assert!(
        failed.stderr.contains("1 corpus file could not be read"),
        "{}",
        failed.stderr
    );
    let skipped = ws.run(&["search", "--skip-bad-files", "تسليم"]);
    assert!(
        skipped.stderr.contains("; skipped 1 unreadable file\n"),
        "{}",
        skipped.stderr
    );
    std::fs::remove_dir_all(ws.corpus()).unwrap();
    let without = ws.run(&["search", "تسليم"]);
    assert!(
        without.stderr.contains("there is no corpus folder")
            && !without.stderr.contains("as it is"),
        "{}",
        without.stderr
    );
}

#[test]
fn the_index_is_built_on_first_use_and_rebuilt_when_the_corpus_changes() {
    let ws = workspace();
    let first = ws.run(&["search", "موزامبيق"]);
    assert_eq!(first.code, 1);
    assert!(
        first.stderr.contains("indexed 2 documents"),
        "{}",
        first.stderr
    );
    let again = ws.run(&["search", "موزامبيق"]);
    assert!(
        again.stderr.is_empty(),
        "rebuilt without a change: {}",
        again.stderr
    );

    ws.write("c.txt", "النهج الذي تتبناه موزامبيق.".as_bytes());
    let json = ws.run(&["search", "--json", "موزامبيق"]).json();
    assert_eq!(hits(&json), vec![("c".into(), 0)]);
    assert_eq!(
        json["hits"][0]["session"],
        Value::Null,
        "unknown metadata is null"
    );
}

#[test]
fn analyze_shows_surface_folded_form_stems_and_offsets() {
    let ws = workspace();
    let run = ws.run(&["analyze", "--json", "والتعاونِ ٢٠١٢أكتوبر"]);
    assert_eq!(run.code, 0);
    let tokens = run.json();
    let tokens = tokens.as_array().unwrap();
    assert_eq!(tokens.len(), 3);
    assert_eq!(tokens[0]["surface"], "والتعاونِ");
    assert_eq!(tokens[0]["folded"], "والتعاون");
    assert_eq!(tokens[0]["stems"][0], "تعاون");
    assert_eq!(tokens[1]["folded"], "2012");
    assert_eq!(tokens[2]["offset_from"], tokens[1]["offset_to"]);
}

#[test]
fn two_builds_at_once_both_finish_and_leave_one_complete_index() {
    let ws = workspace();
    std::fs::create_dir(ws.index().join(".build-left-by-a-killed-build")).unwrap();
    let builds = [ws.spawn(&["index"]), ws.spawn(&["index"])];
    for build in builds {
        let output = build.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(ws.generations().len(), 1);
    assert!(!ws.index().join(".build-left-by-a-killed-build").exists());
    assert_eq!(ws.run(&["search", "تسليم"]).code, 0);
}

#[test]
fn a_corrupt_index_gives_a_clear_error_that_says_how_to_rebuild() {
    let ws = workspace();
    assert_eq!(ws.run(&["index"]).code, 0);
    let generation = ws.generations().pop().unwrap();
    std::fs::remove_file(generation.join("meta.json")).unwrap();
    let run = ws.run(&["search", "تسليم"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("run `fahras index`"), "{}", run.stderr);
    assert_eq!(ws.run(&["index"]).code, 0);
    assert_eq!(ws.run(&["search", "تسليم"]).code, 0);
}

#[test]
fn a_phrase_marks_only_where_the_whole_phrase_occurs() {
    let text = "وفقا للمادة 16 من الاتفاقية، طلبت الدول من الأمانة أن تعرض الاتفاقية على الدول الأخرى.";
    let ws = Workspace::with_files(&[("p.txt", text.as_bytes())]);
    let marked = |query: &str| -> Vec<String> {
        let json = ws.run(&["search", "--json", query]).json();
        let hit = &json["hits"][0];
        let text = hit["text"].as_str().unwrap();
        hit["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_owned()
            })
            .collect()
    };
    assert_eq!(
        marked("\"المادة 16 من الاتفاقية\""),
        ["للمادة", "16", "من", "الاتفاقية"]
    );
    // A word beside the phrase is marked wherever it occurs; the phrase only where it is whole.
    assert_eq!(
        marked("\"المادة 16 من الاتفاقية\" الدول"),
        ["للمادة", "16", "من", "الاتفاقية", "الدول", "الدول"]
    );
    // Without quotes every word is marked wherever it occurs.
    assert_eq!(marked("الاتفاقية").len(), 2);
}
