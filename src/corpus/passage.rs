//! Passages, the unit of retrieval: paragraphs of a document, each an exact slice of its text.
//!
//! A passage is the text between blank lines. UN documents number their paragraphs (`12-`,
//! `١٢-`, `- 12-`), and PDF extraction sometimes leaves several numbered paragraphs in one
//! block; such a block is split so that each numbered paragraph is its own passage. Lines
//! extracted in visual (left-to-right) order carry the number at their end instead (`… -12`).
//!
//! Passages are split from a document's repaired text ([`crate::repair`]); a passage whose
//! lines repair changed also carries its text as extracted ([`split_document`]).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::Document;
use crate::analysis::fold;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Position among the document's passages, from 0.
    pub ordinal: u64,
    /// The UN paragraph number the passage starts with, if any.
    pub paragraph: Option<u64>,
    /// Byte offset of the passage in the document text (the repaired text).
    pub start: usize,
    /// Exactly `text[start..start + len]` of the document, without surrounding whitespace.
    pub text: String,
    /// The passage as extracted, where repair changed it: the extracted lines it came from,
    /// whole, without surrounding whitespace. `None` when repair left its lines as they were
    /// (always from [`split_passages`]).
    pub extracted: Option<String>,
}

/// Splits a document's text into passages, as [`split_passages`] does, and gives each
/// passage that repair changed its text as extracted.
pub fn split_document(document: &Document) -> Vec<Passage> {
    let mut passages = split_passages(&document.text);
    if document.extracted.is_some() {
        for passage in &mut passages {
            passage.extracted = extracted_text(document, passage);
        }
    }
    passages
}

/// The extracted lines `passage` came from, trimmed; `None` when they are the passage's
/// own lines unchanged.
fn extracted_text(document: &Document, passage: &Passage) -> Option<String> {
    let range = passage.start..passage.start + passage.text.len();
    let (extracted, from) = document.extracted_range(range.clone())?;
    let slice = extracted[from].trim();
    if slice == passage.text {
        return None;
    }
    // A passage cut from a longer line (see `MAX_PASSAGE_BYTES`) is not the whole of its
    // extracted line, yet unchanged when its whole repaired lines are the extracted ones.
    let text = &document.text;
    let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |at| range.end + at);
    if text[line_start..line_end].trim() == slice {
        return None;
    }
    Some(slice.to_owned())
}

/// `12- `, `١٢- `, `- 12- `, `٤٩ - ` at the start of a line. At most three digits and a space
/// after the dash, so that `2018-2019` and `١٥-١٩ تشرين` are not paragraph numbers; the spaced
/// form must be followed by a word, so that `12 - 16 تموز` is not one either.
static LEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:-\s*)?([0-9٠-٩۰-۹]{1,3})(?:-\s|-$|[ \t]+-[ \t]+[^0-9٠-٩۰-۹\s])")
        .expect("valid paragraph regex")
});

/// The visual-order form: `… القرارات التالية  -1` at the end of a line.
static TRAILING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)-([0-9٠-٩۰-۹]{1,3})\s*$").expect("valid paragraph regex")
});

/// The number of the UN paragraph this line starts, if it starts one.
pub(super) fn paragraph_number(line: &str) -> Option<u64> {
    let caps = LEADING_NUMBER
        .captures(line)
        .or_else(|| TRAILING_NUMBER.captures(line))?;
    // Only the number is folded: the line itself must stay as it is, for the offsets.
    fold(&caps[1]).parse().ok()
}

/// Splits a document's text into passages; see the module documentation.
pub fn split_passages(text: &str) -> Vec<Passage> {
    let lines: Vec<Line> = lines(text).collect();
    let mut passages = Vec::new();
    for block in lines.split(|line| line.text.trim().is_empty()) {
        let split = block.iter().filter(|l| l.paragraph.is_some()).count() > 1;
        for segment in block.chunk_by(|_, next| !split || next.paragraph.is_none()) {
            let (first, last) = (&segment[0], &segment[segment.len() - 1]);
            let span = &text[first.start..last.start + last.text.len()];
            let trimmed = span.trim();
            let start = first.start + (span.len() - span.trim_start().len());
            for (offset, piece) in pieces(trimmed) {
                if piece.chars().any(char::is_alphanumeric) {
                    passages.push(Passage {
                        ordinal: passages.len() as u64,
                        paragraph: first.paragraph.filter(|_| offset == 0),
                        start: start + offset,
                        text: piece.to_owned(),
                        extracted: None,
                    });
                }
            }
        }
    }
    passages
}

