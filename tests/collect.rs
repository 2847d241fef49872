//! The fast collection paths give the answers of the plain ones: the first stage's window
//! (block-WAND with the prior inside; for several words, the passages with every word when
//! they fill it) against scoring every match with the length prior,
//! and the tally per session, year and article (from a bitset of a union's postings, or
//! match by match) against counting and faceting every match.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fahras::index::{self, BuildOptions};
use fahras::search::{collect, plan, query};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

fn seed_corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
}

/// The texts of the seed corpus's files.
fn seed_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(seed_corpus()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    texts
}

/// The seed corpus indexed in a temporary folder, removed when the guard is dropped.
fn seed_index() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    index::build(seed_corpus(), &index_dir, &BuildOptions::default()).unwrap();
    (dir, index_dir)
}

/// Queries made from the seed corpus's own words, rare to frequent: single words, bags of
/// two, phrases of neighbours, with and without a session filter.
fn queries() -> Vec<String> {
    let text = seed_texts().join("\n");
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            w.chars().count() >= 3 && w.chars().all(|c| ('\u{621}'..='\u{64A}').contains(&c))
        })
        .collect();
    assert!(words.len() > 5_000, "the seed corpus has Arabic words");
    let mut queries = Vec::new();
    for i in (0..words.len()).step_by(words.len() / 25) {
        let (a, b) = (words[i], words[(i + 1).min(words.len() - 1)]);
        queries.push(a.to_owned());
        queries.push(format!("{a} {b}"));
        queries.push(format!("\"{a} {b}\""));
        queries.push(format!("{a} session:11"));
        let next = |k: usize| words[(i + k).min(words.len() - 1)];
        queries.push(format!("{a} {b} {} {}", next(2), next(3)));
    }
    // Frequent words, where the pool and the per-segment counts matter most.
    for word in ["الجريمة", "الدول", "الأطراف", "المؤتمر", "من", "في"]
    {
        queries.push(word.to_owned());
    }
    queries
}

fn open_searcher(index_dir: &Path) -> (Searcher, index::Fields) {
    let open = index::open(index_dir).unwrap();
    let reader = open.index.reader().unwrap();
    (reader.searcher(), open.fields)
}

/// Every match scored with the prior, as the search did before the pool.
fn scored_with_prior(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
    limit: usize,
    offset: usize,
) -> Vec<(Score, DocAddress)> {
    let top =
        TopDocs::with_limit(limit)
            .and_offset(offset)
            .tweak_score(|segment: &SegmentReader| {
                let words = segment.fast_fields().u64("words").unwrap();
                move |doc: DocId, score: Score| {
                    let n = words.first(doc).unwrap_or(plan::SHORT_PASSAGE_WORDS);
                    score * plan::length_prior(n)
                }
            });
    searcher.search(query, &top).unwrap()
}

fn check(index_dir: &Path) -> usize {
    let (searcher, fields) = open_searcher(index_dir);
    let segments = collect::Segments::new(searcher.clone()).unwrap();
    let mut nonempty = 0;
    for text in queries() {
        let parsed = query::parse(&text).unwrap();
        let plan = plan::plan(&parsed, &fields).unwrap();
        for window in [10, 12, 60] {
            let fast = collect::first_stage(&segments, &plan, window)
                .unwrap()
                .window;
            // Several words: the passages with every word, when they fill the window.
            let every = plan
                .every_word
                .as_ref()
                .map(|every| scored_with_prior(&searcher, &**every, window, 0))
                .filter(|every| every.len() >= window);
            let slow =
                every.unwrap_or_else(|| scored_with_prior(&searcher, &*plan.query, window, 0));
            // Block-WAND may add a passage's term scores in another order than a plain
            // union: equal up to rounding.
            assert_eq!(fast.len(), slow.len(), "{text:?} window {window}");
            for (f, s) in fast.iter().zip(&slow) {
                assert!(
                    (f.0 - s.0).abs() <= 1e-5 * s.0.abs().max(1.0),
                    "{text:?} window {window}: {fast:?} against {slow:?}"
                );
            }
        }

        // Counted in the ranking pass (anything but a union of words) or apart: both agree
        // with counting every match.
        let tally = collect::tally(&segments, &plan).unwrap();
        if let Some(in_pass) = collect::first_stage(&segments, &plan, 10).unwrap().tally {
            assert_eq!(in_pass, tally, "{text:?}");
        }

        // Session filters as runs of passages: the same window and counts as their terms.
        let runs = plan::plan_for(&parsed, &fields, &segments).unwrap();
        let stage = collect::first_stage(&segments, &runs, 10).unwrap();
        let keys = |w: &[(Score, DocAddress)]| w.iter().map(|(_, a)| *a).collect::<Vec<_>>();
        let plain = collect::first_stage(&segments, &plan, 10).unwrap();
        assert_eq!(keys(&stage.window), keys(&plain.window), "{text:?}");
        let runs_tally = stage
            .tally
            .unwrap_or_else(|| collect::tally(&segments, &runs).unwrap());
        assert_eq!(runs_tally, tally, "{text:?}");
        let mut facets = FacetCollector::for_field("facets");
        facets.add_facet("/session");
        facets.add_facet("/year");
        facets.add_facet("/article");
        let (count, facet_counts) = searcher.search(&*plan.query, &(Count, facets)).unwrap();
        let by = |facet: &str| -> BTreeMap<u64, u64> {
            facet_counts
                .get(facet)
                .map(|(f, n)| (f.to_path().last().unwrap().parse().unwrap(), n))
                .collect()
        };
        assert_eq!(tally.total, count as u64, "{text:?}");
        assert_eq!(tally.by_session, by("/session"), "{text:?}");
        assert_eq!(tally.by_year, by("/year"), "{text:?}");
        assert_eq!(tally.by_article, by("/article"), "{text:?}");
        if count > 0 {
            nonempty += 1;
        }
    }
    nonempty
}

