//! The guarded writer and set commits in-process: every step of a set failing or dying, the
//! modes of what is written, and links refused wherever they stand.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{TimeZone, Utc};

use super::{LeftoverKind, Mode, Store, faults};
use crate::incident::{Incident, IncidentId, Opening, Severity};
use crate::workspace::Workspace;

fn workspace() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::with_defaults(dir.path());
    (dir, ws)
}

fn opened(store: &Store<'_>) -> Incident {
    store
        .create(Opening {
            title: "Wrong segment".into(),
            kind: "wrong-segment".into(),
            severity: Severity::Sev2,
            by: "dana".into(),
            drill: false,
            at: Utc
                .with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
                .single()
                .expect("valid time"),
        })
        .expect("created")
}

/// Replace the list and the `.eml` with `version`, noting it in the record.
fn write_set(ws: &Workspace, id: &IncidentId, version: &str) -> crate::Result<()> {
    let store = Store::new(ws);
    let mut list = store.stage(&ws.recipients_path(id), Mode::Private)?;
    list.write_all(format!("email\n{version}@example.com\n").as_bytes())?;
    let mut eml = store.stage(&ws.email_paths(id).eml, Mode::Shared)?;
    eml.write_all(format!("Subject: {version}\r\n").as_bytes())?;
    let at = Utc::now();
    store.update_with(id, vec![list, eml], |incident| {
        incident.add_note(version, "dana", at);
        Ok(())
    })?;
    Ok(())
}

/// What a reader sees: the last note in the record and the two files.
fn seen(ws: &Workspace, id: &IncidentId) -> (Option<String>, Option<String>, Option<String>) {
    let incident = Store::new(ws).load(id).expect("the record reads");
    let note = incident.timeline.last().and_then(|e| e.message.clone());
    let read = |p: &Path| std::fs::read_to_string(p).ok();
    (
        note,
        read(&ws.recipients_path(id)),
        read(&ws.email_paths(id).eml),
    )
}

/// Names starting with a dot other than the lock, anywhere under incidents/.
fn hidden_files(ws: &Workspace) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![ws.incidents_dir()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("lists").flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().is_dir() {
                folders.push(entry.path());
            } else if name.starts_with('.') && name != ".lock" {
                found.push(name);
            }
        }
    }
    found
}

fn umask_mode(dir: &Path) -> u32 {
    let probe = dir.join("probe");
    std::fs::write(&probe, "").expect("probe");
    let mode = std::fs::metadata(&probe)
        .expect("stat")
        .permissions()
        .mode()
        & 0o777;
    std::fs::remove_file(probe).expect("remove");
    mode
}

#[test]
fn a_set_commits_whole_with_the_mode_of_each_kind_of_file() {
    let (dir, ws) = workspace();
    let store = Store::new(&ws);
    let id = opened(&store).id;
    write_set(&ws, &id, "v1").expect("committed");
    let (note, list, eml) = seen(&ws, &id);
    assert_eq!(note.as_deref(), Some("v1"));
    assert!(list.expect("list").contains("v1@"));
    assert!(eml.expect("eml").contains("v1"));
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&ws.recipients_path(&id)), 0o600);
    let shared = umask_mode(dir.path());
    assert_eq!(mode(&ws.email_paths(&id).eml), shared);
    assert_eq!(mode(&ws.record_path(&id)), shared);
    assert!(hidden_files(&ws).is_empty(), "{:?}", hidden_files(&ws));
}

#[test]
fn a_failure_at_any_step_leaves_the_old_set_and_no_temporary_file() {
    let (_dir, ws) = workspace();
    let id = opened(&Store::new(&ws)).id;
    write_set(&ws, &id, "v1").expect("committed");
    let before = seen(&ws, &id);
    for (point, n) in [
        ("backup", 0),
        ("file", 0),
        ("backup", 1),
        ("file", 1),
        ("record", 0),
    ] {
        faults::fail_at(point, n);
        let err = write_set(&ws, &id, "v2").expect_err("fails");
        assert!(err.to_string().contains(&format!("({point} {n})")), "{err}");
        assert_eq!(seen(&ws, &id), before, "after a failure at {point} {n}");
        assert!(
            hidden_files(&ws).is_empty(),
            "{point} {n}: {:?}",
            hidden_files(&ws)
        );
    }
}

#[test]
fn a_first_set_that_fails_leaves_no_file_behind() {
    let (_dir, ws) = workspace();
    let id = opened(&Store::new(&ws)).id;
    faults::fail_at("record", 0);
    write_set(&ws, &id, "v1").expect_err("fails");
    assert_eq!(seen(&ws, &id).1, None, "no list without its count");
    assert_eq!(seen(&ws, &id).2, None);
}

#[test]
fn a_set_killed_midway_is_undone_or_finished_by_the_next_reader() {
    let (_dir, ws) = workspace();
    let id = opened(&Store::new(&ws)).id;
    write_set(&ws, &id, "v1").expect("committed");
    let old = seen(&ws, &id);
    for (point, n) in [("backup", 0), ("file", 0), ("file", 1), ("record", 0)] {
        faults::crash_at(point, n);
        write_set(&ws, &id, "v2").expect_err("dies");
        let leftovers = Store::new(&ws).leftovers().expect("lists");
        assert!(
            leftovers.iter().any(|l| l.kind == LeftoverKind::Journal),
            "{point} {n}: {leftovers:?}"
        );
        assert_eq!(seen(&ws, &id), old, "{point} {n}: undone");
        assert!(
            hidden_files(&ws).is_empty(),
            "{point} {n}: {:?}",
            hidden_files(&ws)
        );
    }
    // Dead after the record was in place: the set is finished, not undone.
    faults::crash_at("tidy", 0);
    write_set(&ws, &id, "v3").expect("the record was written");
    assert_eq!(seen(&ws, &id).0.as_deref(), Some("v3"));
    assert!(seen(&ws, &id).1.expect("list").contains("v3@"));
    assert!(hidden_files(&ws).is_empty(), "{:?}", hidden_files(&ws));
}

