//! Any bytes, read as text, through the analyzer: offsets must slice the original.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for token in fahras::analysis::analyze(&text) {
        assert_eq!(&text[token.offset_from..token.offset_to], token.surface);
        assert!(!token.stems.is_empty());
    }
    let folded = fahras::analysis::fold(&text);
    assert_eq!(fahras::analysis::fold(&folded), folded);
});
