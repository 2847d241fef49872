//! Any query through the parser and the planner: an error is fine, a panic is not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let (_, fields) = fahras::index::Fields::schema();
    if let Ok(parsed) = fahras::search::query::parse(&query) {
        let _ = fahras::search::plan::plan(&parsed, &fields);
    }
});
