//! Pairs of common words as single terms, as Lucene's CommonGrams filter makes them: a
//! phrase of frequent words ("الأمم المتحدة") is then one term, or a phrase of rarer terms,
//! instead of positions compared across two long posting lists.
//!
//! [`PairFilter`] follows the tokenizer and [`super::FoldFilter`]. For two neighbouring words
//! whose stems are both common ([`is_common`], the list in `data/common_stems.txt`) it emits,
//! at the first word's position, one [`stem_pair`] for each pair of their stem candidates and
//! one [`exact_pair`] of their folded forms. It emits nothing else: the field holds only
//! pairs. A phrase whose words each have one common stem therefore matches the stemmed
//! phrase exactly where its pairs follow one another, and the exact phrase exactly where
//! its exact pairs do.

use std::collections::HashSet;
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::stem::stem_ranges;

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
    format!("{first} {second}")
}

/// The term of two neighbouring folded forms; `=` (never inside a token) sets them apart
/// from stem pairs.
pub fn exact_pair(first: &str, second: &str) -> String {
    format!("={first} {second}")
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
            previous: None,
            pairs: Vec::new(),
            next: 0,
        }
    }
}

/// A folded word and its common stems.
struct Word {
    token: Token,
    common: Vec<String>,
}

/// The token stream of [`PairTokenizer`].
pub struct PairTokenStream<T> {
    tail: T,
    /// The word before the tail's current one, if its stems include a common one.
    previous: Option<Word>,
    /// The pairs of the previous word and the current one, emitted one by one.
    pairs: Vec<Token>,
    next: usize,
}

impl<T: TokenStream> PairTokenStream<T> {
    /// The tail's current word, if one of its stems is common.
    fn current_word(&self) -> Option<Word> {
        let token = self.tail.token();
        let common: Vec<String> = stem_ranges(&token.text)
            .as_slice()
            .iter()
            .map(|range| &token.text[range.clone()])
            .filter(|stem| is_common(stem))
            .map(str::to_owned)
            .collect();
        (!common.is_empty()).then(|| Word {
            token: token.clone(),
            common,
        })
    }
}

impl<T: TokenStream> TokenStream for PairTokenStream<T> {
    fn advance(&mut self) -> bool {
        self.next += 1;
        while self.next >= self.pairs.len() {
            self.pairs.clear();
            self.next = 0;
            if !self.tail.advance() {
                return false;
            }
            let current = self.current_word();
            if let (Some(first), Some(second)) = (&self.previous, &current) {
                if second.token.position == first.token.position + 1 {
                    let pair = |text: String| Token {
                        text,
                        offset_from: first.token.offset_from,
                        offset_to: second.token.offset_to,
                        position: first.token.position,
                        position_length: 1,
                    };
                    for a in &first.common {
                        for b in &second.common {
                            self.pairs.push(pair(stem_pair(a, b)));
                        }
                    }
                    self.pairs
                        .push(pair(exact_pair(&first.token.text, &second.token.text)));
                }
            }
            self.previous = current;
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
    use super::super::{pair_analyzer, stem_candidates};
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
            [
                (stem_pair("منظم", "امم"), 0),
                (exact_pair("منظمه", "الامم"), 0),
                (stem_pair("امم", "متحد"), 1),
                (exact_pair("الامم", "المتحده"), 1),
            ]
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
        assert!(tokens.contains(&(exact_pair("وللدول", "الاطراف"), 0)));
    }
}
