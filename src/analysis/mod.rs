//! The Arabic analyzer, used identically at index time and at query time.
//!
//! One small type per step, composed as tantivy analyzer chains:
//! [`ArabicTokenizer`] cuts the original text into words (keeping byte offsets),
//! [`FoldFilter`] folds each word to one spelling (hamza, diacritics, tatweel, digits, case),
//! and [`StemFilter`] replaces it by its light stems. [`FOLD_ANALYZER`] (tokenizer + folding)
//! feeds the exact-form field, [`STEM_ANALYZER`] (+ stemming) the recall field, and
//! [`PAIR_ANALYZER`] (+ [`PairFilter`]) the field of common-word pairs that makes frequent
//! phrases fast. Queries use the analyzers; a build gives the same names tokenizers that
//! make the same tokens of all three fields from one pass ([`register_for_build`]).

mod citing;
mod fields;
mod fold;
mod pairs;
mod similarity;
mod stem;
mod tokenizer;

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

pub use citing::{article_of, citing_range, citing_value, CitingTokenizer};
pub use fields::{register_for_build, AnalyzedField, FieldTokens, OnePassTokenizer};
pub use fold::{fold, fold_char, FoldFilter};
pub use pairs::{is_common, stem_pair, PairFilter};
pub use similarity::token_similarity;
pub use stem::{stem_candidates, StemFilter};
pub use tokenizer::{ArabicTokenizer, MAX_TOKEN_BYTES};

/// Tokenizer + folding: the analyzer of the exact-form field.
pub const FOLD_ANALYZER: &str = "fahras_fold";

/// Tokenizer + folding + light stemming: the analyzer of the recall field.
pub const STEM_ANALYZER: &str = "fahras_stem";

/// Tokenizer + folding + pairs of common words: the analyzer of the pairs field.
pub const PAIR_ANALYZER: &str = "fahras_pairs";

/// The stems of a passage citing articles, each with every article it cites: the analyzer
/// of the `citing` field (see [`CitingTokenizer`]).
pub const CITING_ANALYZER: &str = "fahras_citing";

/// Tokenizer + folding + pairs of neighbouring common words (see [`PairFilter`]).
pub fn pair_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(FoldFilter)
        .filter(PairFilter)
        .build()
}

/// Tokenizer + folding.
pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(FoldFilter)
        .build()
}

/// Tokenizer + folding + light stemming; alternative stems share their word's position.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(FoldFilter)
        .filter(StemFilter)
        .build()
}

/// The stem analyzer's chain as a tokenizer of its own type, for [`CitingTokenizer`].
fn stem_tokenizer() -> impl tantivy::tokenizer::Tokenizer {
    use tantivy::tokenizer::TokenFilter;
    StemFilter.transform(FoldFilter.transform(ArabicTokenizer::default()))
}

/// Registers the analyzers on an index (tokenizers are not stored in a tantivy index: call
/// after every `Index::open`/`Index::create`).
pub fn register(index: &tantivy::Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(FOLD_ANALYZER, fold_analyzer());
    tokenizers.register(STEM_ANALYZER, stem_analyzer());
    tokenizers.register(PAIR_ANALYZER, pair_analyzer());
    tokenizers.register(CITING_ANALYZER, CitingTokenizer::new(stem_tokenizer()));
}

/// One word of analyzed text, as `fahras analyze` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// The word as written in the original text: `text[offset_from..offset_to]`.
    pub surface: String,
    /// The folded form: the term of the exact-form field.
    pub folded: String,
    /// The terms of the stemmed field: primary stem first, then alternatives.
    pub stems: Vec<String>,
    /// Byte offset of the word's first character in the original text.
    pub offset_from: usize,
    /// Byte offset just past the word's last character.
    pub offset_to: usize,
    /// Index of the word among the words of the text, from 0.
    pub position: usize,
}

/// What `fahras analyze` prints and what the query builder uses: one entry per token of `text`.
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    let mut analyzer = fold_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(AnalyzedToken {
            surface: text[token.offset_from..token.offset_to].to_string(),
            folded: token.text.clone(),
            // The same function the stem filter uses, so these are exactly the indexed stems.
            stems: stem_candidates(&token.text),
            offset_from: token.offset_from,
            offset_to: token.offset_to,
            position: token.position,
        });
    }
    tokens
}

