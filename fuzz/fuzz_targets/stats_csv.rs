//! An ESP's stats CSV: checkpoints whose counts hold together, or an error; a baseline of them
//! adds up or says which column would not fit.
#![no_main]

mod common;

use incident::input::Preset;
use incident::monitor::StatsFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = StatsFile {
        path: common::scratch("stats.csv", data),
        preset: Preset::none(chrono_tz::UTC),
    };
    let Ok(read) = incident::monitor::read(&file) else {
        return;
    };
    let more = |a: Option<u64>, b: Option<u64>| matches!((a, b), (Some(a), Some(b)) if a > b);
    for c in &read.checkpoints {
        assert!(!more(c.delivered, c.sent) && !more(c.bounces, c.sent));
    }
    let _ = incident::incident::Baseline::of(&read.checkpoints, "stats.csv");
});
