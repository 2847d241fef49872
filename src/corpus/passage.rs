//! Passages, the unit of retrieval: paragraphs of a document, each an exact slice of its text.
//!
//! A passage is the text between blank lines. UN documents number their paragraphs (`12-`,
//! `١٢-`, `- 12-`), and PDF extraction sometimes leaves several numbered paragraphs in one
//! block; such a block is split so that each numbered paragraph is its own passage. Lines
//! extracted in visual (left-to-right) order carry the number at their end instead (`… -12`).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::analysis::fold;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Position among the document's passages, from 0.
    pub ordinal: u64,
    /// The UN paragraph number the passage starts with, if any.
    pub paragraph: Option<u64>,
    /// Byte offset of the passage in the document text.
    pub start: usize,
    /// Exactly `text[start..start + len]` of the document, without surrounding whitespace.
    pub text: String,
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

    proptest! {
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
