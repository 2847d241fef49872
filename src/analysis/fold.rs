//! Folding: the one spelling a word is indexed and searched under.
//!
//! Arabic is typed with or without hamza, diacritics and tatweel, in two digit systems, and PDF
//! extraction scatters invisible bidi controls and presentation forms through the text. Folding
//! erases all of these differences, one character at a time, so that `الأمم المتحدة` and
//! `الامم المتحده` become the same terms. It works on one token at a time, which keeps the
//! token's offsets pointing at the original letters.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// What folding does to one character, before lowercasing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The character never distinguishes two words: remove it.
    Drop,
    /// The character is a variant spelling of another one.
    Map(char),
    /// The character stays (lowercased, if it has case).
    Keep,
}

/// Tashkeel, Quranic annotation marks and the superscript alef.
pub(super) const fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

/// Tatweel (kashida) only stretches a word for justification.
pub(super) const TATWEEL: char = '\u{0640}';

/// Zero-width space/joiners, LRM/RLM/ALM, bidi embeddings and isolates, and the BOM.
pub(super) const fn is_invisible_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// The folding rules, as a table. `const` so the hot path can precompute the Arabic block.
const fn rule(c: char) -> Rule {
    match c {
        // Vowelling is optional in Arabic, so marks never tell two words apart.
        c if is_arabic_mark(c) => Rule::Drop,
        TATWEEL => Rule::Drop,
        c if is_invisible_control(c) => Rule::Drop,
        // Hamza seats, madda and wasla are typed inconsistently; most people type a bare alef.
        'أ' | 'إ' | 'آ' | 'ٱ' => Rule::Map('ا'),
        // Final yeh is often typed dotless, taa marbuta often as heh.
        'ى' => Rule::Map('ي'),
        'ة' => Rule::Map('ه'),
        // Hamza on waw and on yeh: the same "typed without hamza" habit.
        'ؤ' => Rule::Map('و'),
        'ئ' => Rule::Map('ي'),
        // Persian keyboards produce their own kaf and yeh.
        'ک' => Rule::Map('ك'),
        'ی' => Rule::Map('ي'),
        // Both digit systems appear in the same document (`٢٠١٢` and `2012`).
        '٠'..='٩' => Rule::Map(ascii_digit(c as u32 - '٠' as u32)),
        '۰'..='۹' => Rule::Map(ascii_digit(c as u32 - '۰' as u32)),
        _ => Rule::Keep,
    }
}

const fn ascii_digit(value: u32) -> char {
    (b'0' + value as u8) as char
}

/// Folds one character found inside a token: `None` means "drop it".
///
/// Whitespace is dropped because inside a token it can only come from NFKC expanding a ligature
/// (U+FDFA is a whole phrase); [`fold`] keeps the whitespace of its input. A letter whose
/// lowercase is several characters (only `İ`) keeps the first one (`i`).
pub fn fold_char(c: char) -> Option<char> {
    match rule(c) {
        Rule::Drop => None,
        Rule::Map(folded) => Some(folded),
        Rule::Keep if c.is_whitespace() => None,
        Rule::Keep => Some(lowercase(c)),
    }
}

fn lowercase(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// The rules of the Arabic block U+0600–U+06FF, precomputed: almost every character of our text
/// is looked up here. `None` marks the few characters NFKC may change (the hamza and madda marks
/// compose with a preceding letter; U+0675–U+0678 decompose), which take the slow path.
static ARABIC_BLOCK: [Option<Rule>; 256] = {
    let mut table = [None; 256];
    let mut i = 0;
    while i < 256 {
        let c = match char::from_u32(0x0600 + i as u32) {
            Some(c) => c,
            None => '\0',
        };
        if !matches!(c, '\u{0653}'..='\u{0655}' | '\u{0675}'..='\u{0678}') {
            table[i] = Some(rule(c));
        }
        i += 1;
    }
    table
};

/// Folds `s`: NFKC (only when it would change something), then [`fold_char`] on every character.
///
/// Idempotent: `fold(&fold(s)) == fold(s)`. The whitespace of `s` itself is kept, so a folded
/// phrase still has its words apart; only whitespace produced by NFKC is dropped.
pub fn fold(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    fold_into(s, &mut folded);
    folded
}

/// [`fold`] into a reused buffer (cleared first): the token filter calls this for every token.
fn fold_into(s: &str, out: &mut String) {
    out.clear();
    // Fast path: ASCII, the Arabic block and invisible controls need no normalization.
    for c in s.chars() {
        let code = c as u32;
        let rule = if code < 0x80 {
            Rule::Keep
        } else if (0x0600..0x0700).contains(&code) {
            match ARABIC_BLOCK[(code - 0x0600) as usize] {
                Some(rule) => rule,
                None => return fold_with_nfkc(s, out),
            }
        } else if is_invisible_control(c) {
            Rule::Drop
        } else {
            return fold_with_nfkc(s, out);
        };
        match rule {
            Rule::Drop => {}
            Rule::Map(folded) => out.push(folded),
            Rule::Keep => out.push(c.to_ascii_lowercase()),
        }
    }
}

/// The general path: normalize each whitespace-separated word with NFKC, then fold its characters.
fn fold_with_nfkc(s: &str, out: &mut String) {
    out.clear();
    let mut word_start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(start) = word_start.take() {
                fold_word_with_nfkc(&s[start..i], out);
            }
            out.push(c);
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        fold_word_with_nfkc(&s[start..], out);
    }
}

