//! Brackets: an extractor that reverses right-to-left runs without mirroring their brackets
//! writes `)أ(` for `(أ)`, throughout the document and not only on reversed lines. A document
//! is mirrored when brackets around Arabic read `)…(` more often than `(…)`; then each pair
//! read that way round that holds no Latin letter is turned round. Latin text inside the
//! brackets (`(CTOC/COP/2012/1)`) is a left-to-right run, whose brackets are right already.

use std::sync::LazyLock;

use regex::Regex;

use super::text::is_arabic_letter;

/// Brackets tight around their content (no space inside), so that the gap between two pairs
/// is not counted as a pair the other way round.
static MIRRORED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\)([^()\s]|[^()\s][^()\n]{0,78}[^()\s])\(").expect("valid bracket regex")
});
static UPRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(([^()\s]|[^()\s][^()\n]{0,78}[^()\s])\)").expect("valid bracket regex")
});
/// A short label written with spaces inside its brackets: `( ز)`.
static LOOSE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([^()\s]{1,3})\s*\)").expect("valid label regex"));

fn around_arabic(re: &Regex, text: &str) -> usize {
    re.captures_iter(text)
        .filter(|c| {
            c[1].chars().any(is_arabic_letter) && !c[1].chars().any(|ch| ch.is_ascii_alphabetic())
        })
        .count()
}

/// Whether the document writes its brackets mirrored.
pub fn is_mirrored(text: &str) -> bool {
    let mirrored = around_arabic(&MIRRORED, text);
    mirrored >= 2 && mirrored > around_arabic(&UPRIGHT, text)
}

/// A line of a mirrored document with its brackets turned round.
pub fn unmirror_line(line: &str) -> String {
    let mut out: Vec<char> = line.chars().collect();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        match out[i] {
            ')' => open.push(i),
            '(' => {
                if let Some(j) = open.pop() {
                    if !out[j + 1..i].iter().any(|c| c.is_ascii_alphabetic()) {
                        out[j] = '(';
                        out[i] = ')';
                    }
                }
            }
            _ => {}
        }
    }
    let turned: String = out.into_iter().collect();
    LOOSE_LABEL.replace_all(&turned, "($1)").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrored_brackets_around_arabic_are_turned_round() {
        assert_eq!(
            unmirror_line(" افتتاح دورة المؤتمر السادسة؛ )أ("),
            " افتتاح دورة المؤتمر السادسة؛ (أ)"
        );
        assert_eq!(
            unmirror_line("بكر فتاح حسين )العراق( الرئيس:"),
            "بكر فتاح حسين (العراق) الرئيس:"
        );
        assert_eq!(unmirror_line(") ز(لضمان"), "(ز)لضمان");
    }

    #[test]
    fn latin_runs_keep_their_brackets() {
        let line = "الوثيقة (CTOC/COP/2012/1) و)ب(";
        assert_eq!(unmirror_line(line), "الوثيقة (CTOC/COP/2012/1) و(ب)");
    }

    #[test]
    fn a_document_is_mirrored_when_most_of_its_brackets_are() {
        assert!(is_mirrored("نص )أ( ونص )ب( و(ج)"));
        assert!(!is_mirrored("نص (أ) ونص (ب) و)ج("));
        assert!(!is_mirrored("(أ) النص، (ب) النص"));
    }
}