/// The longest passage, in bytes. A paragraph longer than this (a file with no blank
/// lines, a table flattened into one line) is cut at whitespace into passages of at most
/// this size, so that one passage stays a readable unit and a hostile file cannot make
/// one huge document of the index.
pub const MAX_PASSAGE_BYTES: usize = 16 * 1024;

/// `text` cut at whitespace into pieces of at most [`MAX_PASSAGE_BYTES`] (at a character
/// boundary when a piece has no whitespace), each with its byte offset, trimmed.
fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while text.len() - start > MAX_PASSAGE_BYTES {
        let window = &text[start..];
        let mut limit = MAX_PASSAGE_BYTES;
        while !window.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = window[..limit]
            .rfind(char::is_whitespace)
            .filter(|&at| at > 0)
            .unwrap_or(limit);
        pieces.push((start, window[..cut].trim_end()));
        let rest = &window[cut..];
        start += cut + (rest.len() - rest.trim_start().len());
    }
    pieces.push((start, &text[start..]));
    pieces
}

/// One line of the text, without its line ending.
struct Line<'a> {
    start: usize,
    text: &'a str,
    paragraph: Option<u64>,
}

fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |raw| {
        let text = raw.trim_end_matches(['\n', '\r']);
        let line = Line {
            start,
            text,
            paragraph: paragraph_number(text),
        };
        start += raw.len();
        line
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::repair::{repair, LineChange, Pass, Repaired};

    #[test]
    fn an_endless_paragraph_is_cut_at_whitespace_into_bounded_passages() {
        let text = "كلمة ".repeat(MAX_PASSAGE_BYTES / 4) + &"ب".repeat(MAX_PASSAGE_BYTES);
        let passages = split_passages(&text);
        assert!(passages.len() >= 3, "{}", passages.len());
        assert_exact_slices(&text, &passages);
        for p in &passages {
            assert!(p.text.len() <= MAX_PASSAGE_BYTES);
            assert!(!p.text.starts_with(' ') && !p.text.ends_with(' '));
        }
        // The first piece ends at a word boundary, not inside a word.
        assert!(passages[0].text.ends_with("كلمة"));
    }

    fn texts(passages: &[Passage]) -> Vec<&str> {
        passages.iter().map(|p| p.text.as_str()).collect()
    }

    fn paragraphs(passages: &[Passage]) -> Vec<Option<u64>> {
        passages.iter().map(|p| p.paragraph).collect()
    }

    /// The invariants every split must keep.
    fn assert_exact_slices(text: &str, passages: &[Passage]) {
        let mut end = 0;
        for (i, p) in passages.iter().enumerate() {
            assert_eq!(p.ordinal, i as u64);
            assert!(p.start >= end, "passages overlap or go backwards");
            assert_eq!(
                text.get(p.start..p.start + p.text.len()),
                Some(p.text.as_str())
            );
            assert_eq!(p.text.trim(), p.text);
            assert!(p.text.chars().any(char::is_alphanumeric));
            end = p.start + p.text.len();
        }
    }

    #[test]
    fn blank_lines_separate_passages() {
        let text = "\n  أولاً - مقدمة  \n\nالسطر الأول\nوالسطر الثاني\n \t \nالأخير";
        let passages = split_passages(text);
        assert_eq!(
            texts(&passages),
            ["أولاً - مقدمة", "السطر الأول\nوالسطر الثاني", "الأخير"]
        );
        assert_eq!(paragraphs(&passages), [None, None, None]);
        assert_exact_slices(text, &passages);
    }

    #[test]
    fn crlf_line_endings() {
        let text = "1- الأولى\r\nتتمة\r\n\r\n2- الثانية\r\n";
        let passages = split_passages(text);
        assert_eq!(texts(&passages), ["1- الأولى\r\nتتمة", "2- الثانية"]);
        assert_eq!(paragraphs(&passages), [Some(1), Some(2)]);
        assert_exact_slices(text, &passages);
    }

    #[test]
    fn numbered_paragraphs_sharing_a_block_are_split() {
        let text = "ثانياً - التوصيات\n١٢- الفقرة الأولى\nتتمتها\n١٣- الفقرة الثانية\n";
        let passages = split_passages(text);
        assert_eq!(
            texts(&passages),
            [
                "ثانياً - التوصيات",
                "١٢- الفقرة الأولى\nتتمتها",
                "١٣- الفقرة الثانية"
            ]
        );
        assert_eq!(paragraphs(&passages), [None, Some(12), Some(13)]);
        assert_exact_slices(text, &passages);
    }

    #[test]
    fn a_single_numbered_line_does_not_split_its_block() {
        let text = "عنوان\n7- فقرة\n";
        let passages = split_passages(text);
        assert_eq!(texts(&passages), ["عنوان\n7- فقرة"]);
        assert_eq!(paragraphs(&passages), [None]);
    }

    #[test]
    fn both_digit_systems_and_the_dash_first_form() {
        assert_eq!(paragraph_number("12- نص"), Some(12));
        assert_eq!(paragraph_number("١٢- نص"), Some(12));
        assert_eq!(paragraph_number("۱۲- نص"), Some(12));
        assert_eq!(paragraph_number("- 12- نص"), Some(12));
        assert_eq!(paragraph_number("  -١٠٣- نص"), Some(103));
        assert_eq!(paragraph_number("١-"), Some(1));
        assert_eq!(paragraph_number("٤٩ - واصل المكتب"), Some(49));
        let text = "- 11- وقرر المؤتمر\n- 12- ومن المقرر\n";
        let passages = split_passages(text);
        assert_eq!(paragraphs(&passages), [Some(11), Some(12)]);
        assert_exact_slices(text, &passages);
    }

    #[test]
    fn visual_order_numbers_at_the_end_of_the_line() {
        assert_eq!(paragraph_number("القرارات التالية  -1"), Some(1));
        assert_eq!(paragraph_number(" :المسائل التنظيمية -١  "), Some(1));
        assert_eq!(paragraph_number("-98"), Some(98));
        let text = "اعتمد المؤتمر القرارات التالية  -1\n:2022 أثناء دورته\nيقر   -2 \nتتمة\n";
        let passages = split_passages(text);
        assert_eq!(
            texts(&passages),
            [
                "اعتمد المؤتمر القرارات التالية  -1\n:2022 أثناء دورته",
                "يقر   -2 \nتتمة"
            ]
        );
        assert_eq!(paragraphs(&passages), [Some(1), Some(2)]);
        assert_exact_slices(text, &passages);
    }

    #[test]
    fn list_items_years_and_ranges_are_not_paragraph_numbers() {
        for line in [
            "(أ) انتخاب أعضاء المكتب",
            ")أ( افتتاح الدورة",
            "2018-2019 الفترة",
            "الإطار الاستراتيجي للفترة ٢٠١٨-٢٠١٩",
            "١٥-١٩ تشرين الأول/أكتوبر",
            "12-16 تشرين الأول/أكتوبر 2020",
            "12 - 16 تموز/يوليه 2020",
            "1234- نص",
            "القرار 11/1",
            "نص-12",
            "المرجع 2019 -2020",
        ] {
            assert_eq!(paragraph_number(line), None, "{line}");
        }
    }

    #[test]
    fn passages_without_letters_or_digits_are_skipped() {
        let text = "__________\n\nنص\n\n* * *\n\n42\n";
        let passages = split_passages(text);
        assert_eq!(texts(&passages), ["نص", "42"]);
        assert_exact_slices(text, &passages);
        assert!(split_passages("").is_empty());
        assert!(split_passages("\n \r\n\t").is_empty());
    }

    #[test]
    fn seed_documents() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let count = |name: &str| {
            let text = std::fs::read_to_string(dir.join(name)).expect("seed file");
            let passages = split_passages(&text);
            assert_exact_slices(&text, &passages);
            let numbered: Vec<u64> = passages.iter().filter_map(|p| p.paragraph).collect();
            (passages.len(), numbered)
        };

        let (n, numbered) = count("001_0a3dca724d5e52f4.txt");
        assert!(n > 50, "{n}");
        assert_eq!(numbered, (1..=69).collect::<Vec<_>>());

        let (n, numbered) = count("002_d76cc368b9f9cf3d.txt");
        assert!(n > 50, "{n}");
        assert!(numbered.len() >= 45, "{}", numbered.len());

        let (_, numbered) = count("004_b8696f3eab3e24f5.txt");
        assert_eq!(numbered, (1..=18).collect::<Vec<_>>());

        let (n, numbered) = count("000_034d2fcbcf60e4e7.txt");
        assert!(n > 500, "{n}");
        // Visual order: the resolutions' operative paragraphs, numbered afresh in each one.
        assert!(numbered.len() > 120, "{}", numbered.len());
        assert_eq!(numbered[0], 1);

        let (n, numbered) = count("003_2a7d7debe43666ee.txt");
        assert!(n > 100, "{n}");
        assert!(numbered.starts_with(&[1]), "{numbered:?}");
    }

    /// A document whose extracted text is `extracted` and whose repair changed it into
    /// `repaired`, line for line: each changed line keeps its byte length, so that the line
    /// map of [`Repaired::unchanged`] is the map of this repair too.
    fn repaired_document(extracted: &str, repaired: &str) -> Document {
        let before: Vec<&str> = extracted.split_inclusive('\n').collect();
        let after: Vec<&str> = repaired.split_inclusive('\n').collect();
        assert_eq!(
            before.len(),
            after.len(),
            "a hand-made repair keeps the lines"
        );
        let mut repair = Repaired::unchanged(extracted);
        repair.text = repaired.to_owned();
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            assert_eq!(
                b.len(),
                a.len(),
                "a hand-made repair keeps each line's length"
            );
            if b != a {
                repair.changes.push(LineChange {
                    line: i + 1,
                    before: b.trim_end().to_owned(),
                    after: a.trim_end().to_owned(),
                    passes: vec![Pass::Brackets],
                });
            }
        }
        Document::new(
            "d".into(),
            "d.txt".into(),
            Default::default(),
            extracted.to_owned(),
            repair,
            true,
        )
    }

    fn extracted(passages: &[Passage]) -> Vec<Option<&str>> {
        passages.iter().map(|p| p.extracted.as_deref()).collect()
    }

    #[test]
    fn a_repaired_passage_carries_its_extracted_lines_and_the_others_none() {
        let before = "مقدمة\n\n1- نص )أ( هنا\nتتمة )ب(\n\nفقرة ثانية\n";
        let after = "مقدمة\n\n1- نص (أ) هنا\nتتمة (ب)\n\nفقرة ثانية\n";
        let document = repaired_document(before, after);
        assert_eq!(document.text, after);
        assert_eq!(document.extracted.as_ref().unwrap().text, before);
        let passages = split_document(&document);
        assert_eq!(
            texts(&passages),
            ["مقدمة", "1- نص (أ) هنا\nتتمة (ب)", "فقرة ثانية"]
        );
        assert_eq!(
            extracted(&passages),
            [None, Some("1- نص )أ( هنا\nتتمة )ب("), None]
        );
        // Offsets are into the repaired text, and everything else is as split_passages says.
        assert_exact_slices(after, &passages);
        let plain = split_passages(after);
        for (p, q) in passages.iter().zip(&plain) {
            assert_eq!(
                (p.ordinal, p.paragraph, p.start),
                (q.ordinal, q.paragraph, q.start)
            );
        }
    }

    #[test]
    fn one_changed_line_of_a_block_marks_only_the_passage_it_is_in() {
        let before = "١٢- الفقرة الأولى\nتتمتها\n١٣- الفقرة )أ( الثانية\nتتمة الثانية\n";
        let after = "١٢- الفقرة الأولى\nتتمتها\n١٣- الفقرة (أ) الثانية\nتتمة الثانية\n";
        let passages = split_document(&repaired_document(before, after));
        assert_eq!(paragraphs(&passages), [Some(12), Some(13)]);
        assert_eq!(
            extracted(&passages),
            [None, Some("١٣- الفقرة )أ( الثانية\nتتمة الثانية")]
        );
    }

    #[test]
    fn a_passage_with_crlf_and_indented_lines_is_trimmed_as_extracted() {
        let before = "  سطر )أ( أول\r\nسطر ثان  \r\n\r\nأخير\r\n";
        let after = "  سطر (أ) أول\r\nسطر ثان  \r\n\r\nأخير\r\n";
        let passages = split_document(&repaired_document(before, after));
        assert_eq!(texts(&passages), ["سطر (أ) أول\r\nسطر ثان", "أخير"]);
        assert_eq!(extracted(&passages), [Some("سطر )أ( أول\r\nسطر ثان"), None]);
    }

    #[test]
    fn pieces_of_an_unchanged_long_line_are_not_repaired_passages() {
        // A paragraph longer than a passage is cut inside its line; its pieces are not the
        // whole extracted line, but repair did not touch it.
        let long = "كلمة ".repeat(MAX_PASSAGE_BYTES / 5);
        let before = format!("{long}\n\nسطر )أ(\n");
        let after = format!("{long}\n\nسطر (أ)\n");
        let passages = split_document(&repaired_document(&before, &after));
        assert!(passages.len() >= 3, "{}", passages.len());
        let (last, pieces) = passages.split_last().unwrap();
        assert!(pieces.iter().all(|p| p.extracted.is_none()));
        assert_eq!(last.extracted.as_deref(), Some("سطر )أ("));
    }

    #[test]
    fn an_unchanged_document_has_no_extracted_text() {
        let text = "سطر أول\n\nسطر ثان\n";
        let document = Document::new(
            "d".into(),
            "d.txt".into(),
            Default::default(),
            text.to_owned(),
            Repaired::unchanged(text),
            true,
        );
        assert!(document.extracted.is_none());
        assert_eq!(document.text, text);
        assert_eq!(split_document(&document), split_passages(text));
    }

    /// What `split_document` must give each passage of a document made by `repair`.
    fn assert_extracted_follows_the_line_map(extracted: &str) {
        let repaired = repair(extracted);
        let changed = !repaired.is_unchanged();
        let lines = repaired.clone();
        let document = Document::new(
            "d".into(),
            "d.txt".into(),
            Default::default(),
            extracted.to_owned(),
            repaired,
            true,
        );
        assert_eq!(document.extracted.is_some(), changed);
        if !changed {
            assert_eq!(document.text, extracted);
        }
        let passages = split_document(&document);
        assert_exact_slices(&document.text, &passages);
        let text = &document.text;
        for p in &passages {
            let end = p.start + p.text.len();
            let slice = extracted[lines.extracted_range(p.start..end)].trim();
            // The passage's whole lines in the repaired text.
            let line_start = text[..p.start].rfind('\n').map_or(0, |at| at + 1);
            let line_end = text[end..].find('\n').map_or(text.len(), |at| end + at);
            let unchanged = slice == p.text || text[line_start..line_end].trim() == slice;
            assert_eq!(p.extracted.as_deref(), (!unchanged).then_some(slice));
            assert!(changed || unchanged);
        }
    }

    #[test]
    fn seed_documents_through_repair() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                assert_extracted_follows_the_line_map(&std::fs::read_to_string(path).unwrap());
            }
        }
    }

    proptest! {
        #[test]
        fn any_text_through_repair_keeps_the_line_map(
            text in "([ \t]|\r?\n|-|[0-9]|ا|ب|ل|\\(|\\)|\u{0640}|\u{064E}){0,200}"
        ) {
            assert_extracted_follows_the_line_map(&text);
        }

        #[test]
        fn any_text_splits_into_exact_slices(text in "(?s).{0,300}") {
            assert_exact_slices(&text, &split_passages(&text));
        }

        #[test]
        fn paragraph_like_text_splits_into_exact_slices(
            text in "([ \t]|\r?\n|-|[0-9]|[٠-٩]|ا|ب|\\(|\\)|\u{0640}|\u{064E}){0,200}"
        ) {
            assert_exact_slices(&text, &split_passages(&text));
        }
    }
}