/// Bound on NFKC rounds, so folding always ends: a round after the first only recomposes what
/// dropping freed, and the idempotence property tests hold within this bound.
const MAX_NFKC_ROUNDS: usize = 4;

fn fold_word_with_nfkc(word: &str, out: &mut String) {
    let mut folded = nfkc_then_fold_chars(word);
    // Dropping a tatweel or a control that sat between a letter and a combining mark lets NFKC
    // compose them: repeat until NFKC has nothing left to do, which makes folding idempotent.
    for _ in 0..MAX_NFKC_ROUNDS {
        if is_nfkc(&folded) {
            break;
        }
        folded = nfkc_then_fold_chars(&folded);
    }
    out.push_str(&folded);
}

fn nfkc_then_fold_chars(word: &str) -> String {
    if is_nfkc(word) {
        word.chars().filter_map(fold_char).collect()
    } else {
        word.nfkc().filter_map(fold_char).collect()
    }
}

fn is_nfkc(s: &str) -> bool {
    match is_nfkc_quick(s.chars()) {
        IsNormalized::Yes => true,
        IsNormalized::No => false,
        IsNormalized::Maybe => s.chars().eq(s.nfkc()),
    }
}

/// Token filter replacing each token's text by its [`fold`]; offsets keep pointing at the
/// original text, so highlights land on the original letters.
#[derive(Debug, Clone, Copy, Default)]
pub struct FoldFilter;

impl TokenFilter for FoldFilter {
    type Tokenizer<T: Tokenizer> = FoldTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldTokenizer<T> {
        FoldTokenizer {
            inner: tokenizer,
            buffer: String::new(),
        }
    }
}

