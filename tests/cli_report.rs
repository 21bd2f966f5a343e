//! CLI tests of `kadian report` and `kadian export`: the report JSON contract, XLSX read
//! back with calamine (IDs as text), CSV with BOM and formula injection neutralised, push
//! lists per district that shrink once marked pushed.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{NORMAL, YELLOW, kadian, ready};
use predicates::prelude::*;
use serde_json::Value;

fn add(dir: &std::path::Path, lines: &[&str]) {
    kadian(dir)
        .args(["add", "--officer", "S01"])
        .write_stdin(lines.join("\n"))
        .assert()
        .success();
}

fn report(dir: &std::path::Path) -> Value {
    let out = kadian(dir)
        .args(["report", "--day", "2026-11-24", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn report_json_contract_zero_and_busy_day() {
    let dir = ready();
    let v = report(dir.path());
    for k in [
        "checkpoint",
        "day",
        "day_start",
        "vehicles",
        "vehicles_by_kind",
        "persons",
        "by_disposition",
        "abnormal_persons",
        "on_site_tests",
        "zero_report",
        "signed_by",
        "text",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(v["zero_report"], true);
    assert!(v["signed_by"].is_null());
    assert!(
        v["text"]
            .as_str()
            .unwrap()
            .contains("今日卡点运行正常，无异常情况")
    );
    assert_eq!(
        v["by_disposition"].as_object().unwrap().len(),
        7,
        "every disposition, zeros included"
    );
    assert_eq!(v["day_start"], "00:00");

    let sampled = YELLOW.replace(
        "\"destination\":\"常德市鼎城区\"",
        "\"destination\":\"常德市鼎城区\",\"sampled\":true",
    );
    add(dir.path(), &[NORMAL, NORMAL, &sampled]);
    let v = report(dir.path());
    assert_eq!(
        (
            v["vehicles"].as_u64(),
            v["persons"].as_u64(),
            v["abnormal_persons"].as_u64()
        ),
        (Some(2), Some(3), Some(1))
    );
    assert_eq!(v["vehicles_by_kind"]["car"], 2);
    assert_eq!(v["by_disposition"]["home_monitoring"], 1);
    assert_eq!(v["by_disposition"]["fever_clinic"], 0);
    assert_eq!(v["on_site_tests"], 1);
    assert_eq!(v["vehicles_disinfected"], 2);
    assert_eq!(v["zero_report"], false);
    assert!(v["text"].as_str().unwrap().contains("发现异常人员1人"));
    assert_eq!(v["per_hour"].as_array().unwrap().len(), 24);
    assert_eq!(v["per_hour"][9]["arrivals"], 3, "all at 09:15");
    kadian(dir.path())
        .args(["report", "--day", "2026-11-24"])
        .assert()
        .success()
        .stdout(predicate::str::contains("情况报告"));
}

#[test]
fn records_export_to_xlsx_keeps_ids_as_text_and_dates_as_dates() {
    let dir = ready();
    add(dir.path(), &[NORMAL, YELLOW]);
    let out = dir.path().join("out/records.xlsx");
    kadian(dir.path())
        .args([
            "export",
            "--day",
            "2026-11-24",
            "--reveal",
            "--by",
            "S01",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("2行 →"));
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let range = wb.worksheet_range("记录").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][23], Data::String("身份证号".into()));
    assert_eq!(
        rows[2][23],
        Data::String("11010519491231002X".into()),
        "ID as text, X intact"
    );
    assert_eq!(
        rows[2][24],
        Data::String("13900001111".into()),
        "phone as text, not a number"
    );
    assert!(
        matches!(rows[1][1], Data::DateTime(_)),
        "time as a real date: {:?}",
        rows[1][1]
    );
    assert_eq!(rows[1][5], Data::String("湘J12345".into()));
    assert!(
        matches!(&rows[1][22], Data::Empty) || rows[1][22] == Data::String(String::new()),
        "an all-normal person: no name"
    );
}

#[test]
fn csv_has_a_bom_quotes_and_neutralises_formulas() {
    let dir = ready();
    let evil = NORMAL
        .replace("\"origin\":\"长沙\"", "\"origin\":\"=1+2\"")
        .replace("\"destination\":\"常德\"", "\"destination\":\"@SUM(A1),x\"");
    add(
        dir.path(),
        &[
            &evil,
            &NORMAL.replace("长沙", "+86"),
            &NORMAL.replace("长沙", "-3"),
        ],
    );
    let out = dir.path().join("r.csv");
    kadian(dir.path())
        .args(["export", "--day", "2026-11-24", "--format", "csv", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains(",'=1+2,"), "{text}");
    assert!(
        text.contains(",\"'@SUM(A1),x\","),
        "quoted (RFC 4180) and neutralised: {text}"
    );
    assert!(text.contains(",'+86,") && text.contains(",'-3,"));
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(r.records().count(), 3);
}

#[test]
fn json_export_is_the_list_format() {
    let dir = ready();
    add(dir.path(), &[NORMAL, YELLOW]);
    let out = dir.path().join("r.jsonl");
    kadian(dir.path())
        .args(["export", "--day", "2026-11-24", "--format", "json", "--out"])
        .arg(&out)
        .assert()
        .success();
    let listed = kadian(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(std::fs::read(&out).unwrap(), listed);
}

#[test]
fn push_lists_by_district_until_marked_pushed() {
    let dir = ready();
    let other = YELLOW
        .replace("常德市鼎城区", "桃源县漳江镇")
        .replace("11010519491231002X", "430702199001011230");
    add(dir.path(), &[NORMAL, YELLOW, &other]);
    let folder = dir.path().join("push");
    kadian(dir.path())
        .args([
            "export", "--what", "push", "--format", "csv", "--reveal", "--by", "S01", "--out",
        ])
        .arg(&folder)
        .assert()
        .success()
        .stdout(predicate::str::contains("2行 →"));
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["常德市鼎城区.csv", "桃源县.csv", "汇总.csv"]);
    let one = std::fs::read_to_string(folder.join("桃源县.csv")).unwrap();
    assert!(one.contains("430702199001011230") && one.contains("漳江镇"));

    let xlsx = dir.path().join("push.xlsx");
    kadian(dir.path())
        .args([
            "export",
            "--what",
            "push",
            "--mark-pushed-by",
            "S01",
            "--out",
        ])
        .arg(&xlsx)
        .assert()
        .success()
        .stdout(predicate::str::contains("2人已标记推送"));
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(wb.sheet_names(), ["汇总", "常德市鼎城区", "桃源县"]);
    let sheet = wb.worksheet_range("常德市鼎城区").unwrap();
    assert_eq!(
        sheet.get((1, 1)),
        Some(&Data::String("11010519491231002X".into()))
    );
    // Pushed persons leave the next list, unless asked for.
    kadian(dir.path())
        .args(["export", "--what", "push", "--format", "json", "--out"])
        .arg(dir.path().join("p.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("0行 →"));
    kadian(dir.path())
        .args([
            "export",
            "--what",
            "push",
            "--format",
            "json",
            "--include-pushed",
            "--out",
        ])
        .arg(dir.path().join("p.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("2行 →"));
    kadian(dir.path())
        .args([
            "export",
            "--what",
            "records",
            "--mark-pushed-by",
            "S01",
            "--out",
        ])
        .arg(dir.path().join("x.xlsx"))
        .assert()
        .code(1);
}

#[test]
fn report_export_and_ranges() {
    let dir = ready();
    add(dir.path(), &[NORMAL]);
    let out = dir.path().join("report.xlsx");
    kadian(dir.path())
        .args([
            "export",
            "--what",
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-24",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["日报 2026-11-23", "日报 2026-11-24"]);
    kadian(dir.path())
        .args([
            "export",
            "--from",
            "2026-11-24",
            "--to",
            "2026-11-23",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("to"));
    kadian(dir.path())
        .args(["export", "--from", "2026-11-24", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    kadian(dir.path())
        .args(["list", "--format", "csv"])
        .assert()
        .code(2);
}

fn list(dir: &std::path::Path) -> Vec<Value> {
    let out = kadian(dir)
        .args(["list", "--day", "2026-11-24", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Regression: `kadian add` after the day's sign-off was accepted with no mark, and the report
/// text claimed every push was done while none was. Now the late record is kept and marked,
/// and the report says how many pushes are pending.
#[test]
fn a_record_added_after_sign_off_is_kept_and_marked_and_pushes_are_pending() {
    let dir = ready();
    add(dir.path(), &[NORMAL, YELLOW]);
    kadian(dir.path())
        .args(["signoff", "--day", "2026-11-24", "--by", "S01"])
        .assert()
        .success();
    add(dir.path(), &[NORMAL]);
    let records = list(dir.path());
    assert_eq!(records.len(), 3, "nothing refused");
    let late: Vec<bool> = records
        .iter()
        .map(|r| r["after_signoff"].as_bool().unwrap())
        .collect();
    assert_eq!(late.iter().filter(|l| **l).count(), 1, "{late:?}");
    let v = report(dir.path());
    assert_eq!(v["records"], 3);
    assert_eq!(v["push"]["to_push"], 1);
    assert_eq!(v["push"]["pushed"], 0);
    assert!(v["signed"].is_null(), "no report version signed yet");
    assert_eq!(v["changed_since_signed"], false);
    let text = v["text"].as_str().unwrap();
    assert!(!text.contains("已推送至目的地社区"), "{text}");
    assert!(text.contains("待推送1人"), "{text}");
}
