//! The tantivy schema of a passage, and typed handles to its fields.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
    STORED, STRING,
};

use crate::analysis::{CITING_ANALYZER, PAIR_ANALYZER, STEM_ANALYZER};

/// Bumped whenever the schema or the analyzer changes what is indexed, so that an index
/// built by an older fahras is rebuilt instead of being searched with the wrong terms.
pub const SCHEMA_VERSION: u32 = 12;

/// Handles to the fields of one passage document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The document id (file name without extension): exact-match filter `--doc`.
    pub doc: Field,
    pub symbol: Field,
    /// Session and year are indexed for filters and fast for counting.
    pub session: Field,
    pub year: Field,
    pub title: Field,
    /// Date (`YYYY-MM-DD`), issuing body and kind of the document, for the document view.
    pub date: Field,
    pub body: Field,
    pub kind: Field,
    /// 0-based ordinal of the passage within its document.
    pub passage: Field,
    /// The UN paragraph number the passage starts with, if any.
    pub paragraph: Field,
    /// The passage text as a person reads it (repaired), stored for display and indexed
    /// with the stemming analyzer (recall); snippets are cut from it.
    pub text: Field,
    /// The passage as extracted, stored only (not indexed), for a passage repair changed.
    pub extracted: Field,
    /// Pairs of neighbouring common words' stems, with frequencies but no positions, not
    /// stored: phrases of frequent words search these (see `analysis::PairFilter`).
    pub pairs: Field,
    /// Articles of the Convention the passage cites (`article:16`); fast, for counting.
    pub articles: Field,
    /// In a passage that cites articles, each of its stems with each article it cites
    /// (`جريم 18`; no frequencies, positions or norms, not stored): a word's matches per
    /// article are the document frequencies of its terms here, read from the term
    /// dictionary, instead of looking up every citing passage in its long list.
    pub citing: Field,
    /// Resolutions and decisions it cites or adopts, as `11/1` (`decision:11/1`).
    pub decisions: Field,
    /// UN document symbols, upper case: the ones it cites and its document's own
    /// (`symbol:CTOC/COP/2022/L.9`, `symbol:CTOC/COP/WG.2/*`).
    pub symbols: Field,
    /// Number of words in the passage, for the ranking's length prior.
    pub words: Field,
    /// The passage's place in the corpus (sessions in order, a session's documents by id,
    /// a document's passages in order), fast: passages of equal score rank in this order,
    /// which stays the same from build to build while tantivy's doc ids do not.
    pub order: Field,
    /// `/session/N`, `/year/Y` and `/article/N`, counted over all matches by tantivy's facet collector.
    pub facets: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let analyzed = |analyzer: &str| {
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions)
        };
        let fields = Fields {
            doc: builder.add_text_field("doc", STRING | STORED),
            symbol: builder.add_text_field("symbol", STRING | STORED),
            session: builder.add_u64_field("session", INDEXED | STORED | FAST),
            year: builder.add_u64_field("year", INDEXED | STORED | FAST),
            title: builder.add_text_field("title", STORED),
            date: builder.add_text_field("date", STORED),
            body: builder.add_text_field("body", STORED),
            kind: builder.add_text_field("kind", STORED),
            passage: builder.add_u64_field("passage", INDEXED | STORED | FAST),
            paragraph: builder.add_u64_field("paragraph", STORED),
            text: builder.add_text_field(
                "text",
                TextOptions::default()
                    .set_indexing_options(analyzed(STEM_ANALYZER))
                    .set_stored(),
            ),
            extracted: builder.add_text_field("extracted", STORED),
            pairs: builder.add_text_field(
                "pairs",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(PAIR_ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
            articles: builder.add_u64_field("articles", INDEXED | STORED | FAST),
            citing: builder.add_text_field(
                "citing",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(CITING_ANALYZER)
                        .set_index_option(IndexRecordOption::Basic)
                        .set_fieldnorms(false),
                ),
            ),
            decisions: builder.add_text_field("decisions", STRING | STORED),
            symbols: builder.add_text_field("symbols", STRING | STORED),
            words: builder.add_u64_field("words", FAST),
            order: builder.add_u64_field("order", FAST),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
        };
        (builder.build(), fields)
    }

    /// Resolves the handles in the schema of an opened index, failing clearly when the
    /// index was made by something else.
    pub fn from_schema(schema: &Schema) -> Result<Fields, String> {
        let get = |name: &str| {
            schema
                .get_field(name)
                .map_err(|_| format!("it has no `{name}` field"))
        };
        Ok(Fields {
            doc: get("doc")?,
            symbol: get("symbol")?,
            session: get("session")?,
            year: get("year")?,
            title: get("title")?,
            date: get("date")?,
            body: get("body")?,
            kind: get("kind")?,
            passage: get("passage")?,
            paragraph: get("paragraph")?,
            text: get("text")?,
            extracted: get("extracted")?,
            pairs: get("pairs")?,
            articles: get("articles")?,
            citing: get("citing")?,
            decisions: get("decisions")?,
            symbols: get("symbols")?,
            words: get("words")?,
            order: get("order")?,
            facets: get("facets")?,
        })
    }
}
