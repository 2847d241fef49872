//! Digits: an extractor that reverses each right-to-left segment character by character and
//! counts Arabic-Indic digits as right-to-left (PyMuPDF's `get_text()` on some PDFs) writes
//! `٨١٠٢` for `٢٠١٨` and `٨/٤` for `٤/٨`, throughout the document. Logical text never starts
//! a number of two digits or more with a zero and often ends one with it (`١٠`, `٢٠٣٠`);
//! reversed numbers do the opposite. A document whose numbers lean that way has each
//! Arabic-Indic number, with the separators inside it, written backwards again.

use std::sync::LazyLock;

use memchr::memmem;
use regex::Regex;

/// A number in Arabic-Indic (or Eastern Arabic-Indic) digits, with the separators a number
/// holds between its digits: `٢٠١٨`, `٤/٨`, `١٥-١٩`, `٣٫٥`.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[٠-٩۰-۹]+(?:[/.,،٫:\-][٠-٩۰-۹]+)*").expect("valid number regex"));

fn is_zero(c: char) -> bool {
    matches!(c, '٠' | '۰')
}

/// Whether the document's Arabic-Indic numbers are written backwards.
pub fn are_reversed(text: &str) -> bool {
    // Only a number with a zero at one end counts, so the search starts from the zeros (most
    // documents have few, or none in these digits) and reads the digits around each. A
    // number's separators end its parts: `١٠/٢` is ten over two.
    let bytes = text.as_bytes();
    let mut zeros: Vec<usize> = ZEROS
        .iter()
        .flat_map(|zero| memmem::find_iter(bytes, zero.as_bytes()))
        .collect();
    zeros.sort_unstable();
    let (mut leading, mut trailing) = (0usize, 0usize);
    let mut counted = 0;
    for at in zeros {
        if at < counted {
            continue; // a zero of the part just counted
        }
        let part = super::text::run_around(text, at, is_indic_digit);
        counted = part.end;
        let part = &text[part];
        if part.chars().nth(1).is_none() {
            continue;
        }
        leading += usize::from(part.starts_with(is_zero));
        trailing += usize::from(part.ends_with(is_zero));
    }
    // Three numbers with a leading zero, and more of them than with a trailing one: a
    // document in order has almost none (a time `٠٩:٣٠`, a code).
    leading >= 3 && leading > 2 * trailing
}

const ZEROS: [&str; 2] = ["٠", "۰"];

fn is_indic_digit(c: char) -> bool {
    matches!(c, '٠'..='٩' | '۰'..='۹')
}

/// The line with each Arabic-Indic number written the other way round.
pub fn unreverse_line(line: &str) -> String {
    NUMBER
        .replace_all(line, |caps: &regex::Captures| {
            caps[0].chars().rev().collect::<String>()
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_written_backwards_are_turned_round() {
        assert_eq!(
            unreverse_line("في قراره ٨/٤، لعام ٨١٠٢ الفترة ٩١٠٢-٨١٠٢"),
            "في قراره ٤/٨، لعام ٢٠١٨ الفترة ٢٠١٨-٢٠١٩"
        );
        // Western digits are a left-to-right run, never reversed.
        assert_eq!(unreverse_line("CTOC/COP/2018/1"), "CTOC/COP/2018/1");
    }

    #[test]
    fn a_document_is_reversed_when_its_numbers_lead_with_zeros() {
        assert!(are_reversed("عام ٨١٠٢ وعام ٠٣٠٢ و٠١ دول و٠٦ دولة و٠٢ طرفا"));
        assert!(!are_reversed(
            "عام ٢٠١٨ وعام ٢٠٣٠ و١٠ دول و٦٠ دولة و٢٠ طرفا"
        ));
        // Too few numbers to tell.
        assert!(!are_reversed("البند ٠٥ من جدول الأعمال"));
    }

    #[test]
    fn each_part_of_a_number_counts_once() {
        // Parts between separators, in either system of Arabic-Indic digits.
        assert!(are_reversed("في ٠١/٠٢/۰۳"));
        // A part with several zeros is one number; a lone zero is none.
        assert!(!are_reversed("٠٠١ ٠٠٢ ٠ ٠ ٠"));
        assert!(are_reversed("٠٠١ ٠٠٢ ٠٠٣ ٠"));
        // Trailing zeros outweigh: `٣٠٠` and `٤٠` are numbers in order.
        assert!(!are_reversed("٠١ ٠٢ ٠٣ ٣٠٠ ٤٠"));
        // Western digits beside them are not part of them.
        assert!(!are_reversed("٠0١ ٠0٢ ٠0٣"));
    }
}
