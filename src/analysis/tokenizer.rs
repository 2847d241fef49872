//! Tokenizing: cutting the original text into words, keeping byte offsets into it.
//!
//! A word is a run of letters or a run of digits: Arabic glues numbers to words (`٢٠١٢أكتوبر`,
//! `و17`), and a researcher searching `أكتوبر` or `17` must find them. Marks, tatweel and
//! invisible controls live inside words; they stay in the token (its text is the original
//! surface) and folding drops them later.

use std::str::CharIndices;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

use super::fold::{is_arabic_mark, is_invisible_control, TATWEEL};

/// Longest token text, in bytes (127 Arabic letters; the longest real word has under 20).
///
/// tantivy refuses terms over 65530 bytes, and a "word" that long is a run of garbage from a
/// broken PDF extraction. A longer run is cut at the last char boundary within the limit: the
/// token's offsets cover exactly the kept text, and the rest of the run is skipped.
pub const MAX_TOKEN_BYTES: usize = 255;

/// How the tokenizer sees one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    /// Starts or continues a letter run.
    Letter,
    /// Starts or continues a digit run.
    Digit,
    /// A mark or control that continues whatever run it follows, and starts none.
    Inner,
    /// Ends a run.
    Separator,
}

/// The class of a character of the Arabic block U+0600–U+06FF or of ASCII, by explicit ranges.
const fn fast_class(c: char) -> CharClass {
    match c {
        c if is_arabic_mark(c) || is_invisible_control(c) => CharClass::Inner,
        TATWEEL => CharClass::Inner,
        '0'..='9' | '٠'..='٩' | '۰'..='۹' => CharClass::Digit,
        'a'..='z'
        | 'A'..='Z'
        | '\u{0620}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}' => CharClass::Letter,
        _ => CharClass::Separator,
    }
}

/// Precomputed classes of ASCII (0..0x80) then the Arabic block (0x80..0x180): nearly every
/// character of our text is one lookup here instead of a search in Unicode's tables.
static FAST_CLASSES: [CharClass; 0x180] = {
    let mut table = [CharClass::Separator; 0x180];
    let mut i = 0;
    while i < 0x180 {
        let code = if i < 0x80 { i } else { 0x0600 + i - 0x80 };
        if let Some(c) = char::from_u32(code as u32) {
            table[i] = fast_class(c);
        }
        i += 1;
    }
    table
};

fn classify(c: char) -> CharClass {
    let code = c as usize;
    if code < 0x80 {
        FAST_CLASSES[code]
    } else if (0x0600..0x0700).contains(&code) {
        FAST_CLASSES[code - 0x0600 + 0x80]
    } else {
        classify_other(c)
    }
}

/// The general rule, for characters outside ASCII and the Arabic block.
fn classify_other(c: char) -> CharClass {
    if is_invisible_control(c) || is_combining_mark(c) {
        // Checked before letters: many combining marks count as alphabetic in Unicode.
        CharClass::Inner
    } else if c.is_numeric() {
        CharClass::Digit
    } else if c.is_alphabetic() {
        CharClass::Letter
    } else {
        CharClass::Separator
    }
}

/// Splits text into runs of letters and runs of digits; see the module documentation.
///
/// Token text is the original surface, offsets are byte offsets into the original text, and
/// positions count tokens from 0. Leading marks or controls (before any letter or digit) belong
/// to no token. There is no length limit beyond [`MAX_TOKEN_BYTES`].
#[derive(Debug, Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            text,
            chars: text.char_indices(),
            next_run: None,
            token: &mut self.token,
        }
    }
}

/// The token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    text: &'a str,
    chars: CharIndices<'a>,
    /// Start and class of a run already read: a letter run ended where a digit run begins, or
    /// the reverse.
    next_run: Option<(usize, CharClass)>,
    token: &'a mut Token,
}

impl ArabicTokenStream<'_> {
    /// Skips separators and stray marks up to the first letter or digit.
    fn find_run_start(&mut self) -> Option<(usize, CharClass)> {
        self.chars.find_map(|(offset, c)| match classify(c) {
            class @ (CharClass::Letter | CharClass::Digit) => Some((offset, class)),
            CharClass::Inner | CharClass::Separator => None,
        })
    }

    /// Reads the rest of a run of `run` class and returns where it ends.
    fn find_run_end(&mut self, run: CharClass) -> usize {
        for (offset, c) in self.chars.by_ref() {
            match classify(c) {
                CharClass::Inner => {}
                class if class == run => {}
                CharClass::Separator => return offset,
                other => {
                    self.next_run = Some((offset, other));
                    return offset;
                }
            }
        }
        self.text.len()
    }
}

