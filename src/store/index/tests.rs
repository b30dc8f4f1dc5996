//! The index against the records it caches: each change of a record is seen.

use std::fs;
use std::time::{Duration, SystemTime};

use super::*;
use crate::incident::{Opening, Severity};
use crate::workspace::Workspace;

fn opening(title: &str) -> Opening {
    Opening {
        title: title.into(),
        kind: "wrong-segment".into(),
        severity: Severity::Sev2,
        by: "dana".into(),
        drill: false,
        at: "2026-11-26T10:00:00Z".parse().expect("valid time"),
    }
}

fn titles(store: &Store<'_>) -> Vec<String> {
    store
        .briefs()
        .expect("lists")
        .into_iter()
        .map(|(id, brief)| match brief {
            Ok(brief) => brief.title,
            Err(err) => format!("{id}: {err}"),
        })
        .collect()
}

/// Give the index file the modification time `now + seconds`, as if written then.
fn index_written_in(ws: &Workspace, seconds: u64) {
    let file = fs::File::options()
        .append(true)
        .open(ws.index_path())
        .expect("opens");
    let at = SystemTime::now() + Duration::from_secs(seconds);
    file.set_modified(at).expect("sets the time");
}

fn index(ws: &Workspace) -> IndexFile<Vec<Cached>> {
    postcard::from_bytes(&fs::read(ws.index_path()).expect("index written")).expect("parses")
}

fn setup() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::with_defaults(dir.path());
    (dir, ws)
}

/// Replace a title in a record file by hand, keeping its size when the titles are as long.
fn edit(ws: &Workspace, id: &IncidentId, from: &str, to: &str) {
    let path = ws.record_path(id);
    let text = fs::read_to_string(&path).expect("reads");
    fs::write(&path, text.replace(from, to)).expect("writes");
}

#[test]
fn the_index_is_written_and_then_used() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let a = store.create(opening("First")).expect("creates").id;
    store.create(opening("Second")).expect("creates");
    assert_eq!(titles(&store), ["First", "Second"]);
    assert_eq!(titles(&store), ["First", "Second"]);
    let index = index(&ws);
    assert_eq!(index.records.len(), 2);
    assert_eq!(index.records[0].brief.id, a);
    assert_eq!(index.records[0].brief.title, "First");
    assert!(ws.gitignore_path().exists(), "the index is kept out of git");
}

#[test]
fn a_record_changed_in_size_or_time_is_read_again() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let id = store.create(opening("Before")).expect("creates").id;
    titles(&store);
    // Longer: the size changes.
    edit(&ws, &id, "title: Before", "title: Before, longer");
    assert_eq!(titles(&store), ["Before, longer"]);
    // The same size: the times change.
    edit(&ws, &id, "title: Before, longer", "title: Before, LONGER");
    assert_eq!(titles(&store), ["Before, LONGER"]);
}

#[test]
fn an_edit_keeping_the_size_with_its_time_put_back_is_seen() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let id = store.create(opening("Same")).expect("creates").id;
    let path = ws.record_path(&id);
    let times = fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    assert_eq!(titles(&store), ["Same"]);
    // An edit that neither the size nor the modification time tells: the change time does,
    // and the record was changed too close to the index's writing to be trusted anyway.
    edit(&ws, &id, "title: Same", "title: SAME");
    let file = fs::File::options().append(true).open(&path).expect("opens");
    file.set_modified(times).expect("restores the time");
    assert_eq!(titles(&store), ["SAME"]);
}

/// Plant a title in the index, beside the record's own stamp: what is listed then shows
/// whether the index was trusted.
fn plant(ws: &Workspace) {
    let mut planted = index(ws);
    for cached in &mut planted.records {
        cached.brief.title = "From the index".into();
    }
    fs::write(
        ws.index_path(),
        postcard::to_allocvec(&planted).expect("encodes"),
    )
    .expect("writes");
}

#[test]
fn an_unchanged_record_is_read_from_the_index_once_it_is_not_racy() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    store.create(opening("Real")).expect("creates");
    titles(&store);
    plant(&ws);
    index_written_in(&ws, 1);
    assert_eq!(
        titles(&store),
        ["Real"],
        "changed within two seconds of the index's writing: read again"
    );
    plant(&ws);
    index_written_in(&ws, 10);
    assert_eq!(titles(&store), ["From the index"]);
}

#[test]
fn a_racy_record_no_longer_racy_is_written_into_the_index_again() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    store.create(opening("Real")).expect("creates");
    titles(&store);
    let first = fs::metadata(ws.index_path())
        .expect("stat")
        .modified()
        .expect("mtime");
    std::thread::sleep(Duration::from_millis(2100));
    titles(&store);
    let second = fs::metadata(ws.index_path())
        .expect("stat")
        .modified()
        .expect("mtime");
    assert!(
        second > first,
        "rewritten, so that the next command trusts it"
    );
    titles(&store);
    let third = fs::metadata(ws.index_path())
        .expect("stat")
        .modified()
        .expect("mtime");
    assert_eq!(third, second, "then left alone");
}

