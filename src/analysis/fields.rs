//! A passage analyzed once for its analyzed fields.
//!
//! The registered analyzers ([`super::stem_analyzer`], [`super::pair_analyzer`]) each
//! tokenize and fold the text themselves, which is what a query needs. A build indexes both
//! of every passage (and the citing field, from the stems): [`FieldTokens::analyze`]
//! tokenizes and folds it once and derives from that one stream the stems and the pairs,
//! exactly the tokens the analyzers make. [`register_for_build`] gives a build's index,
//! under the analyzers' names, tokenizers that share that one analysis.
//!
//! Not tantivy's pre-tokenized values: a `TantivyDocument` keeps one serialized as JSON and
//! parses it each time the indexer reads it, and the indexer copies a pre-tokenized value
//! twice more whatever the document type, so handing tokens over that way cost more than
//! the analysis it saved.

use std::cell::RefCell;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::pairs::Pairing;
use super::stem::stem_ranges;
use super::{
    ArabicTokenizer, CitingTokenizer, FoldFilter, CITING_ANALYZER, PAIR_ANALYZER, STEM_ANALYZER,
};

/// The tokens of a passage's analyzed fields, in the order their analyzers emit them.
/// Its buffers are reused from passage to passage, so the steady state allocates nothing.
#[derive(Default)]
pub struct FieldTokens {
    stems: Tokens,
    pairs: Tokens,
}

/// One of the analyzed fields, named by what its analyzer makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalyzedField {
    /// Each word's primary stem, then its alternatives at the same position
    /// ([`STEM_ANALYZER`]).
    Stems,
    /// The pairs of neighbouring common stems ([`PAIR_ANALYZER`]).
    Pairs,
}

impl FieldTokens {
    /// Tokenizes and folds `text` once, replacing what the buffers held.
    pub fn analyze(&mut self, text: &str) {
        self.stems.clear();
        self.pairs.clear();
        let mut folding = FoldFilter.transform(ArabicTokenizer::default());
        let mut words = folding.token_stream(text);
        let mut pairing = Pairing::default();
        while words.advance() {
            let word = words.token();
            let stems = stem_ranges(&word.text);
            for range in stems.as_slice() {
                self.stems.push(word, &word.text[range.clone()]);
            }
            let pairs = &mut self.pairs;
            pairing.push(word, &stems, |pair| pair.write_into(pairs.next_slot()));
        }
    }

    /// The tokens of `field`, as its analyzer makes them of the last text analyzed.
    pub fn of(&self, field: AnalyzedField) -> &[Token] {
        match field {
            AnalyzedField::Stems => self.stems.as_slice(),
            AnalyzedField::Pairs => self.pairs.as_slice(),
        }
    }
}

/// Tokens in reused slots: `slots[..len]` are current, the rest keep their buffers.
#[derive(Default)]
struct Tokens {
    slots: Vec<Token>,
    len: usize,
}

impl Tokens {
    fn clear(&mut self) {
        self.len = 0;
    }

    fn next_slot(&mut self) -> &mut Token {
        if self.len == self.slots.len() {
            self.slots.push(Token::default());
        }
        self.len += 1;
        &mut self.slots[self.len - 1]
    }

    /// A token of `text` at `word`'s place.
    fn push(&mut self, word: &Token, text: &str) {
        let token = self.next_slot();
        token.text.clear();
        token.text.push_str(text);
        token.offset_from = word.offset_from;
        token.offset_to = word.offset_to;
        token.position = word.position;
        token.position_length = word.position_length;
    }

    fn copy_from(&mut self, tokens: &[Token]) {
        self.clear();
        for token in tokens {
            self.push(token, &token.text);
        }
    }

    fn as_slice(&self) -> &[Token] {
        &self.slots[..self.len]
    }
}

/// Registers on a build's index, under the names of the analyzers, tokenizers that
/// analyze a passage once for all its fields (tantivy indexes a document's fields one
/// after the other on one thread).
pub fn register_for_build(index: &tantivy::Index) {
    let tokenizers = index.tokenizers();
    for (name, field) in [
        (STEM_ANALYZER, AnalyzedField::Stems),
        (PAIR_ANALYZER, AnalyzedField::Pairs),
    ] {
        tokenizers.register(name, OnePassTokenizer::new(field));
    }
    tokenizers.register(
        CITING_ANALYZER,
        CitingTokenizer::new(OnePassTokenizer::new(AnalyzedField::Stems)),
    );
}

thread_local! {
    /// The last passage analyzed on this thread, and its tokens.
    static LAST_PASSAGE: RefCell<(String, FieldTokens)> = RefCell::default();
}

/// The tokens of one analyzed field, from the analysis of the whole passage that this
/// thread made last (made now if the text is another). Keyed by the text itself, so it
/// gives exactly what the field's analyzer gives, whatever order it is called in.
#[derive(Clone)]
pub struct OnePassTokenizer {
    field: AnalyzedField,
    /// The field's tokens of the text last asked for, copied out of the thread's analysis.
    tokens: Tokens,
}

impl OnePassTokenizer {
    pub fn new(field: AnalyzedField) -> OnePassTokenizer {
        OnePassTokenizer {
            field,
            tokens: Tokens::default(),
        }
    }
}

impl Clone for Tokens {
    fn clone(&self) -> Tokens {
        // A tokenizer's copy starts with empty buffers of its own.
        Tokens::default()
    }
}

impl Tokenizer for OnePassTokenizer {
    type TokenStream<'a> = ReplayedTokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ReplayedTokens<'a> {
        LAST_PASSAGE.with_borrow_mut(|(analyzed, tokens)| {
            if analyzed != text {
                tokens.analyze(text);
                analyzed.clear();
                analyzed.push_str(text);
            }
            self.tokens.copy_from(tokens.of(self.field));
        });
        let len = self.tokens.len;
        ReplayedTokens {
            tokens: &mut self.tokens.slots[..len],
            next: 0,
        }
    }
}

