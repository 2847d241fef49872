//! Light stemming: stripping the article, fused prepositions and common suffixes.
//!
//! Not a root extractor: `المتحدة` and `متحد` should meet, `مكتب` and `كتاب` should not. Rules
//! follow Lucene's Arabic light stemmer (Larkey et al.), with stricter minimum lengths so that
//! short words survive. A single-letter proclitic is ambiguous (the ب of `بيانات` is a root
//! letter, that of `بمكافحة` a preposition), so words starting with one get alternative stems;
//! the index holds all of them and a query matches any.
//!
//! Every stem is a slice of the folded word, since stemming only strips affixes: the functions
//! below work on byte ranges, which lets the token filter stem in place without allocating.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The definite article, alone or fused with a preposition or conjunction; longest first, so
/// that `وال` wins over `ال`. (`لل` is ل + ال.)
const ARTICLES: [&str; 7] = ["وال", "بال", "كال", "فال", "ولل", "لل", "ال"];

/// Letters that must remain after stripping an article (Lucene's rule).
const MIN_AFTER_ARTICLE: usize = 2;

/// Suffixes, tried in this order, each at most once, with the letters that must remain.
///
/// Input is folded, so `ة`/`ية` appear as `ه`/`يه`. `ان`، `ون`، `ين` need four letters left
/// because so many five-letter words end in them as root letters (`تعاون`، `قانون`، `تعيين`،
/// `انسان`): stripped, those would no longer meet their own derivatives (`قانونيه` → `قانون`).
const SUFFIXES: [(&str, usize); 8] = [
    ("ها", 3),
    ("ان", 4),
    ("ات", 3),
    ("ون", 4),
    ("ين", 4),
    ("يه", 3),
    ("ه", 3),
    ("ي", 3),
];

/// Conjunctions and prepositions written fused to the next word.
const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ك', 'ل'];

/// Of those, the conjunctions, which may precede a preposition (`وب`، `فل`).
const CONJUNCTIONS: [char; 2] = ['و', 'ف'];

/// Prepositions that may follow a conjunction.
const PREPOSITIONS: [char; 3] = ['ب', 'ك', 'ل'];

/// Letters that must remain after removing a proclitic.
const MIN_AFTER_PROCLITIC: usize = 3;

/// At most a primary stem and two alternatives.
const MAX_STEMS: usize = 3;

/// The stems of one word, as byte ranges into it: primary first, no duplicates.
#[derive(Debug)]
pub(crate) struct Stems {
    ranges: [Range<usize>; MAX_STEMS],
    len: usize,
}

impl Stems {
    fn new(primary: Range<usize>) -> Stems {
        Stems {
            ranges: [primary, 0..0, 0..0],
            len: 1,
        }
    }

    fn push_unless_known(&mut self, word: &str, range: Range<usize>) {
        if !self
            .as_slice()
            .iter()
            .any(|known| word[known.clone()] == word[range.clone()])
        {
            self.ranges[self.len] = range;
            self.len += 1;
        }
    }

    pub(crate) fn as_slice(&self) -> &[Range<usize>] {
        &self.ranges[..self.len]
    }

    fn primary(&self) -> Range<usize> {
        self.ranges[0].clone()
    }

    fn alternatives(&self) -> &[Range<usize>] {
        &self.ranges[1..self.len]
    }
}

/// A slice of the word under stemming: its byte range in the whole word, and its letter count.
#[derive(Debug, Clone)]
struct Part<'a> {
    word: &'a str,
    range: Range<usize>,
    letters: usize,
}

impl<'a> Part<'a> {
    /// The whole word, if it is Arabic: numbers and Latin words are terms as they are.
    fn arabic_word(word: &'a str) -> Option<Part<'a>> {
        let mut letters = 0;
        for c in word.chars() {
            if !('\u{0600}'..='\u{06FF}').contains(&c) {
                return None;
            }
            letters += 1;
        }
        (letters > 0).then_some(Part {
            word,
            range: 0..word.len(),
            letters,
        })
    }

    fn text(&self) -> &'a str {
        &self.word[self.range.clone()]
    }

    fn without_prefix(&self, prefix: &str) -> Option<Part<'a>> {
        starts_with(self.text(), prefix).then(|| Part {
            word: self.word,
            range: self.range.start + prefix.len()..self.range.end,
            letters: self.letters - prefix.chars().count(),
        })
    }

    fn without_suffix(&self, suffix: &str) -> Option<Part<'a>> {
        ends_with(self.text(), suffix).then(|| Part {
            word: self.word,
            range: self.range.start..self.range.end - suffix.len(),
            letters: self.letters - suffix.chars().count(),
        })
    }

    /// Removes the first letter if it is one of `letters`, leaving at least `min_left`.
    fn without_first_of(&self, letters: &[char], min_left: usize) -> Option<Part<'a>> {
        let first = self.text().chars().next()?;
        if letters.contains(&first) && self.letters > min_left {
            let mut buf = [0; 4];
            self.without_prefix(first.encode_utf8(&mut buf))
        } else {
            None
        }
    }
}