#[test]
fn fast_paths_agree_with_scoring_and_counting_every_match() {
    let (_dir, index_dir) = seed_index();
    let (searcher, _) = open_searcher(&index_dir);
    assert_eq!(searcher.segment_readers().len(), 1, "the build merges");
    drop(searcher);
    let nonempty = check(&index_dir);
    assert!(nonempty > 50, "most queries match something ({nonempty})");
}

/// Phrases of common words are searched as pairs: they must find exactly the passages the
/// positional phrase on stems finds.
#[test]
fn pairs_find_what_positional_phrases_find() {
    use fahras::analysis::{self, AnalyzedToken};
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{PhraseQuery, Query};
    use tantivy::Term;

    let (_dir, index_dir) = seed_index();
    let (searcher, fields) = open_searcher(&index_dir);

    // Within passages: a phrase never spans two.
    let passages: Vec<Vec<AnalyzedToken>> = seed_texts()
        .iter()
        .flat_map(|text| fahras::corpus::split_passages(text))
        .map(|passage| analysis::analyze(&passage.text))
        .collect();
    let common = |t: &AnalyzedToken| t.stems.len() == 1 && analysis::is_common(&t.stems[0]);
    let mut phrases: Vec<&[AnalyzedToken]> = Vec::new();
    for len in [2, 3] {
        phrases.extend(
            passages
                .iter()
                .flat_map(|tokens| tokens.windows(len))
                .filter(|w| w.iter().all(common))
                .step_by(97)
                .take(25),
        );
    }
    assert!(
        phrases.len() >= 40,
        "the seed corpus has phrases of common words"
    );

    let docs = |query: &dyn Query| searcher.search(query, &DocSetCollector).unwrap();
    let positional = |field, words: Vec<&str>| {
        let terms = words
            .into_iter()
            .map(|w| Term::from_field_text(field, w))
            .collect();
        PhraseQuery::new(terms)
    };
    for phrase in phrases {
        let written: Vec<&str> = phrase.iter().map(|t| t.surface.as_str()).collect();
        let query = format!("\"{}\"", written.join(" "));
        let plan = plan::plan(&query::parse(&query).unwrap(), &fields).unwrap();
        let stems = positional(fields.text, phrase.iter().map(|t| &*t.stems[0]).collect());
        let expected = docs(&stems);
        assert!(!expected.is_empty(), "{query} is in the corpus");
        assert_eq!(docs(&*plan.count), expected, "{query}");
        assert_eq!(docs(&*plan.query), expected, "{query}");
    }
}

