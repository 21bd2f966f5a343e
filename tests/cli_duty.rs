//! CLI tests of staff management, duty settings, rosters and handovers.

mod common;

use common::{kadian, kadian_en, ready};
use predicates::prelude::*;
use serde_json::Value;

fn lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A checkpoint with leaders S01, C01–C03 and officers C04–C12 (PIN 1234; S01 2468).
fn twelve() -> tempfile::TempDir {
    let dir = ready();
    for i in 1..=12 {
        let role = if i <= 3 { "leader" } else { "officer" };
        kadian(dir.path())
            .args([
                "staff",
                "add",
                "--code",
                &format!("C{i:02}"),
                "--name",
                &format!("人员{i}"),
                "--role",
                role,
            ])
            .arg("--pin-stdin")
            .write_stdin("1234\n")
            .assert()
            .success();
    }
    dir
}

#[test]
fn staff_pins_disable_and_list_without_hashes() {
    let dir = ready();
    kadian_en(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "X1",
            "--name",
            "新人",
            "--phone",
            "13900001111",
            "--pin-stdin",
        ])
        .write_stdin("12\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PIN").and(predicate::str::contains("4–8 digits")));
    kadian_en(dir.path())
        .args([
            "staff", "add", "--code", "X1", "--name", "新人", "--phone", "12345",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Phone"));
    kadian(dir.path())
        .args(["staff", "add", "--code", "X1", "--name", "新人"])
        .assert()
        .success();
    kadian(dir.path())
        .args(["staff", "set-pin", "X1", "--pin-stdin"])
        .write_stdin(format!("{}\n", common::PIN))
        .assert()
        .success();
    kadian(dir.path())
        .args(["staff", "set-pin", "NOPE", "--pin-stdin"])
        .write_stdin(format!("{}\n", common::PIN))
        .assert()
        .code(1);
    kadian(dir.path())
        .args(["staff", "set-pin", "X1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--new-pin-stdin"));
    kadian(dir.path())
        .args(["staff", "disable", "X1"])
        .assert()
        .success();
    let out = kadian(dir.path())
        .args(["staff", "list", "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        !text.contains("argon2") && !text.contains("9753"),
        "no PIN or hash listed: {text}"
    );
    let staff = lines(&out);
    let x1 = staff.iter().find(|s| s["code"] == "X1").unwrap();
    assert_eq!(
        (x1["active"].as_bool(), x1["has_pin"].as_bool()),
        (Some(false), Some(true))
    );
    // A disabled person cannot log records.
    kadian(dir.path())
        .args(["add", "--officer", "X1"])
        .write_stdin(common::NORMAL)
        .assert()
        .code(1);
    kadian(dir.path())
        .args(["staff", "enable", "X1"])
        .assert()
        .success();
    kadian(dir.path())
        .args(["add", "--officer", "X1"])
        .write_stdin(common::NORMAL)
        .assert()
        .success();
    // The log file never holds a PIN.
    let log = std::fs::read_to_string(dir.path().join("data/kadian.log")).unwrap_or_default();
    assert!(!log.contains("9753") && !log.contains("2468"));
}

#[test]
fn roster_generate_show_export_and_leave() {
    let dir = twelve();
    kadian(dir.path())
        .args([
            "roster",
            "leave",
            "--code",
            "C05",
            "--date",
            "2026-11-25",
            "--by",
            "S01",
        ])
        .assert()
        .success();
    kadian(dir.path())
        .args([
            "roster",
            "leave",
            "--code",
            "NOPE",
            "--date",
            "2026-11-25",
            "--by",
            "S01",
        ])
        .assert()
        .code(1);
    kadian(dir.path())
        .args([
            "roster", "generate", "--week", "2026-W48", "--seed", "3", "--by", "S01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-W48: hours"));
    let out = kadian(dir.path())
        .args(["roster", "show", "--week", "2026-W48", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["week"], "2026-W48");
    let slots = v["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 7 * 3 * 5);
    assert_eq!(slots[0]["date"], "2026-11-23");
    assert_eq!(slots[0]["start"], "08:00");
    assert_eq!(slots[0]["end"], "16:00");
    assert!(slots.iter().filter(|s| s["post"] == "带班").all(|s| {
        s["staff"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| ["C01", "C02", "C03", "S01"].contains(&c.as_str().unwrap()))
    }));
    assert!(
        slots
            .iter()
            .filter(|s| s["date"] == "2026-11-25")
            .all(|s| !s["staff"].as_array().unwrap().contains(&"C05".into())),
        "leave respected"
    );
    let xlsx = dir.path().join("roster.xlsx");
    let csv = dir.path().join("roster.csv");
    kadian(dir.path())
        .args(["roster", "export", "--week", "2026-W48", "--out"])
        .arg(&xlsx)
        .assert()
        .success();
    kadian(dir.path())
        .args(["roster", "export", "--week", "2026-W48", "--out"])
        .arg(&csv)
        .assert()
        .success();
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "an XLSX (zip) file"
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM for Excel");
    assert!(text.contains("日期,班次,时间,带班,测温岗,查码岗,登记岗,消杀岗"));
    assert_eq!(text.lines().count(), 22);
    kadian(dir.path())
        .args(["roster", "show", "--week", "2026-W49"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("generate"));
    kadian_en(dir.path())
        .args(["roster", "show", "--week", "48"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Week"));
}

#[test]
fn an_infeasible_week_says_which_rule_and_why() {
    let dir = ready(); // one leader only
    kadian_en(dir.path())
        .args(["roster", "generate", "--week", "2026-W48", "--by", "S01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("leader").and(predicate::str::contains("too few")));
    assert!(
        kadian(dir.path())
            .args(["roster", "show", "--week", "2026-W48"])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .is_empty()
    );
}

#[test]
fn duty_settings_import_show_and_refuse() {
    let dir = ready();
    let file = dir.path().join("duty.toml");
    std::fs::write(&file, kadian::domain::duty::TWO_SHIFTS).unwrap();
    // Posts and shifts are an admin's: a leader is refused.
    kadian(dir.path())
        .args(["duty", "import", "--by", "S01"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("S01"));
    kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "A01",
            "--name",
            "管理",
            "--role",
            "admin",
            "--pin-stdin",
        ])
        .write_stdin(format!("{}\n", common::PIN))
        .assert()
        .success();
    kadian(dir.path())
        .args(["duty", "import", "--by", "A01"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 shifts"));
    let out = kadian(dir.path())
        .args(["duty", "show", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["shifts"][0]["name"], "白班");
    std::fs::write(
        &file,
        kadian::domain::duty::TWO_SHIFTS
            .replace("hours = 12\\nnight", "hours = 11\\nnight")
            .replace("hours = 12", "hours = 11"),
    )
    .unwrap();
    kadian_en(dir.path())
        .args(["duty", "import", "--by", "A01"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Shifts"));
    let out = kadian(dir.path())
        .args(["duty", "show", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["shifts"].as_array().unwrap().len(),
        2,
        "a refused file changes nothing"
    );
}

#[test]
fn handover_list_of_a_quiet_day_is_empty() {
    let dir = ready();
    let out = kadian(dir.path())
        .args([
            "handover",
            "list",
            "--day",
            "2026-11-24",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}