/// Strips one article, if enough letters remain.
fn strip_article<'a>(part: &Part<'a>) -> Option<Part<'a>> {
    ARTICLES.iter().find_map(|article| {
        part.without_prefix(article)
            .filter(|rest| rest.letters >= MIN_AFTER_ARTICLE)
    })
}

fn strip_suffixes<'a>(part: &Part<'a>) -> Part<'a> {
    SUFFIXES
        .iter()
        .fold(part.clone(), |part, &(suffix, min_left)| {
            match part.without_suffix(suffix) {
                Some(rest) if rest.letters >= min_left => rest,
                _ => part,
            }
        })
}

/// Article, then suffixes: the stem of a word without ambiguous proclitics.
fn light_stem<'a>(part: &Part<'a>) -> Part<'a> {
    strip_suffixes(&strip_article(part).unwrap_or_else(|| part.clone()))
}

/// `str::starts_with`, as an inline loop: affixes are a few bytes, and a call to `memcmp` per
/// affix and word cost more than the comparison itself.
fn starts_with(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.bytes().zip(prefix.bytes()).all(|(a, b)| a == b)
}

/// `str::ends_with`, likewise.
fn ends_with(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text
            .bytes()
            .rev()
            .zip(suffix.bytes().rev())
            .all(|(a, b)| a == b)
}

pub(crate) fn stem_ranges(word: &str) -> Stems {
    let Some(whole) = Part::arabic_word(word) else {
        return Stems::new(0..word.len());
    };
    if let Some(rest) = strip_article(&whole) {
        return Stems::new(strip_suffixes(&rest).range);
    }
    let mut stems = Stems::new(strip_suffixes(&whole).range);
    if let Some(rest) = whole.without_first_of(&PROCLITICS, MIN_AFTER_PROCLITIC) {
        stems.push_unless_known(word, light_stem(&rest).range);
        if CONJUNCTIONS.contains(&word.chars().next().unwrap_or_default()) {
            if let Some(rest) = rest.without_first_of(&PREPOSITIONS, MIN_AFTER_PROCLITIC) {
                stems.push_unless_known(word, light_stem(&rest).range);
            }
        }
    }
    stems
}

/// The light stems of a folded word: the primary stem first, then up to two alternatives for a
/// word starting with a proclitic letter that may be a root letter instead. Never empty;
/// numbers and non-Arabic words are their own only stem.
pub fn stem_candidates(folded: &str) -> Vec<String> {
    stem_ranges(folded)
        .as_slice()
        .iter()
        .map(|range| folded[range.clone()].to_string())
        .collect()
}

/// Token filter replacing each (folded) token by its primary stem, and adding the alternative
/// stems as extra tokens at the same position with the same offsets.
#[derive(Debug, Clone, Copy, Default)]
pub struct StemFilter;

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemTokenizer<T> {
        StemTokenizer {
            inner: tokenizer,
            alternatives: Default::default(),
        }
    }
}

/// A tokenizer followed by [`StemFilter`].
#[derive(Clone)]
pub struct StemTokenizer<T> {
    inner: T,
    alternatives: [Token; MAX_STEMS - 1],
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            tail: self.inner.token_stream(text),
            alternatives: &mut self.alternatives,
            pending: 0..0,
            current: None,
        }
    }
}

/// The token stream of [`StemTokenizer`].
pub struct StemTokenStream<'a, T> {
    tail: T,
    /// Reused between tokens, so alternatives allocate nothing in the steady state.
    alternatives: &'a mut [Token; MAX_STEMS - 1],
    /// Alternatives of the current word not yet emitted.
    pending: Range<usize>,
    /// The alternative being emitted, or `None` for the primary stem (the tail's token).
    current: Option<usize>,
}