/// A bag of words matches every passage holding any of its words (the second stage ranks
/// those with fewer words lower), and ranks the same passages it matches.
#[test]
fn bags_of_words_match_any_of_their_words() {
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, Query};

    let (_dir, index_dir) = seed_index();
    let (searcher, fields) = open_searcher(&index_dir);

    // Long words only: no stopword, which a bag leaves to the second stage.
    let texts = seed_texts();
    let words: Vec<&str> = texts
        .iter()
        .flat_map(|text| text.split_whitespace())
        .filter(|w| w.chars().count() >= 6 && w.chars().all(|c| c >= '\u{621}'))
        .collect();
    let docs = |query: &dyn Query| searcher.search(query, &DocSetCollector).unwrap();
    let mut more_than_all = 0;
    for n in [2, 3, 5] {
        for start in (0..words.len() - n).step_by(words.len() / 20) {
            let bag = &words[start..start + n];
            let plan = plan::plan(&query::parse(&bag.join(" ")).unwrap(), &fields).unwrap();
            let alone = |occur| {
                let each = bag
                    .iter()
                    .map(|w| {
                        let alone = plan::plan(&query::parse(w).unwrap(), &fields).unwrap();
                        (occur, alone.count)
                    })
                    .collect();
                docs(&BooleanQuery::new(each))
            };
            let expected = alone(Occur::Should);
            assert!(!expected.is_empty(), "{bag:?} are words of the corpus");
            assert_eq!(docs(&*plan.count), expected, "{bag:?}");
            assert_eq!(docs(&*plan.query), expected, "{bag:?}");
            if expected.len() > alone(Occur::Must).len() {
                more_than_all += 1;
            }
        }
    }
    assert!(
        more_than_all >= 20,
        "bags find passages without all their words ({more_than_all})"
    );
}

/// A snippet shows the window tantivy's snippet generator would cut, and marks what it
/// would mark over the whole passage, from one analysis of the passage instead of one per
/// generator.
#[test]
fn snippets_cut_the_window_tantivys_generator_cuts() {
    use fahras::search::snippet::{Marks, Snippet, Snippets, SNIPPET_BYTES};
    use tantivy::query::Query;
    use tantivy::snippet::{collapse_overlapped_ranges, SnippetGenerator};

    let (_dir, index_dir) = seed_index();
    let (searcher, fields) = open_searcher(&index_dir);
    let (mut compared, mut cut) = (0, 0);
    for text in queries().iter() {
        let plan = plan::plan(&query::parse(text).unwrap(), &fields).unwrap();
        let highlight = &*plan.highlight as &dyn Query;
        let generator = |bytes: usize| {
            let mut g = SnippetGenerator::create(&searcher, highlight, fields.text).unwrap();
            g.set_max_num_chars(bytes);
            g
        };
        // One fragment as large as any passage marks the whole of it.
        let (window, whole) = (generator(SNIPPET_BYTES), generator(usize::MAX / 2));
        let snippets = Snippets::new(&searcher, highlight, &fields, Marks::default()).unwrap();
        let top = searcher
            .search(&*plan.query, &TopDocs::with_limit(20).order_by_score())
            .unwrap();
        for (_, address) in top {
            let doc: tantivy::TantivyDocument = searcher.doc(address).unwrap();
            let passage = tantivy::schema::Value::as_str(&doc.get_first(fields.text).unwrap())
                .unwrap()
                .to_owned();
            let shown = window.snippet(&passage);
            let expected = Snippet::of_window(
                &passage,
                (!shown.is_empty()).then(|| shown.fragment_range()),
                collapse_overlapped_ranges(whole.snippet(&passage).highlighted()),
            );
            assert_eq!(snippets.snippet(&passage), expected, "{text:?}: {passage}");
            compared += 1;
            cut += usize::from(shown.fragment_range().len() < passage.trim().len());
        }
    }
    assert!(compared > 500, "passages compared: {compared}");
    assert!(cut > 100, "passages cut to a window: {cut}");
}

/// Passages of equal score rank in corpus order (sessions in order, a session's documents
/// by id, a document's passages in order), so two builds of the same corpus, whose
/// indexing threads number the passages differently, give the same answers in the same
/// order.
#[test]
fn equal_scores_rank_in_corpus_order_in_every_build() {
    use fahras::search::{Engine, SearchRequest};

    // Session, document, passage: a hit's place in the corpus; and its score.
    type Answer = Vec<(Option<u64>, String, u64, f32)>;
    let builds = [seed_index(), seed_index()];
    let engines: Vec<Engine> = builds
        .iter()
        .map(|(_, dir)| Engine::new(index::open(dir).unwrap()).unwrap())
        .collect();
    let mut ties = 0;
    for text in queries() {
        let request = SearchRequest::new(text.clone(), 60);
        let answers: Vec<Answer> = engines
            .iter()
            .map(|engine| {
                let results = engine.search(&request).unwrap();
                results
                    .hits
                    .into_iter()
                    .map(|h| (h.session, h.doc, h.passage, h.score))
                    .collect()
            })
            .collect();
        let places = |answer: &Answer| {
            answer
                .iter()
                .map(|(session, doc, passage, _)| (*session, doc.clone(), *passage))
                .collect::<Vec<_>>()
        };
        assert_eq!(places(&answers[0]), places(&answers[1]), "{text:?}");
        for pair in answers[0].windows(2) {
            let ((s1, d1, p1, score1), (s2, d2, p2, score2)) = (&pair[0], &pair[1]);
            assert!(score1 >= score2, "{text:?}: best first");
            if score1 == score2 {
                ties += 1;
                assert!((s1, d1, p1) < (s2, d2, p2), "{text:?}: {:?}", pair);
            }
        }
    }
    assert!(ties > 100, "the queries have ties to order ({ties})");
}

