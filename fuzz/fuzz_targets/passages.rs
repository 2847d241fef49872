//! Any text through passage splitting, metadata extraction and citation reading.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for passage in fahras::corpus::split_passages(&text) {
        assert_eq!(
            &text[passage.start..passage.start + passage.text.len()],
            passage.text
        );
        let _ = fahras::corpus::citations::convention_articles(&passage.text);
        let _ = fahras::corpus::citations::decisions(&passage.text);
        let _ = fahras::corpus::citations::document_symbols(&passage.text);
    }
    let _ = fahras::corpus::metadata::extract(&text);
});
