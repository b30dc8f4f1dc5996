//! An answers file, read from disk (size limit, BOM, UTF-8 with line and column) and checked
//! against every built-in runbook: an error or typed answers, never a panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use incident::runbook::Catalog;
use incident::walk::AnswersFile;
use libfuzzer_sys::fuzz_target;

/// The built-in runbooks, parsed once.
fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins"))
}

fuzz_target!(|data: &[u8]| {
    let path = common::scratch("answers.yaml", data);
    let Ok(file) = AnswersFile::read(&path) else {
        return;
    };
    for entry in catalog().entries() {
        let _ = file.typed(&entry.runbook, chrono::Utc::now());
    }
});
