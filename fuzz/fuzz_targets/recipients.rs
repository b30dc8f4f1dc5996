//! A recipient list as `incident email` and `incident check` count it: a count or an error.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("recipients.csv", data);
    let _ = incident::audience::count_recipients(&path);
});
