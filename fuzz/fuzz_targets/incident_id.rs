//! An incident ID as typed: refused, or one that prints back exactly as typed and is a safe
//! file name.
#![no_main]

use incident::incident::IncidentId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(id) = text.parse::<IncidentId>() {
        assert_eq!(id.to_string(), text);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    }
});