/// Across segments too: a window cut among passages of equal score keeps the ones first in
/// the corpus, whichever segment holds them and in whatever order the segments are read.
#[test]
fn a_window_cut_among_equal_scores_keeps_the_first_in_corpus_order() {
    use fahras::index::Fields;
    use tantivy::{doc, Index, IndexSettings, IndexSortByField, Order};

    let (schema, fields) = Fields::schema();
    let settings = IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: "order".to_owned(),
            order: Order::Asc,
        }),
        ..IndexSettings::default()
    };
    let index = Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_ram()
        .unwrap();
    fahras::analysis::register(&index);
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    // Three segments, each written out of corpus order, their places interleaved.
    let text = "يعقد المؤتمر دورته العادية في فيينا";
    for segment in [[7u64, 1, 4], [0, 5, 2], [8, 3, 6]] {
        for order in segment {
            writer
                .add_document(doc!(
                    fields.doc => format!("d{order}"),
                    fields.passage => 0u64,
                    fields.text => text,
                    fields.order => order,
                    fields.words => 40u64,
                ))
                .unwrap();
        }
        writer.commit().unwrap();
    }
    let searcher = index.reader().unwrap().searcher();
    assert_eq!(searcher.segment_readers().len(), 3);
    let segments = collect::Segments::new(searcher).unwrap();
    let (_, fields) = Fields::schema();
    for word in ["المؤتمر", "فيينا", "المؤتمر فيينا"] {
        let plan = plan::plan(&query::parse(word).unwrap(), &fields).unwrap();
        for window in 1..=9 {
            let found = collect::first_stage(&segments, &plan, window)
                .unwrap()
                .window;
            let orders: Vec<u64> = found.iter().map(|(_, a)| segments.order(*a)).collect();
            assert_eq!(
                orders,
                (0..window as u64).collect::<Vec<_>>(),
                "{word} {window}"
            );
        }
    }
}

/// The build keeps only the files of the segments it serves: the segments the merge
/// replaced are collected.
#[test]
fn the_build_leaves_no_merged_segment_behind() {
    let (_dir, index_dir) = seed_index();
    let (searcher, _) = open_searcher(&index_dir);
    let served: std::collections::BTreeSet<String> = searcher
        .segment_readers()
        .iter()
        .map(|r| r.segment_id().uuid_string())
        .collect();
    let generation = std::fs::read_dir(&index_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("gen-"))
        .unwrap();
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(generation)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| {
            let (stem, _) = name.split_once('.')?;
            (stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| stem.to_owned())
        })
        .collect();
    assert_eq!(on_disk, served);
}

