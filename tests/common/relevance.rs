//! The known items of the development relevance sets and how a ranked list is judged
//! against them, shared by the quality gate (`tests/eval.rs`) and the tuning of the
//! ranking's weights (`examples/rank_tune.rs`, which includes this file).
//!
//! `tests/data/dev.json` (a copy of `shared/eval/dev.json`) names each item by words its
//! passage holds; `tests/data/dev_ranking.json` (a copy of `shared/eval/dev_ranking.json`)
//! by a line of a corpus file, as extracted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fahras::corpus::{Document, Passage};
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn relevance_set(name: &str) -> Value {
    let path = root().join("tests/data").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the relevance set {} is needed: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

/// Diacritics, tatweel and invisible marks dropped; letter variants and digits unified.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
                | '\u{06D6}'..='\u{06ED}' | '\u{0640}' | '\u{200B}'..='\u{200F}')
        })
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            'ؤ' => 'و',
            'ئ' => 'ي',
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10).unwrap(),
            _ => c,
        })
        .collect()
}

pub fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What a known item's passage is known by.
pub enum Target {
    /// A passage whose words include these, consecutively.
    Words(Vec<String>),
    /// One of these passages (document id, ordinal).
    Passages(BTreeSet<(String, u64)>),
}

pub struct KnownItem {
    pub set: &'static str,
    pub query: String,
    /// `easy`, `medium` or `hard` (the ranking set); `dev` for the older set.
    pub difficulty: String,
    pub target: Target,
}

/// A hit as judged: its document, ordinal and text.
pub struct Judged<'a> {
    pub doc: &'a str,
    pub passage: u64,
    pub text: &'a str,
}

impl KnownItem {
    /// The 1-based rank of the first hit that is the item's passage.
    pub fn rank(&self, hits: &[Judged]) -> Option<usize> {
        hits.iter()
            .position(|h| match &self.target {
                Target::Words(target) => words(h.text).windows(target.len()).any(|w| w == target),
                Target::Passages(targets) => targets.contains(&(h.doc.to_owned(), h.passage)),
            })
            .map(|i| i + 1)
    }
}

/// The known items of `dev.json`.
pub fn dev_known_items() -> Vec<KnownItem> {
    relevance_set("dev.json")["known_item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| KnownItem {
            set: "dev.json",
            query: item["q"].as_str().unwrap().to_owned(),
            difficulty: "dev".to_owned(),
            target: Target::Words(words(item["target"].as_str().unwrap())),
        })
        .collect()
}

/// The known items of `dev_ranking.json`, each with the passages of `documents` that hold
/// its line.
pub fn ranking_known_items(documents: &[Document]) -> Vec<KnownItem> {
    relevance_set("dev_ranking.json")["known_item"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let field = |name: &str| item[name].as_str().unwrap();
            let targets = passages_at_line(
                documents,
                field("file"),
                item["line"].as_u64().unwrap() as usize,
                field("anchor"),
            );
            assert!(
                !targets.is_empty(),
                "{}: no passage holds its line",
                field("q")
            );
            KnownItem {
                set: "dev_ranking.json",
                query: field("q").to_owned(),
                difficulty: field("difficulty").to_owned(),
                target: Target::Passages(targets),
            }
        })
        .collect()
}

/// The documents of the seed corpus, loaded as an index build loads them.
pub fn seed_documents(corpus: &Path) -> Vec<Document> {
    fahras::corpus::load_corpus(corpus, &Default::default())
        .unwrap()
        .documents
}

/// The passages that hold line `line` (1-based) of the file whose id starts with `file`,
/// counted in the text as extracted: a line cut into several passages gives them all,
/// narrowed to those holding `anchor` when some do.
fn passages_at_line(
    documents: &[Document],
    file: &str,
    line: usize,
    anchor: &str,
) -> BTreeSet<(String, u64)> {
    let document = documents
        .iter()
        .find(|d| d.id == file || d.id.starts_with(&format!("{file}_")))
        .unwrap_or_else(|| panic!("no document {file}"));
    let line_of = |text: &str, offset: usize| text[..offset].matches('\n').count() + 1;
    let covering: Vec<Passage> = fahras::corpus::split_document(document)
        .into_iter()
        .filter(|p| {
            let range = p.start..p.start + p.text.len();
            let (text, range) = document
                .extracted_range(range.clone())
                .unwrap_or((document.text.as_str(), range));
            let first = line_of(text, range.start);
            let last = first + text[range].trim_end_matches('\n').matches('\n').count();
            (first..=last).contains(&line)
        })
        .collect();
    let anchor = words(anchor).join(" ");
    let holding = |p: &&Passage| {
        [Some(&p.text), p.extracted.as_ref()]
            .into_iter()
            .flatten()
            .any(|t| words(t).join(" ").contains(&anchor))
    };
    let narrowed: Vec<&Passage> = covering.iter().filter(holding).collect();
    let chosen = if narrowed.is_empty() {
        covering.iter().collect()
    } else {
        narrowed
    };
    chosen
        .into_iter()
        .map(|p| (document.id.clone(), p.ordinal))
        .collect()
}

/// MRR@10 and success@1 of ranks (`None`: not in the top 10).
pub fn mrr_and_success(ranks: &[Option<usize>]) -> (f64, f64) {
    let n = ranks.len().max(1) as f64;
    let mrr = ranks
        .iter()
        .map(|r| r.filter(|&r| r <= 10).map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n;
    let first = ranks.iter().filter(|r| **r == Some(1)).count() as f64 / n;
    (mrr, first)
}