#[cfg(test)]
pub(crate) mod strategies {
    use proptest::prelude::*;

    /// Text mixing Arabic letters, marks, tatweel, both digit systems, Latin, punctuation,
    /// whitespace, invisible controls, presentation forms and arbitrary characters.
    pub(crate) fn arabic_like_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => "[\u{0621}-\u{064A}]",
            2 => "[\u{064B}-\u{065F}\u{0610}-\u{061A}\u{0670}\u{06D6}-\u{06ED}\u{0640}]",
            1 => "[\u{0660}-\u{0669}\u{06F0}-\u{06F9}0-9]",
            1 => "[a-zA-Z\u{00C0}-\u{024F}\u{0300}-\u{036F}]",
            1 => "[ \t\n.,;:!?()/\\-«»،؛؟]",
            1 => "[\u{061C}\u{200B}-\u{200F}\u{202A}-\u{202E}\u{2066}-\u{2069}\u{FEFF}]",
            1 => "[\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFC}\u{0600}-\u{06FF}]",
            1 => any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::strategies::arabic_like_text;
    use super::*;

    #[test]
    fn spelling_variants_analyze_alike() {
        let written = analyze("الأمم المتحدة");
        let typed = analyze("الامم المتحده");
        let terms = |tokens: &[AnalyzedToken]| -> Vec<(String, Vec<String>)> {
            tokens
                .iter()
                .map(|t| (t.folded.clone(), t.stems.clone()))
                .collect()
        };
        assert_eq!(terms(&written), terms(&typed));
        assert_eq!(written[1].stems, ["متحد"]);
    }

    #[test]
    fn analyze_reports_surface_folded_stems_and_offsets() {
        let tokens = analyze("وللتعاونِ ٢٠١٢أكتوبر");
        let expected = [
            ("وللتعاونِ", "وللتعاون", vec!["تعاون"], 0, 18, 0),
            ("٢٠١٢", "2012", vec!["2012"], 19, 27, 1),
            ("أكتوبر", "اكتوبر", vec!["اكتوبر"], 27, 39, 2),
        ];
        assert_eq!(tokens.len(), expected.len());
        for (token, (surface, folded, stems, from, to, position)) in tokens.iter().zip(expected) {
            assert_eq!(token.surface, surface);
            assert_eq!(token.folded, folded);
            assert_eq!(token.stems, stems);
            assert_eq!((token.offset_from, token.offset_to), (from, to));
            assert_eq!(token.position, position);
        }
    }

    #[test]
    fn registered_analyzers_are_found_by_name() {
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("text", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        register(&index);
        let term = |name: &str| {
            let mut analyzer = index.tokenizers().get(name).expect("registered");
            let mut stream = analyzer.token_stream("الأمم");
            assert!(stream.advance());
            stream.token().text.clone()
        };
        assert_eq!(term(FOLD_ANALYZER), "الامم");
        assert_eq!(term(STEM_ANALYZER), "امم");
    }

    proptest! {
        #[test]
        fn tokens_map_back_to_the_original(text in arabic_like_text()) {
            check_tokens(&text)?;
        }

        #[test]
        fn any_string_analyzes(text in any::<String>()) {
            check_tokens(&text)?;
        }
    }

    fn check_tokens(text: &str) -> Result<(), TestCaseError> {
        for (i, token) in analyze(text).iter().enumerate() {
            let (from, to) = (token.offset_from, token.offset_to);
            prop_assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
            prop_assert_eq!(&text[from..to], token.surface.as_str());
            let folded = fold(&token.surface);
            // A word that folds to nothing (U+FE70 alone) keeps its surface as its term.
            let expected = if folded.is_empty() {
                token.surface.clone()
            } else {
                folded
            };
            prop_assert_eq!(&token.folded, &expected);
            prop_assert_eq!(token.position, i);
            prop_assert!(!token.stems.is_empty());
            for stem in &token.stems {
                prop_assert!(stem.chars().count() <= token.folded.chars().count());
            }
        }
        Ok(())
    }
}
