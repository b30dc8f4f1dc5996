//! An incident record: parsed or refused; a record that parses is checked for flaws and
//! written and read back to the same record.
#![no_main]

use incident::store::{parse_record, to_yaml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = std::path::Path::new("INC-20261126-001.yaml");
    let Ok(incident) = parse_record(path, text) else {
        return;
    };
    let _ = incident.flaws(chrono::Utc::now());
    let yaml = to_yaml(&incident).expect("a parsed record encodes");
    let back = parse_record(path, &yaml).expect("what the tool writes, it reads");
    // NaN answers are not equal to themselves; compare what they say.
    assert_eq!(format!("{back:?}"), format!("{incident:?}"));
});
