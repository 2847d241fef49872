//! How the run-order costs were chosen: tries a grid of them on the development lines restored
//! by hand (`tests/data/gold_lines_dev.json`) and the MuPDF-damaged copies of the clean
//! documents (`tests/fixtures/formats/*.mupdf.txt`), and prints the best settings:
//! `cargo run --release --example repair_tune`. Never tune on anything else.

use fahras::analysis::token_similarity;
use fahras::repair::{model::CORPUS_MODEL, repair_with, Costs};

fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn main() -> anyhow::Result<()> {
    let gold: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string("tests/data/gold_lines_dev.json")?)?;
    let context = gold
        .iter()
        .map(|g| g["raw"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n\n");
    // The damaged copies of the clean documents (the `tiny_*` ones are a test's own).
    let dir = "tests/fixtures/formats";
    let mut copies: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".mupdf.txt") else {
            continue;
        };
        if !stem.starts_with("tiny") {
            let read = |ext: &str| std::fs::read_to_string(format!("{dir}/{stem}.{ext}.txt"));
            copies.push((read("source")?, read("mupdf")?));
        }
    }
    let mut results = Vec::new();
    let base = Costs::default();
    for single in [3.0, 4.0, 5.0] {
        for wide in [-3.0, -1.0] {
            for margin in [1.0, 2.0, 3.0] {
                for (kinds, reversed) in [1.0, 2.0, 3.0, 4.0]
                    .into_iter()
                    .flat_map(|k| [2.0, 2.5, 3.0, 3.5, 4.0].map(|r| (k, r)))
                {
                    let costs = Costs {
                        cut_single_space: single,
                        cut_wide_space: wide,
                        margin,
                        cut_spaced_kinds: kinds,
                        cut_space_reversed: reversed,
                        ..base
                    };
                    let repaired = repair_with(&context, &*CORPUS_MODEL, &costs);
                    let lines: Vec<&str> = repaired.text.split("\n\n").collect();
                    let mut restored = 0;
                    let mut broken = 0;
                    for (g, out) in gold.iter().zip(&lines) {
                        let logical = g["logical"].as_str().unwrap_or_default();
                        restored += usize::from(spaced(out) == spaced(logical));
                        let raw = g["raw"].as_str().unwrap_or_default();
                        broken +=
                            usize::from(g["reordered"] == false && spaced(out) != spaced(raw));
                    }
                    let sim: f64 = copies
                        .iter()
                        .map(|(source, damaged)| {
                            token_similarity(
                                source,
                                &repair_with(damaged, &*CORPUS_MODEL, &costs).text,
                            )
                        })
                        .fold(1.0, f64::min);
                    results.push((broken == 0, restored, sim, costs));
                }
            }
        }
    }
    results.sort_by(|a, b| {
        (a.0, a.1, a.2)
            .partial_cmp(&(b.0, b.1, b.2))
            .expect("no NaN")
            .reverse()
    });
    for (clean, restored, sim, costs) in results.iter().take(15) {
        println!(
            "logical kept {clean}, restored {restored}, lowest copy similarity {sim:.4}: {costs:?}"
        );
    }
    Ok(())
}