/// A phrase of single stems walks their blocks where they are frequent (`search::phrase`):
/// it must match the passages tantivy's phrase matches when scored, with the same scores,
/// scored or not, and the first stage (which scores only passages that could enter its
/// window) must keep the window and counts of tantivy's phrase.
#[test]
fn block_phrases_match_and_score_as_tantivys_phrases() {
    use fahras::analysis::{self, AnalyzedToken};
    use fahras::search::phrase::BlockPhrase;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{EnableScoring, PhraseQuery, Query};
    use tantivy::Term;

    let (_dir, index_dir) = seed_index();
    let (searcher, fields) = open_searcher(&index_dir);
    let segments = collect::Segments::new(searcher.clone()).unwrap();
    let passages: Vec<Vec<AnalyzedToken>> = seed_texts()
        .iter()
        .flat_map(|text| fahras::corpus::split_passages(text))
        .map(|passage| analysis::analyze(&passage.text))
        .collect();
    let single = |t: &AnalyzedToken| t.stems.len() == 1;
    let mut phrases: Vec<Vec<&AnalyzedToken>> = Vec::new();
    for len in [2, 3] {
        for window in passages
            .iter()
            .flat_map(|tokens| tokens.windows(len))
            .filter(|w| {
                w.iter().all(single) && w.windows(2).all(|p| p[1].position == p[0].position + 1)
            })
            .step_by(53)
            .take(40)
        {
            phrases.push(window.iter().collect());
            // The same words in the other order: only slop finds them.
            phrases.push(window.iter().rev().collect());
        }
        // Frequent words, whose postings run over several blocks.
        let common = |t: &AnalyzedToken| single(t) && analysis::is_common(&t.stems[0]);
        for window in passages
            .iter()
            .flat_map(|tokens| tokens.windows(len))
            .filter(|w| w.iter().all(common))
            .step_by(31)
            .take(25)
        {
            phrases.push(window.iter().collect());
            phrases.push(window.iter().rev().collect());
        }
    }
    // Every match of a scored query, with its score.
    let scored = |query: &dyn Query| -> Vec<(DocId, u32)> {
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut all = Vec::new();
        for reader in searcher.segment_readers() {
            weight
                .for_each(reader, &mut |doc, score| all.push((doc, score.to_bits())))
                .unwrap();
        }
        all
    };
    let docs = |query: &dyn Query| searcher.search(query, &DocSetCollector).unwrap();
    let (mut walked, mut not_walked, mut matched, mut walked_long) = (0, 0, 0, 0);
    for phrase in &phrases {
        for slop in [0, 1, 2, 3] {
            let terms: Vec<(usize, Term)> = phrase
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(fields.text, &t.stems[0])))
                .collect();
            let block = BlockPhrase::new(terms.clone(), slop, segments.positions().clone());
            let tantivy = PhraseQuery::new_with_offset_and_slop(terms, slop);
            let label = format!(
                "{:?}~{slop}",
                phrase.iter().map(|t| &t.surface).collect::<Vec<_>>()
            );
            let expected = scored(&tantivy);
            assert_eq!(scored(&block), expected, "{label}");
            let expected_docs: std::collections::HashSet<DocAddress> = expected
                .iter()
                .map(|&(doc, _)| DocAddress::new(0, doc))
                .collect();
            assert_eq!(docs(&block), expected_docs, "{label}");
            // Postings longer than a block (128 passages), so that the walk crosses blocks.
            let rarest = phrase
                .iter()
                .map(|t| {
                    searcher
                        .doc_freq(&Term::from_field_text(fields.text, &t.stems[0]))
                        .unwrap()
                })
                .min()
                .unwrap_or(0);
            for reader in searcher.segment_readers() {
                match block.walks_blocks(reader).unwrap() {
                    true => {
                        walked += 1;
                        walked_long += usize::from(rarest >= 200);
                    }
                    false => not_walked += 1,
                }
            }
            if !expected.is_empty() {
                matched += 1;
            }

            // The engine's own plan of the phrase (with the pair of two common words), and
            // under a session filter, which seeks the phrase from run to run.
            let written: Vec<&str> = phrase.iter().map(|t| t.surface.as_str()).collect();
            let alone = format!("\"{}\"~{slop}", written.join(" "));
            for text in [alone.clone(), format!("{alone} session:11")] {
                let parsed = query::parse(&text).unwrap();
                let plain = plan::plan(&parsed, &fields).unwrap();
                let blocks = plan::plan_for(&parsed, &fields, &segments).unwrap();
                let mut ranked_tally = None;
                for window in [10, 200] {
                    let a = collect::first_stage(&segments, &plain, window).unwrap();
                    let b = collect::first_stage(&segments, &blocks, window).unwrap();
                    assert_eq!(a.window, b.window, "{text} window {window}");
                    assert_eq!(a.tally, b.tally, "{text} window {window}");
                    ranked_tally = a.tally;
                }
                // Counted apart, unscored: what the scored pass counts. (tantivy's unscored
                // check of three or more words with slop finds more than its count.)
                let apart = collect::tally(&segments, &blocks).unwrap();
                match ranked_tally {
                    Some(ranked) => assert_eq!(apart, ranked, "{text}"),
                    None => assert_eq!(apart, collect::tally(&segments, &plain).unwrap(), "{text}"),
                }
            }
        }
    }
    assert!(walked_long > 5, "walks across blocks ({walked_long})");
    assert!(
        walked > 50 && not_walked > 50,
        "both scorers ran ({walked} and {not_walked})"
    );
    assert!(matched > 100, "most phrases match ({matched})");
}