/// The end of the longest prefix of `text[start..end]` within [`MAX_TOKEN_BYTES`].
fn truncated_end(text: &str, start: usize, end: usize) -> usize {
    if end - start <= MAX_TOKEN_BYTES {
        return end;
    }
    let mut cut = start + MAX_TOKEN_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, run)) = self.next_run.take().or_else(|| self.find_run_start()) else {
            return false;
        };
        let end = self.find_run_end(run);
        let end = truncated_end(self.text, start, end);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::strategies::arabic_like_text;

    fn tokens(text: &str) -> Vec<Token> {
        let mut tokenizer = ArabicTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        stream.process(&mut |token| tokens.push(token.clone()));
        tokens
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|token| token.text).collect()
    }

    #[test]
    fn splits_on_whitespace_and_punctuation() {
        assert_eq!(
            texts("قرار المؤتمر، (الدورة) «السادسة»؛ هل؟ end."),
            ["قرار", "المؤتمر", "الدورة", "السادسة", "هل", "end"]
        );
    }

    #[test]
    fn splits_between_letters_and_digits() {
        assert_eq!(texts("٢٠١٢أكتوبر"), ["٢٠١٢", "أكتوبر"]);
        assert_eq!(texts("و17"), ["و", "17"]);
        assert_eq!(texts("WG.2"), ["WG", "2"]);
        assert_eq!(texts("CTOC/COP/2012/1"), ["CTOC", "COP", "2012", "1"]);
        assert_eq!(texts("۱۲بند"), ["۱۲", "بند"]);
    }

    #[test]
    fn offsets_and_positions_cover_tatweel_and_diacritics() {
        let text = "العدالـــة الجَنائِيَّة";
        let tokens = tokens(text);
        let found: Vec<_> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.offset_from, t.offset_to, t.position))
            .collect();
        assert_eq!(found, [("العدالـــة", 0, 20, 0), ("الجَنائِيَّة", 21, 45, 1)]);
    }

    #[test]
    fn marks_and_controls_stay_inside_words() {
        assert_eq!(
            texts("ب\u{200C}ت \u{200F}كلمة\u{200F} x"),
            ["ب\u{200C}ت", "كلمة\u{200F}", "x"]
        );
        // A mark after a digit run belongs to it; one before any letter belongs to nothing.
        assert_eq!(texts("١٢\u{0651}ب"), ["١٢\u{0651}", "ب"]);
        assert_eq!(texts("\u{064E}\u{0640}ب"), ["ب"]);
        // Combining marks of other scripts, too.
        assert_eq!(texts("e\u{0301}te"), ["e\u{0301}te"]);
    }

    #[test]
    fn runs_without_letters_or_digits_make_no_token() {
        assert!(texts("ـــ \u{064B}\u{0651} \u{200F}\u{FEFF} ... ").is_empty());
    }

    #[test]
    fn other_scripts_and_number_forms() {
        assert_eq!(texts("Русский текст"), ["Русский", "текст"]);
        assert_eq!(texts("m² ١٢٫٥"), ["m", "²", "١٢", "٥"]);
    }

    #[test]
    fn long_runs_are_truncated_on_a_char_boundary() {
        let word = "ب".repeat(200);
        let text = format!("{word} كلمة");
        let tokens = tokens(&text);
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens[0].text, "ب".repeat(127));
        assert_eq!((tokens[0].offset_from, tokens[0].offset_to), (0, 254));
        assert_eq!(tokens[1].text, "كلمة");
        assert_eq!(tokens[1].position, 1);
    }

    /// The fast table must agree with the general rule wherever the general rule is right
    /// (everywhere but the Arabic marks, which Unicode calls alphabetic and we call inner).
    #[test]
    fn fast_table_agrees_with_the_general_rule() {
        for code in (0..0x80).chain(0x0600..0x0700) {
            let c = char::from_u32(code).unwrap();
            let expected = if is_arabic_mark(c) || c == TATWEEL {
                CharClass::Inner
            } else {
                classify_other(c)
            };
            assert_eq!(classify(c), expected, "{c:?} U+{code:04X}");
        }
    }

    proptest! {
        #[test]
        fn tokens_are_slices_of_the_original(text in arabic_like_text()) {
            let tokens = tokens(&text);
            for (i, token) in tokens.iter().enumerate() {
                prop_assert!(text.is_char_boundary(token.offset_from));
                prop_assert!(text.is_char_boundary(token.offset_to));
                prop_assert_eq!(&text[token.offset_from..token.offset_to], token.text.as_str());
                prop_assert_eq!(token.position, i);
                prop_assert!(token.text.chars().any(char::is_alphanumeric));
            }
            for pair in tokens.windows(2) {
                prop_assert!(pair[0].offset_to <= pair[1].offset_from);
            }
        }

        #[test]
        fn any_string_tokenizes(text in any::<String>()) {
            for token in tokens(&text) {
                prop_assert!(token.text.len() <= MAX_TOKEN_BYTES);
            }
        }
    }
}
