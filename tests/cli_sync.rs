//! The sync commands (issue 7) through the real binary: `kadian sync`, `kadian import`,
//! `kadian trust`, `kadian init --command-post`, and the command post's `report`/`export`.

mod common;

use common::{NORMAL, PIN, YELLOW, kadian, ready};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// The command in English, for the assertions on its text (results are in one language,
/// the user's: zh by default).
fn kadian_en(dir: &Path) -> assert_cmd::Command {
    let mut c = kadian(dir);
    c.args(["--lang", "en"]);
    c
}

fn add(dir: &Path, lines: &[&str]) {
    kadian(dir)
        .args(["add", "--officer", "S01"])
        .write_stdin(lines.join("\n") + "\n")
        .assert()
        .success();
}

fn sync(dir: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let out = kadian(dir)
        .args(["sync", "--format", "json", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn key_of(dir: &Path) -> PathBuf {
    let k = dir.join("laptop.key");
    kadian(dir)
        .args(["trust", "export", "--out"])
        .arg(&k)
        .assert()
        .success();
    k
}

/// A staff member (with the PIN every test member has): a leader imports bundles.
fn staff(dir: &Path, code: &str, role: &str) {
    kadian(dir)
        .args([
            "staff",
            "add",
            "--code",
            code,
            "--name",
            "周指挥",
            "--role",
            role,
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
}

fn command_post() -> tempfile::TempDir {
    let post = tempfile::tempdir().unwrap();
    kadian(post.path())
        .args(["init", "--command-post", "常德市指挥部"])
        .assert()
        .success()
        .stdout(predicate::str::contains("常德市指挥部"));
    staff(post.path(), "S01", "leader");
    post
}

#[test]
fn sync_import_trust_round_trip_at_a_command_post() {
    let lane = ready();
    add(lane.path(), &[NORMAL, YELLOW]);
    let files = tempfile::tempdir().unwrap();
    let b1 = files.path().join("b1.kdb");
    let h = sync(lane.path(), &b1, &["--to", "county"]);
    assert_eq!(h["header"]["counts"]["record"], 2);
    assert_eq!(h["header"]["checkpoint"], "T01");
    let post = command_post();
    // Untrusted: refused with the fingerprint and how to trust, nothing imported.
    kadian_en(post.path())
        .args(["import", "--by", "S01"])
        .arg(&b1)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("untrusted laptop").and(predicate::str::contains("--trust")),
        );
    kadian(post.path())
        .args(["report", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""checkpoints":[]"#));
    kadian_en(post.path())
        .args(["trust", "add", "--by", "S01"])
        .arg(key_of(lane.path()))
        .assert()
        .success()
        .stdout(predicate::str::contains("trusted laptop"));
    kadian_en(post.path())
        .args(["import", "--by", "S01", "--dry-run"])
        .arg(&b1)
        .assert()
        .success()
        .stdout(predicate::str::contains("[dry run]").and(predicate::str::contains("record 2")));
    // Trusted, not yet imported: listed as known and not reporting, with nothing counted.
    kadian(post.path())
        .args(["report", "--format", "json"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(r#""missing_reports":["T01"]"#)
                .and(predicate::str::contains(r#""records":0"#)),
        );
    kadian_en(post.path())
        .args(["import", "--by", "S01"])
        .arg(&b1)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "added 4 (checkpoint 1, record 2, reference 1)",
        ));
    kadian_en(post.path())
        .args(["import", "--by", "S01"])
        .arg(&b1)
        .arg(&b1)
        .assert()
        .success()
        .stdout(predicate::str::contains("added 0 (-), skipped 4"));
    // In the default language, one language only.
    kadian(post.path())
        .args(["import", "--by", "S01"])
        .arg(&b1)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("新增 0（-），已有 4")
                .and(predicate::str::contains("added").not()),
        );
    // The consolidated report names T01 as not reported; the lane signs, syncs again.
    let report = kadian(post.path())
        .args(["report", "--format", "json", "--day", "2026-11-24"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: serde_json::Value = serde_json::from_slice(&report).unwrap();
    assert_eq!(r["missing_reports"][0], "T01");
    assert_eq!(r["total"]["records"], 2);
    assert_eq!(r["checkpoints"][0]["counts"]["abnormal"], 1);
    {
        // The lane's leader signs the day report (as the 日报 tab does).
        let store = kadian::store::Store::open(&lane.path().join("data")).unwrap();
        let s01 = store.officer("S01").unwrap().unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339(common::NOW)
            .unwrap()
            .to_utc();
        store
            .sign_report(&s01.code, day, "一人黄码，已推送社区。", "", now)
            .unwrap();
        store.close().unwrap();
    }
    // Since last for "county": only what is new.
    add(lane.path(), &[NORMAL]);
    let b2 = files.path().join("b2.kdb");
    let h2 = sync(lane.path(), &b2, &["--to", "county"]);
    assert_eq!(h2["header"]["counts"]["record"], 1);
    kadian(post.path())
        .args(["import", "--by", "S01"])
        .arg(&b2)
        .assert()
        .success();
    kadian(post.path())
        .args(["report", "--day", "2026-11-24"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("各卡点日报/零报告均已报送")
                .and(predicate::str::contains("情况报告 v1 S01"))
                .and(predicate::str::contains("合计")),
        );
    // Exports at the command post cover its checkpoints.
    let csv = files.path().join("all.csv");
    kadian(post.path())
        .args(["export", "--format", "csv", "--day", "2026-11-24", "--out"])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 4, "header and 3 records:\n{text}");
    // `list` at a command post searches every checkpoint it holds.
    kadian(post.path())
        .args(["list", "--plate", "J123"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 2));
    kadian(post.path())
        .args(["list", "--day", "2026-11-24", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 3));
    kadian(post.path())
        .args(["trust", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("T01"));
    kadian(post.path()).args(["verify"]).assert().success();
    // A command post logs nothing itself and writes no bundles.
    kadian_en(post.path())
        .args(["sync", "--out"])
        .arg(files.path().join("x.kdb"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("command post"));
}

#[test]
fn a_damaged_or_truncated_bundle_is_refused_whole_by_the_cli() {
    let lane = ready();
    add(lane.path(), &[NORMAL, NORMAL, YELLOW]);
    let files = tempfile::tempdir().unwrap();
    let b = files.path().join("b.kdb");
    sync(lane.path(), &b, &[]);
    let post = command_post();
    kadian(post.path())
        .args(["trust", "add", "--by", "S01"])
        .arg(key_of(lane.path()))
        .assert()
        .success();
    let bytes = std::fs::read(&b).unwrap();
    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let bad = files.path().join("bad.kdb");
    std::fs::write(&bad, &flipped).unwrap();
    let cut = files.path().join("cut.kdb");
    std::fs::write(&cut, &bytes[..bytes.len() * 7 / 10]).unwrap();
    let mut v2 = bytes.clone();
    v2[8] = 2;
    let newer = files.path().join("v2.kdb");
    std::fs::write(&newer, &v2).unwrap();
    for (f, why) in [
        (&bad, "checksum mismatch"),
        (&cut, "truncated"),
        (&newer, "unknown bundle version 2"),
    ] {
        kadian_en(post.path())
            .args(["import", "--by", "S01"])
            .arg(f)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains(why).and(predicate::str::contains("nothing imported")),
            );
    }
    kadian(post.path())
        .args(["report", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""records":0"#));
    // A good file beside a bad one: the good one is imported, the exit says one was refused.
    kadian_en(post.path())
        .args(["import", "--by", "S01"])
        .arg(&bad)
        .arg(&b)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("record 3"))
        .stderr(predicate::str::contains("1 of 2 bundle(s) refused"));
}

#[test]
fn lanes_of_one_checkpoint_merge_and_other_checkpoints_are_refused() {
    let lead = ready();
    let lane = ready();
    add(lead.path(), &[NORMAL]);
    add(lane.path(), &[YELLOW]);
    let files = tempfile::tempdir().unwrap();
    let b = files.path().join("lane.kdb");
    sync(lane.path(), &b, &["--to", "lead"]);
    // First import confirms the fingerprint shown by the sender's `kadian trust show`.
    let show = kadian(lane.path())
        .args(["trust", "show", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let fp = serde_json::from_slice::<serde_json::Value>(&show).unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    // An officer may not import (as in the TUI): nothing of the bundle comes in.
    staff(lead.path(), "S02", "officer");
    kadian(lead.path())
        .args(["import", "--by", "S02", "--trust", &fp])
        .arg(&b)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("S02"));
    kadian(lead.path())
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 1));
    kadian_en(lead.path())
        .args(["import", "--by", "S01", "--trust", "0000-0000"])
        .arg(&b)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not match"));
    // The same refusal in the default language, in Chinese only.
    kadian(lead.path())
        .args(["import", "--by", "S01", "--trust", "0000-0000"])
        .arg(&b)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("指纹 0000-0000 与同步包的密钥")
                .and(predicate::str::contains("does not match").not()),
        );
    kadian_en(lead.path())
        .args([
            "import",
            "--by",
            "S01",
            "--trust",
            &fp.to_uppercase().replace('-', " "),
        ])
        .arg(&b)
        .assert()
        .success()
        .stdout(predicate::str::contains("laptop trusted"));
    kadian(lead.path())
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 2));
    // Another checkpoint's laptop refuses T01's bundle, even with the fingerprint.
    let other = tempfile::tempdir().unwrap();
    kadian(other.path())
        .args([
            "init",
            "--checkpoint",
            "T02",
            "--name",
            "南站",
            "--province",
            "湘",
        ])
        .assert()
        .success();
    staff(other.path(), "S01", "leader");
    kadian_en(other.path())
        .args(["import", "--by", "S01", "--trust", &fp])
        .arg(&b)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("checkpoint T01")
                .and(predicate::str::contains("command post")),
        );
    // Removing the trust refuses the laptop's next bundle again.
    let laptop = kadian(lane.path())
        .args(["trust", "show", "--format", "json"])
        .assert()
        .get_output()
        .stdout
        .clone();
    let laptop = serde_json::from_slice::<serde_json::Value>(&laptop).unwrap()["laptop"]
        .as_str()
        .unwrap()
        .to_string();
    kadian(lead.path())
        .args(["trust", "remove", &laptop, "--by", "S01"])
        .assert()
        .success();
    kadian_en(lead.path())
        .args(["import", "--by", "S01"])
        .arg(&b)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("untrusted"));
    kadian_en(lead.path())
        .args(["import", "--conflicts"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no conflicts"));
}

#[test]
fn outbox_and_inbox_folders_and_bad_arguments() {
    let lane = ready();
    add(lane.path(), &[NORMAL]);
    let usb = tempfile::tempdir().unwrap();
    let (outbox, inbox) = (usb.path().join("out"), usb.path().join("in"));
    kadian(lane.path())
        .args(["sync", "--set-outbox"])
        .arg(&outbox)
        .arg("--set-inbox")
        .arg(&inbox)
        .assert()
        .success();
    kadian(lane.path()).arg("sync").assert().success();
    let written = kadian::store::bundle_files(&outbox).unwrap();
    assert_eq!(written.len(), 1);
    assert!(
        written[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("T01-"),
        "named after the checkpoint"
    );
    kadian_en(lane.path())
        .args(["import", "--by", "S01", "--inbox"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no bundles"));
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::copy(&written[0], inbox.join("own.kdb")).unwrap();
    kadian_en(lane.path())
        .args(["import", "--by", "S01", "--inbox"])
        .assert()
        .success()
        .stdout(predicate::str::contains("skipped"));
    kadian(lane.path())
        .args(["sync", "--since", "yesterday", "--out", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("since"));
    kadian_en(lane.path())
        .args(["sync", "--to", "a/b", "--out"])
        .arg(usb.path().join("y.kdb"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("To:"));
    kadian_en(lane.path())
        .args(["import", "--by", "S01", "nonexistent.kdb"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
    kadian(lane.path())
        .args(["import", "--by", "S01", "nonexistent.kdb"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("无法读取该文件"));
    kadian_en(lane.path())
        .args(["trust", "add", "nonexistent.key"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("key nonexistent.key refused")
                .and(predicate::str::contains("cannot read")),
        );
    kadian(lane.path())
        .args(["trust", "add", "nonexistent.key"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("密钥 nonexistent.key 未被接受"));
    // `--since` refused in the language asked for.
    kadian_en(lane.path())
        .args(["sync", "--since", "yesterday", "--out", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must be `last`, `all` or a day"));
    kadian(lane.path())
        .args(["sync", "--since", "yesterday", "--out", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("须为 `last`、`all` 或日期"));
    kadian(lane.path()).args(["import"]).assert().code(2);
    for cmd in [
        &["sync", "--help"][..],
        &["import", "--help"],
        &["trust", "--help"],
    ] {
        kadian(lane.path()).args(cmd).assert().success();
    }
}

/// Personal data stays private: the data dir is 0700, its files (journal, sled's, the log)
/// 0600, and so are exports and bundles written for others.
#[cfg(unix)]
#[test]
fn data_dir_exports_and_bundles_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let lane = ready();
    add(lane.path(), &[YELLOW]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let data = lane.path().join("data");
    assert_eq!(mode(&data), 0o700, "data dir");
    assert_eq!(mode(&data.join("journal.log")), 0o600);
    assert_eq!(mode(&data.join("kadian.log")), 0o600);
    let mut files = vec![data.join("db")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            assert_eq!(mode(&p), 0o700, "{}", p.display());
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
    let out = tempfile::tempdir().unwrap();
    for (what, format, name) in [
        ("records", "xlsx", "r.xlsx"),
        ("records", "csv", "r.csv"),
        ("push", "xlsx", "p.xlsx"),
    ] {
        let f = out.path().join(name);
        kadian(lane.path())
            .args(["export", "--what", what, "--format", format, "--out"])
            .arg(&f)
            .assert()
            .success();
        assert_eq!(mode(&f), 0o600, "{name}");
    }
    let b = out.path().join("sub").join("b.kdb");
    sync(lane.path(), &b, &[]);
    assert_eq!(mode(&b), 0o600);
    assert_eq!(mode(&out.path().join("sub")), 0o700);
}
