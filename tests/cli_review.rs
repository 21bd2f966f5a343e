//! CLI tests of the leader's review: show (with history), amend, void, sign-off, and how they
//! show in list and report.

mod common;

use common::{NORMAL, PIN, kadian, kadian_en, ready};
use predicates::prelude::*;
use serde_json::Value;

fn add_one(dir: &std::path::Path) -> String {
    let out = kadian(dir)
        .args(["add", "--officer", "S01"])
        .write_stdin(NORMAL)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn report(dir: &std::path::Path) -> Value {
    serde_json::from_slice(
        &kadian(dir)
            .args(["report", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
}

#[test]
fn amend_then_void_keeps_the_original_and_the_history() {
    let dir = ready();
    let id = add_one(dir.path());
    kadian(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "plate=湘J54321",
            "--set",
            "persons[0].temperature=36.9",
            "--reason",
            "车牌录错",
            "--by",
            "S01",
        ])
        .assert()
        .success();
    kadian_en(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "persons[0].temperature=39",
            "--reason",
            "复测",
            "--by",
            "S01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Name (person 1)"));
    kadian_en(dir.path())
        .args([
            "amend", &id, "--set", "plate=x", "--reason", "", "--by", "S01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Reason"));
    kadian_en(dir.path())
        .args([
            "amend", &id, "--set", "nonsense", "--reason", "原因", "--by", "S01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("field=value"));
    kadian(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "plate=湘J11111",
            "--reason",
            "原因",
            "--by",
            "NOPE",
        ])
        .assert()
        .code(1);
    let out = kadian(dir.path())
        .args(["show", &id, "--history", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["record"]["vehicle"]["plate"], "湘J54321");
    assert_eq!(v["record"]["amendments"], 1);
    assert_eq!(v["original"]["vehicle"]["plate"], "湘J12345");
    assert_eq!(v["amendments"][0]["reason"], "车牌录错");
    assert_eq!(v["amendments"][0]["changes"][0]["field"], "plate");
    assert_eq!(report(dir.path())["amended"], 1);

    kadian(dir.path())
        .args(["void", &id, "--reason", "重复登记", "--by", "S01"])
        .assert()
        .success();
    kadian(dir.path())
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("[作废]"));
    let r = report(dir.path());
    assert_eq!(
        (
            r["vehicles"].as_u64(),
            r["persons"].as_u64(),
            r["voided"].as_u64()
        ),
        (Some(0), Some(0), Some(1))
    );
    kadian_en(dir.path())
        .args(["void", &id, "--reason", "再次", "--by", "S01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("voided"));
    kadian(dir.path())
        .args(["show", "T01-NOPE"])
        .assert()
        .code(1);
}

#[test]
fn an_officer_may_not_amend() {
    let dir = ready();
    kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "O1",
            "--name",
            "值守",
            "--pin-stdin",
        ])
        .write_stdin(format!("{}\n", common::PIN))
        .assert()
        .success();
    let id = add_one(dir.path());
    kadian_en(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "origin=岳阳",
            "--reason",
            "补录",
            "--by",
            "O1",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("may not"));
}

#[test]
fn amendments_after_sign_off_are_marked() {
    let dir = ready();
    let id = add_one(dir.path());
    kadian(dir.path())
        .args([
            "signoff",
            "--day",
            "2026-11-24",
            "--by",
            "S01",
            "--pin-stdin",
        ])
        .write_stdin("0000\n")
        .assert()
        .code(1);
    kadian(dir.path())
        .args([
            "signoff",
            "--day",
            "2026-11-24",
            "--by",
            "S01",
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
    let out = kadian(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "origin=岳阳",
            "--reason",
            "补录来源",
            "--by",
            "S01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["after_signoff"], true);
}

#[test]
fn verify_says_ok_on_a_sound_store() {
    let dir = ready();
    add_one(dir.path());
    kadian_en(dir.path())
        .arg("verify")
        .assert()
        .success()
        .stdout(predicate::str::contains("ok"));
    let out = kadian(dir.path())
        .args(["verify", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], true);
}

#[test]
fn list_filters_combine_and_page() {
    let dir = ready();
    let yellow = common::YELLOW;
    let other = yellow
        .replace("王小明", "李四")
        .replace("11010519491231002X", "430702199001011230")
        .replace("13900001111", "13700002222");
    let lines = [
        common::NORMAL,
        yellow,
        &other,
        &common::NORMAL.replace("湘J12345", "粤B12345"),
    ]
    .join("\n");
    kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(lines)
        .assert()
        .success();
    let ids = |args: &[&str]| -> usize {
        let out = kadian(dir.path())
            .arg("list")
            .args(args)
            .arg("--format")
            .arg("json")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().lines().count()
    };
    assert_eq!(ids(&["--plate", "J123"]), 1);
    assert_eq!(ids(&["--plate", "12345"]), 2);
    assert_eq!(ids(&["--name", "王"]), 1);
    assert_eq!(ids(&["--id-suffix", "002x"]), 1);
    assert_eq!(ids(&["--phone", "137"]), 1);
    assert_eq!(ids(&["--disposition", "home_monitoring"]), 2);
    assert_eq!(
        ids(&["--disposition", "home_monitoring", "--name", "李"]),
        1
    );
    assert_eq!(
        ids(&[
            "--officer",
            "S01",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-24"
        ]),
        4
    );
    assert_eq!(ids(&["--kind", "小客车"]), 2);
    assert_eq!(ids(&["--amended"]), 0);
    assert_eq!(ids(&["--limit", "2"]), 2);
    assert_eq!(ids(&["--limit", "2", "--offset", "3"]), 1);
    kadian_en(dir.path())
        .args(["list", "--id-suffix", "12"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("ID last 4"));
    kadian_en(dir.path())
        .args(["list", "--disposition", "hospital"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Disposition"));
    kadian_en(dir.path())
        .args(["list", "--phone", "abc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Phone"));
}