impl<T: TokenStream> TokenStream for StemTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if let Some(next) = self.pending.next() {
            self.current = Some(next);
            return true;
        }
        self.current = None;
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stems = stem_ranges(&token.text);
        for (slot, range) in self.alternatives.iter_mut().zip(stems.alternatives()) {
            slot.text.clear();
            slot.text.push_str(&token.text[range.clone()]);
            slot.offset_from = token.offset_from;
            slot.offset_to = token.offset_to;
            slot.position = token.position;
            slot.position_length = token.position_length;
        }
        self.pending = 0..stems.alternatives().len();
        let primary = stems.primary();
        token.text.truncate(primary.end);
        token.text.drain(..primary.start);
        true
    }

    fn token(&self) -> &Token {
        match self.current {
            Some(i) => &self.alternatives[i],
            None => self.tail.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.current {
            Some(i) => &mut self.alternatives[i],
            None => self.tail.token_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::fold;
    use crate::analysis::strategies::arabic_like_text;

    /// (folded word, expected candidates, what the case is about).
    const CASES: &[(&str, &[&str], &str)] = &[
        ("الدول", &["دول"], "article ال"),
        ("والتعاون", &["تعاون"], "article وال"),
        ("بالتعاون", &["تعاون"], "article بال"),
        ("كالتعاون", &["تعاون"], "article كال"),
        ("فالتعاون", &["تعاون"], "article فال"),
        ("وللتعاون", &["تعاون"], "article ولل"),
        ("للتعاون", &["تعاون"], "article لل"),
        ("الي", &["الي"], "article needs two letters left (إلى)"),
        ("عملها", &["عمل"], "suffix ها"),
        (
            "بلدان",
            &["بلدان", "لدان"],
            "suffix ان needs four letters left",
        ),
        ("الموظفان", &["موظف"], "suffix ان"),
        ("حالات", &["حال"], "suffix ات"),
        ("الموظفون", &["موظف"], "suffix ون"),
        ("الموظفين", &["موظف"], "suffix ين"),
        ("القانون", &["قانون"], "ون kept on a five-letter word"),
        ("القانونيه", &["قانون"], "suffix يه (ية)"),
        ("المتحده", &["متحد"], "suffix ه (ة)"),
        ("الدولي", &["دول"], "suffix ي"),
        ("اتفاقيات", &["اتفاق"], "suffixes ات then ي"),
        ("دولي", &["دول"], "ي leaves three letters"),
        ("بيانات", &["بيان", "يان"], "ب may be a root letter"),
        ("لموزامبيق", &["لموزامبيق", "موزامبيق"], "ل proclitic"),
        ("ولاغراض", &["ولاغراض", "لاغراض", "اغراض"], "و then ل"),
        ("فبمكافحه", &["فبمكافح", "بمكافح", "مكافح"], "ف then ب"),
        (
            "وبالتعاون",
            &["وبالتعا", "تعاون"],
            "و then بال: duplicates removed",
        ),
        ("كما", &["كما"], "proclitic needs three letters left"),
        ("من", &["من"], "short word"),
        ("في", &["في"], "short word"),
        ("دول", &["دول"], "short word"),
        ("عن", &["عن"], "short word"),
        ("2012", &["2012"], "number"),
        ("ctoc", &["ctoc"], "Latin word"),
        ("", &[""], "empty"),
    ];

    #[test]
    fn stems_of_every_rule() {
        for (word, expected, about) in CASES {
            assert_eq!(stem_candidates(word), *expected, "{about}: {word}");
        }
    }

    #[test]
    fn filter_emits_alternatives_at_the_same_position() {
        let mut analyzer =
            tantivy::tokenizer::TextAnalyzer::builder(crate::analysis::ArabicTokenizer::default())
                .filter(fold::FoldFilter)
                .filter(StemFilter)
                .build();
        let mut stream = analyzer.token_stream("بيانات الدول ولأغراض");
        let mut tokens = Vec::new();
        stream.process(&mut |t| {
            tokens.push((t.text.clone(), t.position, t.offset_from, t.offset_to))
        });
        let expected = [
            ("بيان", 0, 0, 12),
            ("يان", 0, 0, 12),
            ("دول", 1, 13, 23),
            ("ولاغراض", 2, 24, 38),
            ("لاغراض", 2, 24, 38),
            ("اغراض", 2, 24, 38),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|&(text, position, from, to)| (text.to_string(), position, from, to))
            .collect();
        assert_eq!(tokens, expected);
    }

    proptest! {
        #[test]
        fn candidates_are_nonempty_distinct_and_no_longer(text in arabic_like_text()) {
            for word in fold(&text).split_whitespace() {
                let stems = stem_candidates(word);
                prop_assert!(!stems.is_empty() && stems.len() <= MAX_STEMS);
                for (i, stem) in stems.iter().enumerate() {
                    prop_assert!(!stem.is_empty());
                    prop_assert!(stem.chars().count() <= word.chars().count());
                    prop_assert!(!stems[..i].contains(stem));
                }
            }
        }
    }
}
