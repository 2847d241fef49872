//! Pairs of common words as single terms, as Lucene's CommonGrams filter makes them: a
//! phrase of frequent words ("الأمم المتحدة") is then one term, or a phrase of rarer terms,
//! instead of positions compared across two long posting lists.
//!
//! [`PairFilter`] follows the tokenizer and [`super::FoldFilter`]. For two neighbouring words
//! whose stems are both common ([`is_common`], the list in `data/common_stems.txt`) it emits,
//! at the first word's position, one [`stem_pair`] for each pair of their stem candidates.
//! It emits nothing else: the field holds only pairs, with frequencies but no positions. A
//! phrase of two words that each have one common stem therefore matches the stemmed phrase
//! exactly where its pair is; a longer one matches only in passages holding all its pairs.
//! (Exact forms are the second stage's, read from the stored text.)

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::stem::{stem_ranges, Stems};

static COMMON_STEMS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common_stems.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// Whether `stem` is frequent enough for its pairs to be indexed.
pub fn is_common(stem: &str) -> bool {
    COMMON_STEMS.contains(stem)
}

/// The term of two neighbouring stems. A space never occurs inside a token.
pub fn stem_pair(first: &str, second: &str) -> String {
    let mut pair = String::new();
    write_stem_pair(&mut pair, first, second);
    pair
}

fn write_stem_pair(out: &mut String, first: &str, second: &str) {
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
}

/// Token filter turning folded words into the pairs described in the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct PairFilter;

impl TokenFilter for PairFilter {
    type Tokenizer<T: Tokenizer> = PairTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PairTokenizer<T> {
        PairTokenizer { inner: tokenizer }
    }
}

/// A tokenizer followed by [`PairFilter`].
#[derive(Clone)]
pub struct PairTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for PairTokenizer<T> {
    type TokenStream<'a> = PairTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairTokenStream {
            tail: self.inner.token_stream(text),
            pairing: Pairing::default(),
            pairs: Vec::new(),
            len: 0,
            next: 0,
        }
    }
}

/// A folded word and the ranges of its common stems (none: it pairs with nothing).
#[derive(Default)]
struct Word {
    token: Token,
    common: Vec<Range<usize>>,
}

impl Word {
    fn read(&mut self, token: &Token, stems: &Stems) {
        self.token.text.clear();
        self.token.text.push_str(&token.text);
        self.token.offset_from = token.offset_from;
        self.token.offset_to = token.offset_to;
        self.token.position = token.position;
        self.common.clear();
        let text = &self.token.text;
        self.common.extend(
            stems
                .as_slice()
                .iter()
                .filter(|range| is_common(&text[(*range).clone()]))
                .cloned(),
        );
    }

    fn stem(&self, range: &Range<usize>) -> &str {
        &self.token.text[range.clone()]
    }
}

/// The pairs of neighbouring words, a word at a time: what [`PairFilter`] emits and what
/// the one-pass analysis of a passage ([`super::analyze_fields`]) collects. Its buffers are
/// reused from word to word, so that the steady state allocates nothing.
#[derive(Default)]
pub(crate) struct Pairing {
    previous: Word,
    current: Word,
}

impl Pairing {
    /// Takes the next word (folded) and its stems, and calls `emit` with each pair of the
    /// word before and this one.
    pub(crate) fn push(&mut self, token: &Token, stems: &Stems, mut emit: impl FnMut(Pair<'_>)) {
        std::mem::swap(&mut self.previous, &mut self.current);
        self.current.read(token, stems);
        let (first, second) = (&self.previous, &self.current);
        if first.common.is_empty()
            || second.common.is_empty()
            || second.token.position != first.token.position + 1
        {
            return;
        }
        for a in &first.common {
            for b in &second.common {
                emit(Pair {
                    first: first.stem(a),
                    second: second.stem(b),
                    offset_from: first.token.offset_from,
                    offset_to: second.token.offset_to,
                    position: first.token.position,
                });
            }
        }
    }
}

/// One pair of neighbouring common stems: a term at the first word's position.
pub(crate) struct Pair<'a> {
    first: &'a str,
    second: &'a str,
    offset_from: usize,
    offset_to: usize,
    position: usize,
}

impl Pair<'_> {
    /// Makes `token` this pair's term (reusing its text's buffer).
    pub(crate) fn write_into(&self, token: &mut Token) {
        token.text.clear();
        write_stem_pair(&mut token.text, self.first, self.second);
        token.offset_from = self.offset_from;
        token.offset_to = self.offset_to;
        token.position = self.position;
        token.position_length = 1;
    }
}

/// The token stream of [`PairTokenizer`].
pub struct PairTokenStream<T> {
    tail: T,
    pairing: Pairing,
    /// The pairs of the previous word and the current one: `pairs[..len]`, emitted one by one.
    pairs: Vec<Token>,
    len: usize,
    next: usize,
}

impl<T: TokenStream> TokenStream for PairTokenStream<T> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        while self.next >= self.len {
            (self.len, self.next) = (0, 0);
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            let (pairs, len) = (&mut self.pairs, &mut self.len);
            self.pairing.push(token, &stem_ranges(&token.text), |pair| {
                if *len == pairs.len() {
                    pairs.push(Token::default());
                }
                pair.write_into(&mut pairs[*len]);
                *len += 1;
            });
        }
        true
    }

    fn token(&self) -> &Token {
        &self.pairs[self.next]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pairs[self.next]
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::strategies::arabic_like_text;
    use super::super::{analyze, pair_analyzer, stem_candidates};
    use super::*;

    fn pairs(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = pair_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.position));
        }
        out
    }

    #[test]
    fn common_words_pair_up_at_the_first_position() {
        assert!(is_common("امم") && is_common("متحد"));
        assert_eq!(
            pairs("منظمة الأمم المتحدة"),
            [(stem_pair("منظم", "امم"), 0), (stem_pair("امم", "متحد"), 1),]
        );
    }

    #[test]
    fn a_rare_word_breaks_the_chain() {
        let rare = "زنجبيل";
        assert!(stem_candidates(rare).iter().all(|s| !is_common(s)));
        assert_eq!(pairs(&format!("الأمم {rare} المتحدة")), []);
    }

    #[test]
    fn every_common_candidate_pairs() {
        // وللدول: candidates include دول; each common candidate pairs with the next word.
        let tokens = pairs("وللدول الأطراف");
        let stems: Vec<String> = stem_candidates("وللدول")
            .into_iter()
            .filter(|s| is_common(s))
            .collect();
        assert!(!stems.is_empty());
        for stem in stems {
            assert!(
                tokens.contains(&(stem_pair(&stem, "اطراف"), 0)),
                "{tokens:?}"
            );
        }
    }

    proptest! {
        /// The filter makes exactly the pairs the query side computes from `analyze`.
        #[test]
        fn pairs_are_those_of_neighbouring_analyzed_words(text in arabic_like_text()) {
            let words = analyze(&text);
            let mut expected = Vec::new();
            for w in words.windows(2) {
                let common = |t: &crate::analysis::AnalyzedToken| -> Vec<String> {
                    t.stems.iter().filter(|s| is_common(s)).cloned().collect()
                };
                let (a, b) = (common(&w[0]), common(&w[1]));
                if a.is_empty() || b.is_empty() {
                    continue;
                }
                for x in &a {
                    for y in &b {
                        expected.push((stem_pair(x, y), w[0].position));
                    }
                }
            }
            prop_assert_eq!(pairs(&text), expected);
        }
    }
}