#[test]
fn links_are_refused_wherever_they_stand_and_nothing_is_written_through_them() {
    let (dir, ws) = workspace();
    let store = Store::new(&ws);
    let id = opened(&store).id;
    let outside = tempfile::tempdir().expect("outside");
    let link = |target: &Path, at: &Path| std::os::unix::fs::symlink(target, at).expect("link");

    // The incident's folder.
    link(outside.path(), &ws.incident_dir(&id));
    let err = write_set(&ws, &id, "v1").expect_err("refused");
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    std::fs::remove_file(ws.incident_dir(&id)).expect("unlink");

    // A file of the set.
    write_set(&ws, &id, "v1").expect("committed");
    std::fs::remove_file(ws.recipients_path(&id)).expect("remove");
    link(&outside.path().join("list.csv"), &ws.recipients_path(&id));
    let err = write_set(&ws, &id, "v2").expect_err("refused");
    assert!(
        err.to_string()
            .contains("recipients.csv: is a symbolic link"),
        "{err}"
    );
    std::fs::remove_file(ws.recipients_path(&id)).expect("unlink");

    // The record itself.
    let record = ws.record_path(&id);
    std::fs::rename(&record, outside.path().join("record.yaml")).expect("move");
    link(&outside.path().join("record.yaml"), &record);
    let err = store.update(&id, |_| Ok(())).expect_err("refused");
    assert!(err.to_string().contains("is a symbolic link"), "{err}");
    std::fs::remove_file(&record).expect("unlink");

    // The lock.
    std::fs::remove_file(ws.lock_path()).expect("unlock");
    link(&outside.path().join("lock"), &ws.lock_path());
    assert!(store.lock().is_err());

    assert_eq!(
        std::fs::read_dir(outside.path()).expect("lists").count(),
        1,
        "only the record moved there by the test"
    );
    drop(dir);
}

#[test]
fn a_symlinked_incidents_folder_is_refused_for_reading_and_writing() {
    let (dir, ws) = workspace();
    let outside = tempfile::tempdir().expect("outside");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("incidents")).expect("link");
    let store = Store::new(&ws);
    assert!(
        store
            .ids()
            .expect_err("refused")
            .to_string()
            .contains("incidents: is a symbolic link")
    );
    assert!(store.lock().is_err());
    assert_eq!(std::fs::read_dir(outside.path()).expect("lists").count(), 0);
}

#[test]
fn a_temporary_file_of_a_living_writer_is_kept_and_a_dead_ones_swept() {
    let (_dir, ws) = workspace();
    let store = Store::new(&ws);
    let id = opened(&store).id;
    let living = store
        .stage(&ws.recipients_path(&id), Mode::Private)
        .expect("staged");
    let dead = ws.incident_dir(&id).join(".email.eml.1-2-3.incident-tmp");
    std::fs::write(&dead, "half").expect("write");
    let found = store.leftovers().expect("lists");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].path, dead);
    drop(store.lock().expect("locks"));
    assert!(!dead.exists(), "swept");
    assert_eq!(hidden_files(&ws).len(), 1, "the living writer's file stays");
    drop(living);
    assert!(hidden_files(&ws).is_empty(), "removed when dropped");
}

#[test]
fn a_new_record_never_replaces_a_file_of_its_id() {
    let (_dir, ws) = workspace();
    let store = Store::new(&ws);
    let first = opened(&store);
    // A file with the next ID that does not read as a record.
    let next = IncidentId::after(first.id.date(), first.id.sequence()).expect("id");
    std::fs::write(ws.record_path(&next), "not: [a record").expect("write");
    assert_eq!(opened(&store).id.sequence(), next.sequence() + 1);
    assert_eq!(
        std::fs::read_to_string(ws.record_path(&next)).expect("kept"),
        "not: [a record"
    );
}

#[test]
fn a_journal_naming_other_files_is_refused_and_nothing_is_renamed() {
    let (dir, ws) = workspace();
    let store = Store::new(&ws);
    let id = opened(&store).id;
    std::fs::write(dir.path().join("incident.toml"), "locale = \"en\"\n").expect("write");
    let journal = format!(
        r#"{{"record":"{id}.yaml","record_temp":".x.incident-tmp","files":[{{"folder":"..","name":"incident.toml","temp":".t.incident-tmp","backup":".b.incident-old","had_old":false}}]}}"#
    );
    std::fs::write(
        ws.incidents_dir()
            .join(format!(".{id}.yaml.incident-journal")),
        journal,
    )
    .expect("write");
    let err = store.lock().err().expect("refused");
    assert!(
        err.to_string()
            .contains("names files the tool does not write"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("incident.toml")).expect("kept"),
        "locale = \"en\"\n"
    );
}
