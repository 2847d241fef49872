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
/// A pair read mirrored on a line: tight around its content, or a short label with one
/// space on one side as MuPDF writes it (`) ز(`).
static MIRRORED_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\)( ?)([^()\s](?:[^()\n]{0,78}[^()\s])?)( ?)\(").expect("valid bracket regex")
});

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

/// A line of a mirrored document with its brackets turned round: each pair read `)…(` around
/// Arabic or digits and no Latin letter, the same pairs [`is_mirrored`] counts. Pairs read the
/// right way round, and the text between two of them, are left alone.
pub fn unmirror_line(line: &str) -> String {
    MIRRORED_PAIR
        .replace_all(line, |caps: &regex::Captures| {
            let inner = &caps[2];
            let whole = caps.get(0).expect("the whole match");
            // Brackets of a Latin run (`(CTOC/COP/2012/1) و(CTOC/…)`) touch its letters.
            let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            if latin(line[..whole.start()].chars().next_back())
                || latin(line[whole.end()..].chars().next())
            {
                return caps[0].to_owned();
            }
            let loose = !caps[1].is_empty() || !caps[3].is_empty();
            let turns = !(loose
                && (caps[1].is_empty() == caps[3].is_empty() || inner.chars().count() > 3))
                && inner.chars().any(|c| is_arabic_letter(c) || c.is_numeric())
                && !inner.chars().any(|c| c.is_ascii_alphabetic());
            if turns {
                format!("({inner})")
            } else {
                caps[0].to_owned()
            }
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
    fn pairs_the_right_way_round_and_the_text_between_them_stay() {
        for line in [
            "انظر الوثيقتين (CTOC/COP/2012/1) و(CTOC/COP/2012/2)",
            "(أ) نص (ب)",
            "(أ) و (ب)",
            "وأستراليا )( مقدما",
        ] {
            assert_eq!(unmirror_line(line), line);
        }
    }

    #[test]
    fn a_document_is_mirrored_when_most_of_its_brackets_are() {
        assert!(is_mirrored("نص )أ( ونص )ب( و(ج)"));
        assert!(!is_mirrored("نص (أ) ونص (ب) و)ج("));
        assert!(!is_mirrored("(أ) النص، (ب) النص"));
    }
}
