//! Character classes the passes share.

pub const TATWEEL: char = '\u{0640}';

/// Arabic letters, with the tatweel and the diacritics that belong inside a word.
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{065F}' | '\u{0670}'..='\u{06D3}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// The diacritics (harakat, shadda, sukun, the dagger alef) written over or under a letter.
pub fn is_diacritic(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

/// Digits of the three systems a document may use.
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// A word piece whose last letter is stretched into the next piece (`وضـ`).
pub fn ends_with_tatweel(word: &str) -> bool {
    word.ends_with(TATWEEL)
}

/// A word piece that continues a stretched letter (`ــانية`).
pub fn starts_with_tatweel(word: &str) -> bool {
    word.starts_with(TATWEEL)
}

/// The byte range of the characters around byte offset `at` of a text that are `part` of one
/// run (a word, a number): from the first of them before `at` to the last from `at` on.
pub fn run_around(text: &str, at: usize, part: impl Fn(char) -> bool) -> std::ops::Range<usize> {
    let start = text[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| part(c))
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[at..]
        .char_indices()
        .find(|&(_, c)| !part(c))
        .map_or(text.len(), |(i, _)| at + i);
    start..end
}
