//! Quality gate: the development relevance set (`tests/data/dev.json`, a copy of
//! `shared/eval/dev.json`) run through the
//! real binary on the seed corpus. The figures are printed on every run.
//!
//! The phrase ground truth is computed here, independently of the analyzer: a passage
//! contains a phrase when consecutive words match it after a plain orthographic
//! normalization, allowing attached clitics and light suffixes.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dev_set() -> Value {
    let path = root().join("tests/data/dev.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the relevance set {} is needed: {e}", path.display()));
    serde_json::from_str(&text).expect("dev.json is JSON")
}

/// Diacritics, tatweel and invisible marks dropped; letter variants and digits unified.
fn normalize(text: &str) -> String {
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

fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

const PROCLITICS: &[&str] = &[
    "", "و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وب", "ول", "فب",
    "فل",
];
const LIGHT_SUFFIXES: &[&str] = &["", "ه", "ها", "ات", "ان", "ين", "ون", "يه", "ي"];

/// Whether a word of the text is the phrase word, with clitics and light suffixes.
fn word_matches(text_word: &str, phrase_word: &str) -> bool {
    if text_word == phrase_word {
        return true;
    }
    let core = phrase_word.strip_prefix("ال").unwrap_or(phrase_word);
    let core = core.strip_suffix('ه').unwrap_or(core);
    PROCLITICS.iter().any(|p| {
        text_word
            .strip_prefix(p)
            .and_then(|rest| rest.strip_prefix(core))
            .is_some_and(|suffix| LIGHT_SUFFIXES.contains(&suffix))
    })
}

fn contains_phrase(text: &str, phrase: &[String]) -> bool {
    let text = words(text);
    text.windows(phrase.len())
        .any(|window| window.iter().zip(phrase).all(|(t, p)| word_matches(t, p)))
}

fn search(corpus: &Path, index: &Path, query: &str, limit: usize) -> Value {
    let run = common::run_with(
        corpus,
        index,
        &["search", "--json", "--limit", &limit.to_string(), query],
    );
    assert!(run.code <= 1, "{query}: {}", run.stderr);
    run.json()
}

#[test]
fn dev_relevance_set() {
    let dev = dev_set();
    let corpus = root().join("corpus");
    let index = tempfile::tempdir().unwrap();
    let mut report = String::new();

    // Known items: reciprocal rank of the first hit containing the target, within 10.
    let mut reciprocal_ranks = Vec::new();
    for item in dev["known_item"].as_array().unwrap() {
        let (query, target) = (
            item["q"].as_str().unwrap(),
            item["target"].as_str().unwrap(),
        );
        let target = words(target);
        let json = search(&corpus, index.path(), query, 10);
        let rank = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .position(|h| {
                words(h["text"].as_str().unwrap())
                    .windows(target.len())
                    .any(|w| w == target)
            })
            .map(|i| i + 1);
        reciprocal_ranks.push(rank.map_or(0.0, |r| 1.0 / r as f64));
        report += &format!("  known item {query}: rank {rank:?}\n");
    }
    let mrr = reciprocal_ranks.iter().sum::<f64>() / reciprocal_ranks.len() as f64;

    // Phrases: every passage that contains the phrase, and nothing else.
    let loaded = fahras::corpus::load_corpus(&corpus, &Default::default()).unwrap();
    let passages: Vec<(String, u64, String)> = loaded
        .documents
        .iter()
        .flat_map(|d| {
            fahras::corpus::split_passages(&d.text)
                .into_iter()
                .map(|p| (d.id.clone(), p.ordinal, p.text))
        })
        .collect();
    let (mut relevant, mut retrieved, mut correct) = (0usize, 0usize, 0usize);
    for phrase in dev["phrase_recall"].as_array().unwrap() {
        let phrase = phrase.as_str().unwrap();
        let phrase_words = words(phrase);
        let truth: BTreeSet<(String, u64)> = passages
            .iter()
            .filter(|(_, _, text)| contains_phrase(text, &phrase_words))
            .map(|(doc, ordinal, _)| (doc.clone(), *ordinal))
            .collect();
        let found: BTreeSet<(String, u64)> = common::hits(&search(
            &corpus,
            index.path(),
            &format!("\"{phrase}\""),
            1000,
        ))
        .into_iter()
        .collect();
        let hit = truth.intersection(&found).count();
        relevant += truth.len();
        retrieved += found.len();
        correct += hit;
        report += &format!(
            "  phrase {phrase}: {} relevant, {} found, {hit} both; missed {:?}; extra {:?}\n",
            truth.len(),
            found.len(),
            truth.difference(&found).collect::<Vec<_>>(),
            found.difference(&truth).collect::<Vec<_>>()
        );
    }
    let recall = correct as f64 / relevant as f64;
    let precision = correct as f64 / retrieved as f64;

    // Variant groups: one ranked list per group.
    let mut variant_groups_agreeing = 0;
    let groups = dev["variants"].as_array().unwrap();
    for group in groups {
        let lists: Vec<Vec<(String, u64)>> = group
            .as_array()
            .unwrap()
            .iter()
            .map(|q| common::hits(&search(&corpus, index.path(), q.as_str().unwrap(), 100)))
            .collect();
        let agree = !lists[0].is_empty() && lists.iter().all(|l| *l == lists[0]);
        variant_groups_agreeing += usize::from(agree);
        report += &format!(
            "  variants {group}: {} hits, agree {agree}\n",
            lists[0].len()
        );
    }

    let summary = format!(
        "dev set: known-item MRR@10 {mrr:.3} ({} queries); phrase recall {recall:.3}, precision {precision:.3} ({relevant} relevant passages); variant groups agreeing {variant_groups_agreeing}/{}\n",
        reciprocal_ranks.len(),
        groups.len()
    );
    // Written past the test harness's capture, so the figures show on every run.
    let _ = std::io::stderr().write_all((report.clone() + &summary).as_bytes());

    assert!(mrr >= 0.9, "known-item MRR@10 {mrr:.3} < 0.9\n{report}");
    assert!(recall >= 0.98, "phrase recall {recall:.3} < 0.98\n{report}");
    assert!(
        precision >= 0.95,
        "phrase precision {precision:.3} < 0.95\n{report}"
    );
    assert_eq!(variant_groups_agreeing, groups.len(), "{report}");
}

#[test]
fn the_ground_truth_matcher_allows_clitics_and_light_suffixes_only() {
    let phrase = words("البروتوكولات الملحقة بها");
    assert!(contains_phrase("والبروتوكولات الملحق بها", &phrase));
    assert!(contains_phrase("البروتوكولاتِ المُلحَقة\nبها", &phrase));
    assert!(!contains_phrase("البروتوكولات الملحقة", &phrase));
    assert!(!contains_phrase("البروتوكولات غير الملحقة بها", &phrase));
    assert!(word_matches("للعداله", "العداله"));
    assert!(!word_matches("عدل", "العداله"));
}
