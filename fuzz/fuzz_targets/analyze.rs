//! Any bytes, read as text, through the analyzers: offsets must slice the original.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tantivy::tokenizer::TokenStream;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for token in fahras::analysis::analyze(&text) {
        assert_eq!(&text[token.offset_from..token.offset_to], token.surface);
        assert!(!token.stems.is_empty());
    }
    let mut pairs = fahras::analysis::pair_analyzer();
    let mut stream = pairs.token_stream(&text);
    while let Some(pair) = stream.next() {
        assert!(pair.offset_from < pair.offset_to && pair.offset_to <= text.len());
        assert_eq!(pair.text.matches(' ').count(), 1, "a pair is two words");
    }
    let folded = fahras::analysis::fold(&text);
    assert_eq!(fahras::analysis::fold(&folded), folded);
});
