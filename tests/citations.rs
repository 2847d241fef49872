//! Articles, decisions and document symbols through the binary, on sentences of our own.

mod common;

use common::{hits, Workspace};

const MANIFEST: &str = r#"
[documents."c.txt"]
symbol = "CTOC/COP/2022/9"
session = 11

[documents."d.txt"]
session = 10
"#;

const C: &str = "١- تشجع الدول على تنفيذ المادة 16 من الاتفاقية بشأن تسليم المجرمين.

2- وتعمل وفقاً للمادتين 16 و18 من الاتفاقية على تعزيز المساعدة القانونية المتبادلة.

3- وتنظر في المادة 5 من بروتوكول الأسلحة النارية.

4- يذكّر بالقرار 11/1 وبالوثيقة CTOC/COP/2022/L.9/Rev.1 وبتقرير الفريق العامل CTOC/COP/WG.2/2023/1.
";

const D: &str = "ناقش الفريق تطبيق المادة ١٦ (تسليم المجرمين) في الممارسة العملية.
";

fn workspace() -> Workspace {
    Workspace::with_files(&[
        ("manifest.toml", MANIFEST.as_bytes()),
        ("c.txt", C.as_bytes()),
        ("d.txt", D.as_bytes()),
    ])
}

#[test]
fn article_reports_group_citing_passages_by_session_newest_first() {
    let ws = workspace();
    let run = ws.run(&["article", "16", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_json_snapshot!(run.json(), {
        ".sessions[].passages[].score" => "[score]",
    });
    let human = ws.run(&["article", "16"]);
    assert!(
        human.stdout.starts_with("Article 16 · Extradition · "),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("3 passages cite it, in 2 sessions"),
        "{}",
        human.stdout
    );
    let in_session_10 = ws
        .run(&["article", "16", "--session", "10", "--json"])
        .json();
    assert_eq!(in_session_10["total_passages"], 1);
    assert_eq!(
        ws.run(&["article", "5", "--json"]).code,
        1,
        "a Protocol's article 5 is not the Convention's"
    );
}

#[test]
fn article_counts_cover_every_article_per_session() {
    let ws = workspace();
    // A document of no session: counted in the total and in a column of its own.
    ws.write(
        "e.txt",
        "ناقش الفريق العامل المادة 16 من الاتفاقية.\n".as_bytes(),
    );
    let table = ws.run(&["article"]).stdout;
    let header = table.lines().next().unwrap();
    assert!(header.ends_with("\tno session\ttitle"), "{header}");
    let row = table.lines().find(|l| l.starts_with("16\t")).unwrap();
    assert!(row.starts_with("16\t4\t1\t2\t1\t"), "{row}");
    let counts = ws.run(&["article", "--json"]).json();
    let counts = counts.as_array().unwrap();
    assert_eq!(counts.len(), 41);
    assert_eq!(counts[15]["article"], 16);
    assert_eq!(counts[15]["total_passages"], 4);
    assert_eq!(counts[15]["by_session"]["11"], 2);
    assert_eq!(counts[15]["by_session"]["10"], 1);
    assert_eq!(counts[15]["without_session"], 1);
    assert_eq!(counts[17]["total_passages"], 1);
    assert_eq!(counts[4]["total_passages"], 0);
}

#[test]
fn citation_filters_and_the_article_facet_in_search() {
    let ws = workspace();
    let search = |q: &str| ws.run(&["search", "--json", q]).json();
    assert_eq!(hits(&search("article:18")), vec![("c".into(), 1)]);
    assert_eq!(hits(&search("decision:١١/١")), vec![("c".into(), 3)]);
    assert_eq!(
        hits(&search("symbol:ctoc/cop/2022/l.9/rev.1")),
        vec![("c".into(), 3)]
    );
    // A symbol finds its revisions too, but not other documents sharing its start.
    assert_eq!(
        hits(&search("symbol:CTOC/COP/2022/L.9")),
        vec![("c".into(), 3)]
    );
    assert_eq!(search("symbol:CTOC/COP/2022/L")["total_hits"], 0);
    assert_eq!(
        hits(&search("symbol:CTOC/COP/WG.2/* الفريق")),
        vec![("c".into(), 3)]
    );
    // A document's own symbol finds all of its passages.
    assert_eq!(search("symbol:CTOC/COP/2022/9")["total_hits"], 4);
    let extradition = search("تسليم المجرمين");
    assert_eq!(extradition["by_article"]["16"], 2);
    let with_symbol = search("تسليم المجرمين session:11");
    assert_eq!(
        with_symbol["hits"][0]["url"],
        "https://undocs.org/CTOC/COP/2022/9"
    );
    assert!(ws.run(&["search", "article:42"]).stderr.contains("1 to 41"));
}

#[test]
fn show_prints_metadata_outline_and_citations_by_id_or_symbol() {
    let ws = workspace();
    let by_symbol = ws.run(&["show", "--json", "ctoc/cop/2022/9"]).json();
    assert_eq!(by_symbol["doc"], "c");
    assert_eq!(by_symbol["url"], "https://undocs.org/CTOC/COP/2022/9");
    assert_eq!(by_symbol["articles"]["16"], 2);
    assert_eq!(by_symbol["articles"]["18"], 1);
    assert_eq!(by_symbol["decisions"]["11/1"], 1);
    assert_eq!(by_symbol["symbols"]["CTOC/COP/2022/L.9/REV.1"], 1);
    assert!(by_symbol["symbols"].get("CTOC/COP/2022/9").is_none());
    assert_eq!(
        by_symbol["outline"],
        serde_json::json!([{"kind": "paragraphs", "first": 1, "last": 4, "passage": 0}])
    );
    let human = ws.run(&["show", "c"]);
    assert!(
        human
            .stdout
            .contains("articles of the Convention cited: 16 ×2, 18 ×1"),
        "{}",
        human.stdout
    );
    let missing = ws.run(&["show", "nothing"]);
    assert_eq!(missing.code, 2);
    assert!(missing
        .stderr
        .contains("no document has the id or symbol `nothing`"));
}
