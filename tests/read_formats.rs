//! Reading PDF and Word files (`src/read/pdf.rs`, `src/read/docx.rs`) against the fixtures of
//! `tests/fixtures/formats/` (made by `scripts/fixtures/make_fixtures.py`; its README says what
//! each file is). Similarity is that of `scripts/fixtures/similarity.py`: folded tokens
//! compared as sequences, 2·M/T, with M the matches of a Myers diff of the two token lists
//! (the `similar` crate) — a longest common subsequence, so at least difflib's figure.

use std::path::{Path, PathBuf};

use fahras::read::{docx, pdf};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The paragraphs of a `.source.txt`: one a line.
fn source_paragraphs(stem: &str) -> Vec<String> {
    String::from_utf8(fixture(&format!("{stem}.source.txt")))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// The paragraphs of a reader's text: separated by blank lines.
fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// similarity.py's folding: no diacritics or tatweel, bare alef, ya for alef maqsura, ha for
/// ta marbuta, ASCII digits.
fn fold(c: char) -> Option<char> {
    match c {
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
        'أ' | 'إ' | 'آ' => Some('ا'),
        'ى' => Some('ي'),
        'ة' => Some('ه'),
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => Some(c),
    }
}

/// Maximal runs of letters and digits after folding.
fn tokens(text: &str) -> Vec<String> {
    let folded: String = text.chars().filter_map(fold).collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn similarity(source: &str, read: &str) -> f64 {
    let (a, b) = (tokens(source), tokens(read));
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    f64::from(similar::get_diff_ratio(&ops, a.len(), b.len()))
}

const PDF_STEMS: [&str; 8] = [
    "tiny_a4_amiri",
    "tiny_a5_noto",
    "004_a4_amiri",
    "004_a5_noto",
    "001_a4_amiri",
    "001_a5_noto",
    "002_a4_amiri",
    "002_a5_noto",
];

fn read_pdf(stem: &str) -> String {
    pdf::read(&fixture(&format!("{stem}.pdf"))).unwrap_or_else(|e| panic!("{stem}.pdf: {e}"))
}

/// Source paragraphs that the PDFs do not hold as written, so that no reader can give them
/// back: fpdf2 drew them so.
/// - 001's paragraph that starts with a web address: fpdf2 takes the paragraph's direction
///   from its first letter (Latin) and draws its Arabic part in an order that is no Unicode
///   bidi rendering (`يف اهيلع علطا١٦ هيلوي/زومت ٢٠١٨`, the runs of the Arabic stretch each
///   reversed in place instead of the stretch as a whole).
///   In the A4 file it also opens a page after a paragraph whose last line is full, so
///   nothing on the page shows that a new paragraph starts, and the two are read as one.
/// - The date lines of the A5 files (`1 July 2020`): their first text run is drawn after a
///   `Q` has restored a state without a font, so the first word has no font and every reader
///   (MuPDF and poppler too) loses it.
fn unreadable(stem: &str, paragraph: &str) -> bool {
    paragraph.starts_with("www.unodc.org/unodc/en/about-unodc/campaigns/culturalproperty.html")
        || (stem == "001_a4_amiri" && paragraph.starts_with("(٤) انظر صفحة المكتب المعنونة"))
        || (stem.ends_with("_a5_noto")
            && ["1 July 2020", "9 July 2018", "13 June 2023"].contains(&paragraph))
}

#[test]
fn pdfs_read_back_at_a_similarity_of_at_least_098() {
    let mut failures = Vec::new();
    for stem in PDF_STEMS {
        let source = source_paragraphs(stem).join("\n");
        let sim = similarity(&source, &read_pdf(stem));
        eprintln!("{stem}.pdf: similarity {sim:.4}");
        if sim < 0.98 {
            failures.push(format!("{stem}: {sim:.4}"));
        }
    }
    assert!(failures.is_empty(), "below 0.98: {failures:?}");
}

#[test]
fn pdf_paragraphs_come_out_whole_and_in_logical_order() {
    // Every paragraph of the source, mixed lines of Arabic with Latin symbols and numbers
    // included, is one paragraph of the text read, character for character.
    let mut missing = Vec::new();
    for stem in PDF_STEMS {
        let text = read_pdf(stem);
        let read: std::collections::HashSet<&str> = paragraphs(&text).into_iter().collect();
        for p in source_paragraphs(stem) {
            if !unreadable(stem, &p) && !read.contains(p.as_str()) {
                missing.push(format!("{stem}: {p}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} paragraphs not read back exactly:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn pdf_paragraph_counts_are_the_sources() {
    for stem in PDF_STEMS {
        let expected = source_paragraphs(stem).len();
        let read = paragraphs(&read_pdf(stem)).len();
        // In 001's A4 file the web-address paragraph and the one before it are read as one
        // (see `unreadable`).
        let expected = if stem == "001_a4_amiri" {
            expected - 1
        } else {
            expected
        };
        assert_eq!(read, expected, "{stem}");
    }
}

#[test]
fn mixed_lines_are_in_logical_order() {
    let cases = [
        ("tiny_a4_amiri", "جدول الأعمال المؤقت CTOC/COP/2018/1، الدورة التاسعة، فيينا، ١٥-١٩ تشرين الأول/أكتوبر ٢٠١٨"),
        ("tiny_a5_noto", "جدول الأعمال المؤقت CTOC/COP/2018/1، الدورة التاسعة، فيينا، ١٥-١٩ تشرين الأول/أكتوبر ٢٠١٨"),
        ("tiny_a4_amiri", "(د) ورقة اجتماع من إعداد الأمانة عن خطة تعميم الاستفادة من بوابة المعارف المعروفة باسم \"بوابة الموارد الإلكترونية والقوانين المتعلقة بالجريمة\" (بوابة \"شيرلوك\") (CTOC/COP/WG.2/2023/CRP.1)."),
        ("004_a4_amiri", "فيينا، 12-16 تشرين الأول/أكتوبر 2020"),
        ("004_a5_noto", "فيينا، 12-16 تشرين الأول/أكتوبر 2020"),
        ("004_a4_amiri", "* CTOC/COP/2020/1."),
        ("001_a4_amiri", "فيينا، ١٥-١٩ تشرين الأول/أكتوبر ٢٠١٨"),
    ];
    for (stem, line) in cases {
        let text = read_pdf(stem);
        assert!(paragraphs(&text).contains(&line), "{stem}: {line}");
    }
    // A paragraph whose document symbols sit inside Arabic and inside brackets.
    let text = read_pdf("004_a4_amiri");
    let symbols = paragraphs(&text)
        .into_iter()
        .find(|p| p.starts_with("3- "))
        .unwrap();
    assert!(symbols.ends_with(
        "سوف يُعرض على المؤتمر في دورته العاشرة التقريران المتعلقان بهذين الاجتماعيين (CTOC/COP/WG.10/2019/5 وCTOC/COP/WG.10/2020/6 على التوالي)."
    ), "{symbols}");
}

const DOCX_STEMS: [(&str, Option<&str>); 4] = [
    ("tiny", None),
    ("004", Some("004_b8696f3eab3e24f5.txt")),
    ("001", Some("001_0a3dca724d5e52f4.txt")),
    ("002", Some("002_d76cc368b9f9cf3d.txt")),
];

#[test]
fn word_files_read_back_paragraph_for_paragraph() {
    for (stem, corpus) in DOCX_STEMS {
        let text = docx::read(&fixture(&format!("{stem}.docx")))
            .unwrap_or_else(|e| panic!("{stem}.docx: {e}"));
        let source = source_paragraphs(stem);
        assert_eq!(paragraphs(&text), source, "{stem}.docx");
        // Against the corpus document it was made from (markdown marks and all).
        let original = match corpus {
            Some(file) => std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("corpus")
                    .join(file),
            )
            .unwrap(),
            None => source.join("\n"),
        };
        let sim = similarity(&original, &text);
        eprintln!(
            "{stem}.docx: similarity {sim:.4} (against {})",
            corpus.unwrap_or("tiny.source.txt")
        );
        assert!(sim >= 0.98, "{stem}.docx: {sim:.4}");
    }
}

#[test]
fn bad_files_are_refused_with_the_reason() {
    let cases: [(&str, &str); 6] = [
        (
            "scanned.pdf",
            "it is a scanned PDF with no text layer (OCR it first)",
        ),
        ("encrypted.pdf", "it is an encrypted PDF"),
        ("truncated.pdf", "it is a damaged PDF: it is cut short"),
        ("not_a_pdf.pdf", "it is not a PDF file"),
        ("truncated.docx", "it is a damaged Word file: "),
        (
            "no_document.docx",
            "it is not a Word file (no word/document.xml)",
        ),
    ];
    for (name, reason) in cases {
        let bytes = fixture(name);
        let result = if name.ends_with(".pdf") {
            pdf::read(&bytes)
        } else {
            docx::read(&bytes)
        };
        match result {
            Ok(text) => panic!(
                "{name} was read: {:?}",
                text.chars().take(80).collect::<String>()
            ),
            Err(e) => {
                assert!(e.starts_with(reason), "{name}: {e}");
                assert!(!e.contains('\n'), "{name}: one sentence, not {e:?}");
            }
        }
    }
    // Each reader refuses the other's files, and nothing at all.
    assert_eq!(
        pdf::read(&fixture("tiny.docx")),
        Err("it is not a PDF file".to_owned())
    );
    assert!(docx::read(&fixture("tiny_a4_amiri.pdf"))
        .unwrap_err()
        .starts_with("it is not a Word file"));
    assert_eq!(pdf::read(b""), Err("the file is empty".to_owned()));
    assert_eq!(docx::read(b""), Err("the file is empty".to_owned()));
}

/// A file with `flips` bytes replaced, at positions and with values drawn from `seed`.
fn damaged(bytes: &[u8], seed: u64, flips: usize) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = bytes.to_vec();
    for _ in 0..flips {
        let i = rng.usize(..out.len());
        out[i] = rng.u8(..);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = docx::read(&bytes);
        let _ = pdf::read(&bytes);
        // Past the signature and trailer checks, into the parser.
        let mut framed = b"%PDF-1.7\n".to_vec();
        framed.extend_from_slice(&bytes);
        framed.extend_from_slice(b"\nstartxref\n9\n%%EOF\n");
        let _ = pdf::read(&framed);
        let mut zipped = b"PK\x03\x04".to_vec();
        zipped.extend_from_slice(&bytes);
        let _ = docx::read(&zipped);
    }

    #[test]
    fn damaged_pdfs_never_panic(seed in any::<u64>(), flips in 1usize..64, cut in 0.0f64..1.0) {
        let good = fixture("tiny_a4_amiri.pdf");
        let _ = pdf::read(&damaged(&good, seed, flips));
        let _ = pdf::read(&good[..(good.len() as f64 * cut) as usize]);
    }

    #[test]
    fn damaged_word_files_never_panic(seed in any::<u64>(), flips in 1usize..64, cut in 0.0f64..1.0) {
        let good = fixture("tiny.docx");
        let _ = docx::read(&damaged(&good, seed, flips));
        let _ = docx::read(&good[..(good.len() as f64 * cut) as usize]);
    }
}

/// Flipped bytes inside a PDF's streams (most of its bytes) make pdf_oxide fail in ways a
/// parser's own tests rarely reach; a few hundred of them, each either read or refused with
/// a sentence, and counted so that a change in how often the parser fails shows.
#[test]
fn many_damaged_pdfs_are_read_or_refused() {
    let good = fixture("004_a4_amiri.pdf");
    let (mut read, mut refused, mut parser_failed) = (0, 0, 0);
    for seed in 0..200u64 {
        match pdf::read(&damaged(&good, seed, 1 + (seed % 8) as usize)) {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(e.starts_with("it is") || e.starts_with("its "), "{e}");
                if e.contains("the PDF parser failed") {
                    parser_failed += 1;
                }
                refused += 1;
            }
        }
    }
    eprintln!(
        "damaged PDFs: {read} read, {refused} refused ({parser_failed} by a caught parser panic)"
    );
}