/// The token stream of [`OnePassTokenizer`] (and of the citing field's tokenizer): tokens
/// made beforehand, handed out one by one.
pub struct ReplayedTokens<'a> {
    tokens: &'a mut [Token],
    /// One past the current token.
    next: usize,
}

impl<'a> ReplayedTokens<'a> {
    pub(super) fn new(tokens: &'a mut [Token]) -> ReplayedTokens<'a> {
        ReplayedTokens { tokens, next: 0 }
    }
}

impl TokenStream for ReplayedTokens<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::TextAnalyzer;

    use super::super::strategies::arabic_like_text;
    use super::super::{pair_analyzer, stem_analyzer};
    use super::*;

    const FIELDS: [AnalyzedField; 2] = [AnalyzedField::Stems, AnalyzedField::Pairs];

    fn collect(stream: &mut dyn TokenStream) -> Vec<Token> {
        let mut tokens = Vec::new();
        stream.process(&mut |token| tokens.push(token.clone()));
        tokens
    }

    /// What the registered analyzer of `field` makes of `text`.
    fn analyzer_tokens(field: AnalyzedField, text: &str) -> Vec<Token> {
        let mut analyzer: TextAnalyzer = match field {
            AnalyzedField::Stems => stem_analyzer(),
            AnalyzedField::Pairs => pair_analyzer(),
        };
        let mut stream = analyzer.token_stream(text);
        collect(&mut stream)
    }

    /// Every field of the one pass equals its analyzer's tokens: texts, offsets, positions.
    fn check_one_pass(tokens: &mut FieldTokens, text: &str) -> Result<(), TestCaseError> {
        tokens.analyze(text);
        for field in FIELDS {
            prop_assert_eq!(
                tokens.of(field),
                analyzer_tokens(field, text),
                "{:?}",
                field
            );
        }
        Ok(())
    }

    #[test]
    fn one_pass_makes_what_each_analyzer_makes() {
        let text = "وللتعاونِ الدوليّ مع منظمة الأمم المتحدة، ٢٠١٢أكتوبر وبيانات الدول الأطراف";
        let mut tokens = FieldTokens::default();
        check_one_pass(&mut tokens, text).unwrap();
        assert!(
            !tokens.of(AnalyzedField::Pairs).is_empty(),
            "the text has pairs"
        );
        let stems = tokens.of(AnalyzedField::Stems);
        let words = stems.last().map_or(0, |t| t.position + 1);
        assert!(stems.len() > words, "and alternative stems");
        // Buffers reused for a shorter text hold only its tokens.
        check_one_pass(&mut tokens, "الأمم المتحدة").unwrap();
        check_one_pass(&mut tokens, "").unwrap();
    }

    /// Every passage of the bundled corpus, as a build splits it.
    #[test]
    fn one_pass_makes_what_each_analyzer_makes_of_the_bundled_corpus() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let loaded = crate::corpus::load_corpus(&corpus, &Default::default()).unwrap();
        let mut tokens = FieldTokens::default();
        let mut passages = 0;
        for document in &loaded.documents {
            for passage in crate::corpus::split_document(document) {
                check_one_pass(&mut tokens, &passage.text).unwrap();
                passages += 1;
            }
        }
        assert!(passages > 1000, "{passages} passages");
    }

    /// The build's tokenizers give each field's analyzer tokens, whichever field of a
    /// passage is asked first and however often (one text repeated, two interleaved).
    #[test]
    fn build_tokenizers_replay_what_each_analyzer_makes() {
        let texts = [
            "منظمة الأمم المتحدة",
            "بيانات الدول الأطراف",
            "منظمة الأمم المتحدة",
        ];
        let mut tokenizers = FIELDS.map(OnePassTokenizer::new);
        for order in [[0, 1, 0], [1, 0, 1], [1, 1, 0]] {
            for text in texts {
                for i in order {
                    let field = FIELDS[i];
                    let replayed = collect(&mut tokenizers[i].token_stream(text));
                    assert_eq!(
                        replayed,
                        analyzer_tokens(field, text),
                        "{field:?} of {text}"
                    );
                }
            }
        }
    }

    #[test]
    fn build_tokenizers_are_registered_under_the_analyzers_names() {
        let mut schema = tantivy::schema::Schema::builder();
        schema.add_text_field("text", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_ram(schema.build());
        register_for_build(&index);
        let text = "منظمة الأمم المتحدة";
        for (name, field) in [
            (STEM_ANALYZER, AnalyzedField::Stems),
            (PAIR_ANALYZER, AnalyzedField::Pairs),
        ] {
            let mut analyzer = index.tokenizers().get(name).expect("registered");
            let mut stream = analyzer.token_stream(text);
            assert_eq!(collect(&mut stream), analyzer_tokens(field, text));
        }
    }

    proptest! {
        #[test]
        fn one_pass_agrees_with_the_analyzers(text in arabic_like_text()) {
            check_one_pass(&mut FieldTokens::default(), &text)?;
        }

        #[test]
        fn one_pass_agrees_on_any_string(text in any::<String>()) {
            check_one_pass(&mut FieldTokens::default(), &text)?;
        }

        /// Reused buffers: each text of a sequence gives what it gives alone.
        #[test]
        fn one_pass_agrees_with_reused_buffers(texts in proptest::collection::vec(arabic_like_text(), 1..6)) {
            let mut tokens = FieldTokens::default();
            for text in &texts {
                check_one_pass(&mut tokens, text)?;
            }
        }
    }
}
