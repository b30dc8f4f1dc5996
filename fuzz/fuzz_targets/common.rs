//! What the targets share: a scratch file for the readers that take a path.

use std::path::PathBuf;

/// Write `data` to this process's scratch file (in memory where the system has /dev/shm) and
/// return its path.
pub fn scratch(name: &str, data: &[u8]) -> PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let path = dir.join(format!("incident-fuzz-{}-{name}", std::process::id()));
    std::fs::write(&path, data).expect("scratch file");
    path
}
