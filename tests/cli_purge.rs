//! Retention purge (issue 8): `kadian purge` removes names, ID numbers and phones from the
//! records of older days — from the store, its indexes and the journal — and keeps the
//! records, dispositions and tallies; it is a ledger entry; `verify` holds; a dry run changes
//! nothing; a store rebuilt from the journal alone is purged too; bundles carry the purge.

mod common;

use common::{NORMAL, PIN, YELLOW, kadian, kadian_en, ready};
use predicates::prelude::*;
use std::path::Path;

/// Adds records as if logged at `now` (an RFC 3339 instant).
fn add_at(dir: &Path, now: &str, lines: &[&str]) {
    kadian(dir)
        .env("KADIAN_NOW", now)
        .args(["add", "--officer", "S01"])
        .write_stdin(lines.join("\n") + "\n")
        .assert()
        .success();
}

/// A list as a leader sees it revealed (with their PIN; audited): purged details must be
/// gone even then.
fn revealed(dir: &Path, by: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.extend(["--reveal", "--by", by]);
    json_lines(dir, &all)
}

fn json_lines(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = kadian(dir)
        .args(args)
        .arg("--format")
        .arg("json")
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A new command post, with its leader Z01, that trusts the laptop whose key file is `key`.
fn command_post_trusting(key: &Path) -> tempfile::TempDir {
    let post = tempfile::tempdir().unwrap();
    kadian(post.path())
        .args(["init", "--command-post", "指挥部"])
        .assert()
        .success();
    kadian(post.path())
        .args([
            "staff",
            "add",
            "--code",
            "Z01",
            "--name",
            "周指挥",
            "--role",
            "leader",
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
    kadian(post.path())
        .args(["trust", "add", "--by", "Z01"])
        .arg(key)
        .assert()
        .success();
    post
}

fn report(dir: &Path, day: &str) -> serde_json::Value {
    json_lines(dir, &["report", "--day", day]).remove(0)["counts"].clone()
}

#[test]
fn purge_removes_personal_details_of_old_days_and_keeps_the_tallies() {
    let dir = ready();
    add_at(
        dir.path(),
        "2026-10-01T02:00:00Z",
        &[YELLOW, NORMAL, YELLOW],
    );
    add_at(dir.path(), "2026-11-24T01:00:00Z", &[YELLOW]);
    // A correction of an old record's phone, before the purge.
    let old = revealed(dir.path(), "S01", &["list", "--day", "2026-10-01"]);
    let yellow_id = old
        .iter()
        .find(|r| r["persons"][0]["name"] == "王小明")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    kadian(dir.path())
        .args([
            "amend",
            &yellow_id,
            "--set",
            "persons[0].phone=13900002222",
            "--reason",
            "号码记错",
            "--by",
            "S01",
        ])
        .assert()
        .success();
    let before = report(dir.path(), "2026-10-01");
    // Dry run: counts, changes nothing.
    kadian_en(dir.path())
        .args(["purge", "--policy", "--by", "S01", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "[dry run] before 2026-10-27: 2 records, 2 persons",
        ));
    assert_eq!(
        revealed(dir.path(), "S01", &["list", "--id-suffix", "002X"]).len(),
        3,
        "nothing removed by the dry run"
    );
    kadian_en(dir.path())
        .args(["purge", "--policy", "--by", "S01"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("2 records, 2 persons")
                .and(predicate::str::contains("journal frames rewritten")),
        );
    // Old days: no personal details in the records, the history, the indexes.
    for r in revealed(dir.path(), "S01", &["list", "--day", "2026-10-01"]) {
        assert!(
            r["persons"][0].get("name").is_none_or(|n| n.is_null()),
            "{r}"
        );
        assert!(!r.to_string().contains("1101"), "{r}");
    }
    let history = kadian(dir.path())
        .args([
            "show",
            &yellow_id,
            "--history",
            "--format",
            "json",
            "--reveal",
            "--by",
            "S01",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let history = String::from_utf8_lossy(&history);
    assert!(
        !history.contains("王小明")
            && !history.contains("13900002222")
            && !history.contains("1101"),
        "{history}"
    );
    let found = revealed(dir.path(), "S01", &["list", "--id-suffix", "002X"]);
    assert_eq!(
        found.len(),
        1,
        "only today's registration is still searchable"
    );
    assert_eq!(
        revealed(dir.path(), "S01", &["list", "--name", "王小明"]).len(),
        1
    );
    // The tally of the purged day is unchanged; today's records keep their details.
    assert_eq!(report(dir.path(), "2026-10-01"), before);
    assert_eq!(found[0]["persons"][0]["name"], "王小明");
    kadian(dir.path()).arg("verify").assert().success();
    // The journal holds no old personal detail either: rebuilt from it alone, still purged.
    let data = dir.path().join("data");
    let journal = std::fs::read(data.join("journal.log")).unwrap();
    let count = |needle: &str| {
        journal
            .windows(needle.len())
            .filter(|w| *w == needle.as_bytes())
            .count()
    };
    assert_eq!(
        count("13900002222"),
        0,
        "the corrected phone is gone from the journal"
    );
    std::fs::remove_dir_all(data.join("db")).unwrap();
    {
        // Reopening an empty db replays the whole journal (a rebuild).
        let store = kadian::store::Store::open(&data).unwrap();
        store.close().unwrap();
    }
    kadian(dir.path()).arg("verify").assert().success();
    assert_eq!(
        revealed(dir.path(), "S01", &["list", "--id-suffix", "002X"]).len(),
        1
    );
    assert_eq!(report(dir.path(), "2026-10-01"), before);
    // The purge is recorded, and cannot reach into the future.
    kadian_en(dir.path())
        .args(["purge", "--before", "2026-12-01", "--by", "S01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Before"));
}

#[test]
fn a_purge_travels_in_bundles_and_late_records_of_purged_days_arrive_purged() {
    let lane = ready();
    add_at(lane.path(), "2026-10-01T02:00:00Z", &[YELLOW]);
    let files = tempfile::tempdir().unwrap();
    let early = files.path().join("early.kdb");
    kadian(lane.path())
        .args(["sync", "--out"])
        .arg(&early)
        .assert()
        .success();
    kadian(lane.path())
        .args(["purge", "--before", "2026-11-01", "--by", "S01"])
        .assert()
        .success();
    let late = files.path().join("late.kdb");
    kadian(lane.path())
        .args(["sync", "--since", "all", "--out"])
        .arg(&late)
        .assert()
        .success();
    let bytes = std::fs::read(&late).unwrap();
    assert!(
        kadian::sync::read(&late)
            .unwrap()
            .entries()
            .unwrap()
            .iter()
            .all(|e| !format!("{:?}", e.entry).contains("王小明"))
    );
    assert!(!bytes.is_empty());
    // The command post gets the purged bundle first, then the early one: no conflict, and
    // the early record is stored purged.
    let key = files.path().join("lane.key");
    kadian(lane.path())
        .args(["trust", "export", "--out"])
        .arg(&key)
        .assert()
        .success();
    let post = command_post_trusting(&key);
    kadian(post.path())
        .args(["import", "--by", "Z01", "--lang", "en"])
        .arg(&late)
        .assert()
        .success()
        .stdout(predicate::str::contains("purge 1"));
    kadian(post.path())
        .args(["import", "--by", "Z01", "--lang", "en"])
        .arg(&early)
        .assert()
        .success()
        .stdout(predicate::str::contains("conflicts 0"));
    let listed = kadian(post.path())
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!String::from_utf8_lossy(&listed).contains("王小明"));
    kadian(post.path()).arg("verify").assert().success();
    let in_journal = |dir: &Path| {
        let j = std::fs::read(dir.join("data").join("journal.log")).unwrap();
        let name = "王小明".as_bytes();
        j.windows(name.len()).any(|w| w == name)
    };
    assert!(
        !in_journal(post.path()),
        "a late record of a purged day is journaled purged"
    );
    // The other order: the record first, then the purge (a bundle smaller than one import
    // chunk): the journal is scrubbed too.
    let post2 = command_post_trusting(&key);
    for f in [&early, &late] {
        kadian(post2.path())
            .args(["import", "--by", "Z01", "--lang", "en"])
            .arg(f)
            .assert()
            .success();
    }
    assert!(!in_journal(post2.path()), "the purge scrubbed the journal");
    kadian(post2.path()).arg("verify").assert().success();
}

#[test]
fn a_purge_typed_at_a_command_post_covers_every_checkpoint_it_holds() {
    let lane = ready();
    add_at(lane.path(), "2026-10-01T02:00:00Z", &[YELLOW]);
    add_at(lane.path(), "2026-11-24T01:00:00Z", &[YELLOW]);
    let files = tempfile::tempdir().unwrap();
    let b = files.path().join("b.kdb");
    kadian(lane.path())
        .args(["sync", "--out"])
        .arg(&b)
        .assert()
        .success();
    let key = files.path().join("lane.key");
    kadian(lane.path())
        .args(["trust", "export", "--out"])
        .arg(&key)
        .assert()
        .success();
    let post = command_post_trusting(&key);
    kadian(post.path())
        .args(["import", "--by", "Z01", "--lang", "en"])
        .arg(&b)
        .assert()
        .success();
    kadian_en(post.path())
        .args(["purge", "--before", "2026-11-01", "--by", "Z01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 records, 1 persons"));
    assert_eq!(
        revealed(post.path(), "Z01", &["list", "--name", "王小明"]).len(),
        1,
        "today's kept"
    );
    assert_eq!(
        revealed(post.path(), "Z01", &["list", "--id-suffix", "002X"]).len(),
        1
    );
    kadian(post.path()).arg("verify").assert().success();
    // Importing the same (unpurged) bundle again adds nothing and raises no conflict.
    kadian(post.path())
        .args(["import", "--by", "Z01", "--lang", "en"])
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0").and(predicate::str::contains("conflicts 0")));
    let journal = std::fs::read(post.path().join("data").join("journal.log")).unwrap();
    let old_phone_kept = journal.windows(11).filter(|w| *w == b"13900001111").count();
    assert_eq!(
        old_phone_kept, 1,
        "only today's record keeps its phone in the journal"
    );
}
