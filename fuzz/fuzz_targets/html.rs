//! The HTML scanner the apology's checks read: facts about any HTML, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(html) = std::str::from_utf8(data) {
        let _ = incident::email::html::scan(html);
    }
});
