//! Brackets: an extractor that reverses right-to-left runs without mirroring their brackets
//! writes `)أ(` for `(أ)`, throughout the document and not only on reversed lines. A document
//! is mirrored when brackets around Arabic read `)…(` more often than `(…)`; then each of its
//! brackets is turned round, except those against Latin text (`(CTOC/COP/2012/1)`): that is a
//! left-to-right run, whose brackets are right already.

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
/// A one-letter label with a space on one side inside its brackets, as MuPDF writes it
/// (`( ز)` once turned round).
static LOOSE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\((?: ([^()\s]{1,3})|([^()\s]{1,3}) )\)").expect("valid bracket regex")
});

fn around_arabic(re: &Regex, text: &str) -> usize {
    re.find_iter(text)
        .filter(|m| {
            // Inside the brackets, each one byte (a search finds where a match ends faster
            // than what its group holds).
            let inside = &m.as_str()[1..m.len() - 1];
            inside.chars().any(is_arabic_letter)
                && !inside.chars().any(|ch| ch.is_ascii_alphabetic())
        })
        .count()
}

/// Whether the document writes its brackets mirrored.
pub fn is_mirrored(text: &str) -> bool {
    // Most documents have no mirrored pair around Arabic: their upright ones are not counted.
    let mirrored = around_arabic(&MIRRORED, text);
    mirrored >= 2 && mirrored > around_arabic(&UPRIGHT, text)
}

/// A line of a mirrored document with its brackets turned round. Every bracket is turned, one
/// by one, so that a pair split across two runs (`المنظمة(` … `)المادة`) is turned too, except
/// a bracket against a Latin letter or digit: that is a left-to-right run's own (`(CTOC/…)`).
pub fn unmirror_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let latin = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_alphanumeric())
    };
    let turned: String = chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            '(' | ')' if latin(i.checked_sub(1)) || latin(Some(i + 1)) => c,
            '(' => ')',
            ')' => '(',
            _ => c,
        })
        .collect();
    LOOSE_LABEL
        .replace_all(&turned, |caps: &regex::Captures| {
            let inner = caps.get(1).or(caps.get(2)).expect("one side matched");
            format!("({})", inner.as_str())
        })
        .into_owned()
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
    fn a_pair_split_across_runs_and_the_gap_between_pairs_are_turned_too() {
        assert_eq!(
            unmirror_line("نقل الأشخاص )المادة 17 من اتفاقية الجريمة المنظمة("),
            "نقل الأشخاص (المادة 17 من اتفاقية الجريمة المنظمة)"
        );
        assert_eq!(unmirror_line(")أ( و )ب("), "(أ) و (ب)");
        assert_eq!(
            unmirror_line("انظر الوثيقتين (CTOC/COP/2012/1) و(CTOC/COP/2012/2)"),
            "انظر الوثيقتين (CTOC/COP/2012/1) و(CTOC/COP/2012/2)"
        );
    }

    #[test]
    fn a_document_is_mirrored_when_most_of_its_brackets_are() {
        assert!(is_mirrored("نص )أ( ونص )ب( و(ج)"));
        assert!(!is_mirrored("نص (أ) ونص (ب) و)ج("));
        assert!(!is_mirrored("(أ) النص، (ب) النص"));
    }
}
