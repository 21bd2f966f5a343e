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
    // As a word of its own: record ids and times may hold the same digits by chance.
    let words: Vec<&str> = log.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    assert!(
        !words.contains(&"9753") && !words.contains(&"2468"),
        "{log}"
    );
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
        .stdout(predicate::str::contains("2026-W48：工时"));
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

/// The slots of a week, from `roster show --format json`.
fn slots(dir: &std::path::Path, week: &str) -> Vec<Value> {
    let out = kadian(dir)
        .args(["roster", "show", "--week", week, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["slots"].as_array().unwrap().clone()
}

/// Everyone on any post of (duty date, shift).
fn on_shift(slots: &[Value], date: &str, shift: &str) -> Vec<String> {
    slots
        .iter()
        .filter(|s| s["date"] == date && s["shift"] == shift)
        .flat_map(|s| s["staff"].as_array().unwrap().clone())
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// A week before W48 begins: nothing of it has begun yet.
const BEFORE_W48: &str = "2026-11-20T01:00:00Z";

#[test]
fn the_rest_rule_spans_weeks_when_generating() {
    let dir = twelve();
    for week in ["2026-W48", "2026-W49"] {
        kadian(dir.path())
            .env("KADIAN_NOW", BEFORE_W48)
            .args([
                "roster", "generate", "--week", week, "--seed", "3", "--by", "S01",
            ])
            .assert()
            .success();
    }
    // W48's Sunday 夜班 (00:00–08:00 on 11-30) is followed by W49's Monday 早班 (08:00).
    let sunday_night = on_shift(&slots(dir.path(), "2026-W48"), "2026-11-29", "夜班");
    let monday_morning = on_shift(&slots(dir.path(), "2026-W49"), "2026-11-30", "早班");
    assert_eq!(sunday_night.len(), 5);
    assert!(
        monday_morning.iter().all(|c| !sunday_night.contains(c)),
        "no rest: {sunday_night:?} then {monday_morning:?}"
    );
    // And W48 regenerated knows W49 after it.
    kadian(dir.path())
        .env("KADIAN_NOW", BEFORE_W48)
        .args([
            "roster",
            "generate",
            "--week",
            "2026-W48",
            "--seed",
            "11",
            "--replace",
            "--by",
            "S01",
        ])
        .assert()
        .success();
    let sunday_night = on_shift(&slots(dir.path(), "2026-W48"), "2026-11-29", "夜班");
    assert!(monday_morning.iter().all(|c| !sunday_night.contains(c)));
}

#[test]
fn every_slot_has_its_instants_and_the_wall_roster_its_calendar_day() {
    let dir = twelve();
    kadian(dir.path())
        .env("KADIAN_NOW", BEFORE_W48)
        .args(["roster", "generate", "--week", "2026-W48", "--by", "S01"])
        .assert()
        .success();
    let all = slots(dir.path(), "2026-W48");
    let night = all
        .iter()
        .find(|s| s["date"] == "2026-11-23" && s["shift"] == "夜班")
        .unwrap();
    assert_eq!(night["start"], "00:00");
    assert_eq!(night["start_at"], "2026-11-24T00:00:00+08:00");
    assert_eq!(night["end_at"], "2026-11-24T08:00:00+08:00");
    assert_eq!(all[0]["start_at"], "2026-11-23T08:00:00+08:00");
    // `--format csv` writes CSV whatever the file is called (it was refused as a usage error).
    let csv = dir.path().join("wall.txt");
    kadian(dir.path())
        .args([
            "roster", "export", "--week", "2026-W48", "--format", "csv", "--out",
        ])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[1].starts_with("11-23 周一,早班,08:00–16:00,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[3].starts_with("11-24 周二,夜班,00:00–08:00,"),
        "{}",
        rows[3]
    );
    assert!(
        rows[4].starts_with("11-24 周二,早班,08:00–16:00,"),
        "{}",
        rows[4]
    );
    let xlsx = dir.path().join("wall.bin");
    kadian(dir.path())
        .args([
            "roster", "export", "--week", "2026-W48", "--format", "xlsx", "--out",
        ])
        .arg(&xlsx)
        .assert()
        .success();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    // The wall roster in English with --lang en.
    let en = dir.path().join("wall-en.csv");
    kadian_en(dir.path())
        .args(["roster", "export", "--week", "2026-W48", "--out"])
        .arg(&en)
        .assert()
        .success();
    let text = std::fs::read_to_string(&en).unwrap();
    assert!(text.contains("Date,Shift,Time,"), "{text}");
    assert!(text.contains("\n11-24 Tue,夜班,00:00–08:00,"), "{text}");
    // The text view reads the same days.
    let out = kadian(dir.path())
        .args(["roster", "show", "--week", "2026-W48"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown
            .lines()
            .nth(3)
            .unwrap()
            .starts_with("11-24 周二\t夜班\t00:00–08:00")
    );
    // csv and xlsx are still refused where nothing is written to a file.
    kadian(dir.path())
        .args(["roster", "show", "--week", "2026-W48", "--format", "csv"])
        .assert()
        .code(2);
}

#[test]
fn regenerating_keeps_begun_shifts_and_needs_replace() {
    let dir = twelve();
    kadian(dir.path())
        .env("KADIAN_NOW", BEFORE_W48)
        .args([
            "roster", "generate", "--week", "2026-W48", "--seed", "3", "--by", "S01",
        ])
        .assert()
        .success();
    let before = slots(dir.path(), "2026-W48");
    // Tuesday 09:15 (the tests' clock): refused without --replace, one line naming it.
    let out = kadian(dir.path())
        .args([
            "roster", "generate", "--week", "2026-W48", "--seed", "9", "--by", "S01",
        ])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(slots(dir.path(), "2026-W48"), before, "nothing changed");
    kadian_en(dir.path())
        .args(["roster", "generate", "--week", "2026-W48", "--by", "S01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--replace"));
    kadian(dir.path())
        .args([
            "roster",
            "generate",
            "--week",
            "2026-W48",
            "--seed",
            "9",
            "--replace",
            "--by",
            "S01",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("4个班次保持不变"));
    let after = slots(dir.path(), "2026-W48");
    // Monday's 早班, 中班, 夜班 (to 08:00 today) and today's 早班 (running) are as they were.
    let begun = |s: &Value| s["start_at"].as_str().unwrap() <= "2026-11-24T09:15:00+08:00";
    let kept: Vec<&Value> = before.iter().filter(|s| begun(s)).collect();
    assert_eq!(kept.len(), 4 * 5);
    assert_eq!(after.iter().filter(|s| begun(s)).collect::<Vec<_>>(), kept);
    assert_ne!(after, before, "the shifts to come were filled anew");
    // A week with nothing assigned needs no --replace.
    kadian(dir.path())
        .args(["roster", "generate", "--week", "2026-W50", "--by", "S01"])
        .assert()
        .success();
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
        .stdout(predicate::str::contains("2个班次"));
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