/// A tokenizer followed by [`FoldFilter`].
#[derive(Clone)]
pub struct FoldTokenizer<T> {
    inner: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for FoldTokenizer<T> {
    type TokenStream<'a> = FoldTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldTokenStream {
            tail: self.inner.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

/// The token stream of [`FoldTokenizer`].
pub struct FoldTokenStream<'a, T> {
    tail: T,
    /// Swapped with the token's text, so folding allocates nothing in the steady state.
    buffer: &'a mut String,
}

impl<T: TokenStream> TokenStream for FoldTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if text.is_ascii() {
            text.make_ascii_lowercase();
        } else {
            fold_into(text, self.buffer);
            // A token made only of a spacing-mark presentation form (U+FE70) folds to nothing;
            // an empty term would match nothing useful, so such a token keeps its surface.
            if !self.buffer.is_empty() {
                mem::swap(text, self.buffer);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::strategies::arabic_like_text;

    /// One case per folding rule: (input, folded, what the case is about).
    const CASES: &[(&str, &str, &str)] = &[
        ("كَتَب", "كتب", "fatha"),
        ("كُتُب", "كتب", "damma"),
        ("كِتاب", "كتاب", "kasra"),
        ("مَكْتَب", "مكتب", "sukun"),
        ("الدوليّة", "الدوليه", "shadda"),
        ("كتاباً", "كتابا", "fathatan"),
        ("كتابٌ", "كتاب", "dammatan"),
        ("كتابٍ", "كتاب", "kasratan"),
        ("هٰذا", "هذا", "superscript alef U+0670"),
        ("صلى\u{0610}", "صلي", "Quranic honorific mark U+0610"),
        ("قال\u{06D6}", "قال", "Quranic pause mark U+06D6"),
        ("العدالـــة", "العداله", "tatweel"),
        ("أمم", "امم", "alef with hamza above"),
        ("إطار", "اطار", "alef with hamza below"),
        ("آثار", "اثار", "alef with madda"),
        ("ٱلله", "الله", "alef wasla"),
        ("إلى", "الي", "alef maqsura"),
        ("المتحدة", "المتحده", "taa marbuta"),
        ("مؤتمر", "موتمر", "waw with hamza"),
        ("هيئة", "هييه", "yeh with hamza"),
        ("کتاب", "كتاب", "Persian kaf"),
        ("فی", "في", "Persian yeh"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789", "Arabic-Indic digits"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789", "Persian digits"),
        ("\u{FEFB}", "لا", "lam-alef ligature"),
        ("\u{FE8D}", "ا", "isolated alef form"),
        ("\u{FE91}\u{FEEE}", "بو", "beh, waw presentation forms"),
        ("\u{FDFA}", "صلياللهعليهوسلم", "phrase ligature"),
        ("ب\u{200B}ت", "بت", "ZWSP"),
        ("ب\u{200C}ت", "بت", "ZWNJ"),
        ("ب\u{200D}ت", "بت", "ZWJ"),
        ("ب\u{200E}ت", "بت", "LRM"),
        ("ب\u{200F}ت", "بت", "RLM"),
        ("ب\u{061C}ت", "بت", "ALM"),
        ("ب\u{202A}ت\u{202C}", "بت", "LRE, PDF"),
        ("ب\u{202B}ت\u{202E}", "بت", "RLE, RLO"),
        ("ب\u{202D}ت", "بت", "LRO"),
        ("ب\u{2066}ت\u{2069}", "بت", "LRI, PDI"),
        ("ب\u{2067}ت\u{2068}", "بت", "RLI, FSI"),
        ("\u{FEFF}بت", "بت", "BOM"),
        ("CTOC", "ctoc", "Latin uppercase"),
        ("ÉTAT", "état", "Latin with accents"),
        ("E\u{0301}", "é", "combining mark composed by NFKC"),
        ("İ", "i", "İ: first char of lowercase"),
        ("ﬁ", "fi", "Latin ligature (NFKC)"),
        ("الأمم المتحدة", "الامم المتحده", "input whitespace kept"),
        ("a\u{0640}\u{0301}", "á", "tatweel dropped, then NFKC"),
    ];

    #[test]
    fn every_folding_rule() {
        for (input, expected, about) in CASES {
            assert_eq!(fold(input), *expected, "{about}: {input:?}");
            assert_eq!(fold(expected), *expected, "{about}: not idempotent");
        }
    }

    #[test]
    fn fold_char_is_idempotent_on_every_char() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if let Some(folded) = fold_char(c) {
                assert_eq!(fold_char(folded), Some(folded), "{c:?} -> {folded:?}");
            }
        }
    }

    /// The table leaves exactly the characters NFKC may touch to the slow path.
    #[test]
    fn arabic_block_table_flags_what_nfkc_may_change() {
        for (i, entry) in ARABIC_BLOCK.iter().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).unwrap();
            let stable = is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes;
            assert_eq!(entry.is_some(), stable, "{c:?}");
        }
    }

    /// The fast path skips NFKC: check that this is exact on every pair of characters it handles.
    #[test]
    fn fast_path_agrees_with_nfkc_on_every_pair() {
        let fast: Vec<char> = (0..0x80)
            .chain(0x0600..0x0700)
            .chain(0x200B..=0x200F)
            .chain([0x061C, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF])
            .filter_map(char::from_u32)
            .collect();
        let mut pair = String::new();
        let mut folded = String::new();
        for &a in &fast {
            for &b in &fast {
                pair.clear();
                pair.push(a);
                pair.push(b);
                fold_into(&pair, &mut folded);
                let mut slow = String::new();
                fold_with_nfkc(&pair, &mut slow);
                assert_eq!(folded, slow, "{pair:?}");
            }
        }
    }

    #[test]
    fn filter_folds_tokens_and_keeps_offsets() {
        let mut analyzer = tantivy::tokenizer::TextAnalyzer::builder(
            tantivy::tokenizer::WhitespaceTokenizer::default(),
        )
        .filter(FoldFilter)
        .build();
        let mut stream = analyzer.token_stream("الأُمَم CTOC \u{FE70}");
        let mut tokens = Vec::new();
        stream.process(&mut |t| tokens.push((t.text.clone(), t.offset_from, t.offset_to)));
        assert_eq!(
            tokens,
            [
                ("الامم".to_string(), 0, 14),
                ("ctoc".to_string(), 15, 19),
                // Folds to nothing, so the surface is kept.
                ("\u{FE70}".to_string(), 20, 23),
            ]
        );
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in arabic_like_text()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fold_is_idempotent_on_any_string(s in any::<String>()) {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }

        #[test]
        fn fast_path_agrees_with_nfkc(s in arabic_like_text()) {
            let (mut fast, mut slow) = (String::new(), String::new());
            fold_into(&s, &mut fast);
            fold_with_nfkc(&s, &mut slow);
            prop_assert_eq!(fast, slow);
        }
    }
}
