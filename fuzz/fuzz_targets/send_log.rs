//! A send log read by `incident audience` (Python's csv rules, its limits): an audience whose
//! counts add up, or an error naming the line.
#![no_main]

mod common;

use incident::audience::{InputFile, Inputs, Query};
use incident::input::Preset;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inputs = Inputs {
        sends: InputFile {
            path: common::scratch("sends.csv", data),
            preset: Preset::none(chrono_tz::UTC),
        },
        suppressions: Vec::new(),
        excludes: Vec::new(),
    };
    let query = Query::new(None, Vec::new(), Vec::new(), None, None);
    if let Ok(audience) = incident::audience::compute(&query, &inputs, &|_| {}) {
        assert!(audience.affected() <= audience.rows_matched);
        assert!(audience.rows_matched <= audience.rows_read);
    }
});