#[test]
fn deleted_records_leave_and_new_ones_join() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let gone = store.create(opening("Gone")).expect("creates").id;
    let kept = store.create(opening("Kept")).expect("creates").id;
    titles(&store);
    fs::remove_file(ws.record_path(&gone)).expect("removes");
    let new = store.create(opening("New")).expect("creates").id;
    assert_eq!(titles(&store), ["Kept", "New"]);
    let ids: Vec<IncidentId> = index(&ws).records.into_iter().map(|c| c.brief.id).collect();
    assert_eq!(ids, [kept, new]);
}

#[test]
fn a_corrupt_or_other_version_index_is_rebuilt() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    store.create(opening("Kept")).expect("creates");
    titles(&store);
    for garbage in [
        b"\0\0\0 not json".to_vec(),
        br#"{"format": 999, "tool": "0.1.0", "records": {}}"#.to_vec(),
        br#"{"format": 2, "tool": "0.0.0-other", "records": {}}"#.to_vec(),
        br#"{"format": 2, "tool": "0.1.0", "records": [{"stamp": 3}]}"#.to_vec(),
        Vec::new(),
    ] {
        fs::write(ws.index_path(), &garbage).expect("writes");
        assert_eq!(
            titles(&store),
            ["Kept"],
            "{}",
            String::from_utf8_lossy(&garbage)
        );
        assert_eq!(index(&ws).records.len(), 1, "rebuilt");
    }
    // Cut short, or with a byte changed: the title no longer decodes, or the tool's version
    // reads otherwise.
    let whole = fs::read(ws.index_path()).expect("reads");
    let mut flipped = whole.clone();
    flipped[5] ^= 0x40;
    for broken in [whole[..whole.len() / 2].to_vec(), flipped] {
        fs::write(ws.index_path(), &broken).expect("writes");
        assert_eq!(titles(&store), ["Kept"]);
        assert_eq!(fs::read(ws.index_path()).expect("reads"), whole, "rebuilt");
    }
}

#[test]
fn an_index_that_is_a_link_is_neither_read_nor_written_through() {
    let (dir, ws) = setup();
    let store = Store::new(&ws);
    store.create(opening("Real")).expect("creates");
    let target = dir.path().join("elsewhere.json");
    fs::write(&target, "outside").expect("writes");
    std::os::unix::fs::symlink(&target, ws.index_path()).expect("links");
    assert_eq!(titles(&store), ["Real"]);
    assert_eq!(fs::read_to_string(&target).expect("reads"), "outside");
}

#[test]
fn an_unreadable_record_is_an_error_and_stays_out_of_the_index() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let id = store.create(opening("Broken")).expect("creates").id;
    titles(&store);
    fs::write(ws.record_path(&id), "title: [unclosed").expect("writes");
    let listed = titles(&store);
    assert!(listed[0].starts_with(&format!("{id}: ")), "{listed:?}");
    assert!(index(&ws).records.is_empty());
}

#[test]
fn a_team_gitignore_gets_the_line_once() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    store.create(opening("One")).expect("creates");
    fs::write(ws.gitignore_path(), "*.bak").expect("writes");
    titles(&store);
    assert_eq!(
        fs::read_to_string(ws.gitignore_path()).expect("reads"),
        "*.bak\n.index\n"
    );
    store.create(opening("Two")).expect("creates");
    titles(&store);
    assert_eq!(
        fs::read_to_string(ws.gitignore_path()).expect("reads"),
        "*.bak\n.index\n"
    );
}

#[test]
fn a_stamp_is_racy_within_two_seconds_before_a_time_and_after_it() {
    let stamp = |modified: i64, changed: i64| Stamp {
        size: 1,
        modified,
        changed,
        inode: 1,
    };
    let second = 1_000_000_000;
    let at = 100 * second;
    assert!(!stamp(97 * second, 97 * second).racy(at));
    assert!(
        !stamp(98 * second, 98 * second).racy(at),
        "two seconds before"
    );
    assert!(stamp(98 * second + 1, 0).racy(at));
    assert!(stamp(0, 99 * second).racy(at), "the change time counts too");
    assert!(stamp(at, at).racy(at), "the same tick");
    assert!(stamp(at + second, 0).racy(at), "after it");
}

#[test]
fn a_large_workspace_looked_at_on_two_threads_sees_every_change() {
    let (_dir, ws) = setup();
    let store = Store::new(&ws);
    let ids: Vec<IncidentId> = (0..THREADED_FROM + 4)
        .map(|n| {
            store
                .create(opening(&format!("Record {n:03}")))
                .expect("creates")
                .id
        })
        .collect();
    titles(&store);
    edit(
        &ws,
        &ids[1],
        "title: Record 001",
        "title: Record 001, edited",
    );
    fs::remove_file(ws.record_path(&ids[2])).expect("removes");
    fs::write(ws.record_path(&ids[THREADED_FROM]), "title: [unclosed").expect("writes");
    let listed = titles(&store);
    assert_eq!(listed.len(), THREADED_FROM + 3);
    assert_eq!(
        listed[..3],
        ["Record 000", "Record 001, edited", "Record 003"]
    );
    let broken = &listed[THREADED_FROM - 1];
    assert!(
        broken.starts_with(&format!("{}: ", ids[THREADED_FROM])),
        "{broken}"
    );
    let last = format!("Record {:03}", THREADED_FROM + 3);
    assert_eq!(listed.last(), Some(&last));
    assert_eq!(index(&ws).records.len(), THREADED_FROM + 2);
}
