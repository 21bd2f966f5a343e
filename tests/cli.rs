//! CLI contract tests (assert_cmd): every command and every refusal, exit codes 0/1/2.

mod common;

use common::{NORMAL, YELLOW, kadian, kadian_en, ready};
use predicates::prelude::*;
use serde_json::Value;

fn list_json(dir: &std::path::Path, extra: &[&str]) -> Vec<Value> {
    let out = kadian(dir)
        .args(["list", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn init_creates_and_refuses_a_second_time() {
    let dir = tempfile::tempdir().unwrap();
    kadian(dir.path())
        .args([
            "init",
            "--checkpoint",
            "HN-01",
            "--name",
            "常德北",
            "--province",
            "湘",
            "--day-start",
            "08:00",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("HN-01"));
    kadian_en(dir.path())
        .args([
            "init",
            "--checkpoint",
            "HN-02",
            "--name",
            "x",
            "--province",
            "湘",
        ])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("already initialised").and(predicate::str::contains("HN-01")),
        );
}

#[test]
fn init_refuses_bad_fields_naming_them_and_creates_nothing() {
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "--checkpoint",
                "bad code!",
                "--name",
                "x",
                "--province",
                "湘",
            ],
            "Checkpoint",
        ),
        (
            &["--checkpoint", "A", "--name", " ", "--province", "湘"],
            "Name",
        ),
        (
            &["--checkpoint", "A", "--name", "x", "--province", "X"],
            "Province",
        ),
        (
            &[
                "--checkpoint",
                "A",
                "--name",
                "x",
                "--province",
                "湘",
                "--tz",
                "Mars/Base",
            ],
            "Time zone",
        ),
        (
            &[
                "--checkpoint",
                "A",
                "--name",
                "x",
                "--province",
                "湘",
                "--day-start",
                "25:00",
            ],
            "Day starts at",
        ),
    ];
    for (args, field) in cases {
        let dir = tempfile::tempdir().unwrap();
        let out = kadian_en(dir.path())
            .arg("init")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(field) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
        kadian_en(dir.path())
            .args(["list"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("not initialised"));
    }
}

#[test]
fn commands_on_an_uninitialised_dir_say_so() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["list"][..],
        &["staff", "list"],
        &["add", "--officer", "S01"],
    ] {
        kadian(dir.path())
            .args(args)
            .write_stdin("")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("kadian init"));
    }
}

#[test]
fn staff_add_list_and_refusals() {
    let dir = ready();
    kadian(dir.path())
        .args([
            "staff", "add", "--code", "L01", "--name", "李队", "--role", "leader",
        ])
        .assert()
        .success();
    kadian_en(dir.path())
        .args(["staff", "add", "--code", "L01", "--name", "again"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    kadian_en(dir.path())
        .args(["staff", "add", "--code", "bad code", "--name", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Code"));
    kadian(dir.path())
        .args([
            "staff", "add", "--code", "X1", "--name", "x", "--role", "boss",
        ])
        .assert()
        .code(2);
    let out = kadian(dir.path())
        .args(["staff", "list", "--format", "json"])
        .output()
        .unwrap();
    let staff: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(staff.len(), 2);
    assert_eq!(staff[0]["code"], "L01");
    assert_eq!(staff[0]["role"], "leader");
}

#[test]
fn add_prints_ids_and_list_shows_the_records() {
    let dir = ready();
    let out = kadian(dir.path())
        .args(["add", "--officer", "S01", "--format", "json", "-"])
        .write_stdin(format!("{NORMAL}\n\n{YELLOW}\n"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let acks: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(acks.len(), 2);
    assert_eq!(acks[0]["line"], 1);
    assert_eq!(acks[1]["line"], 3);
    assert_eq!(
        acks[1]["dispositions"],
        serde_json::json!(["home_monitoring"])
    );
    assert!(acks[0]["id"].as_str().unwrap().starts_with("T01-"));

    let rows = list_json(dir.path(), &[]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["time"], "2026-11-24T01:15:00.000Z");
    assert_eq!(rows[0]["officer"], "S01");
    assert_eq!(rows[0]["policy_version"], "default-2026.1");
    assert_eq!(rows[0]["vehicle"]["plate"], "湘J12345");
    assert!(
        rows[0]["persons"][0].get("name").is_none(),
        "all-normal person keeps no personal details"
    );
    assert!(rows[1]["vehicle"].is_null());
    // Masked unless a leader reveals them (with their PIN, audited).
    assert_eq!(rows[1]["persons"][0]["id_number"], "1101**********002X");
    assert_eq!(rows[1]["persons"][0]["name"], "王**");
    assert_eq!(rows[1]["persons"][0]["phone"], "139****1111");
    let revealed = list_json(dir.path(), &["--reveal", "--by", "S01"]);
    assert_eq!(revealed[1]["persons"][0]["id_number"], "11010519491231002X");
    assert_eq!(revealed[1]["persons"][0]["name"], "王小明");

    assert_eq!(list_json(dir.path(), &["--plate", "湘j12345"]).len(), 1);
    assert_eq!(list_json(dir.path(), &["--day", "2026-11-24"]).len(), 2);
    assert_eq!(list_json(dir.path(), &["--day", "2026-11-23"]).len(), 0);
    assert_eq!(
        list_json(dir.path(), &["--day", "2026-11-24", "--plate", "湘J12345"]).len(),
        1
    );
    kadian(dir.path())
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("09:15 湘J12345 小客车 1人 放行"));
    kadian_en(dir.path())
        .args(["list", "--plate", "湘J@1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Plate"));
}

#[test]
fn add_refuses_bad_lines_with_line_field_and_rule_and_stores_the_rest() {
    let dir = ready();
    let bad_id = YELLOW.replace("11010519491231002X", "110105194912310021");
    let no_reg =
        r#"{"persons":[{"temperature":36.5,"health_code":"red","test":{"result":"none"}}]}"#;
    let hot = NORMAL.replace("36.5", "36.55");
    let unknown = NORMAL.replace("\"disinfected\"", "\"disinfectd\"");
    let future = NORMAL.replace(
        "{\"vehicle\"",
        "{\"time\":\"2030-01-01T00:00:00+08:00\",\"vehicle\"",
    );
    let no_persons = r#"{"vehicle":null,"persons":[]}"#;
    let input = [
        NORMAL, &bad_id, no_reg, &hot, "not json", &unknown, &future, no_persons, YELLOW,
    ]
    .join("\n");
    let out = kadian_en(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    for expect in [
        "line 2: ID (person 1)",
        "check digit",
        "line 3: Name (person 1)",
        "line 3: Phone (person 1)",
        "line 4: Temp (person 1)",
        "line 5: Record",
        "line 6: Record",
        "disinfectd",
        "line 7: Time",
        "line 8: Persons",
        "7 line(s) refused",
    ] {
        assert!(err.contains(expect), "missing {expect:?} in:\n{err}");
    }
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
    assert_eq!(
        list_json(dir.path(), &[]).len(),
        2,
        "only the valid lines are stored"
    );
}

#[test]
fn add_with_an_unknown_officer_stores_nothing() {
    let dir = ready();
    kadian_en(dir.path())
        .args(["add", "--officer", "NOBODY"])
        .write_stdin(NORMAL)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown officer NOBODY"));
    assert!(list_json(dir.path(), &[]).is_empty());
}

#[test]
fn add_reads_a_file_and_overrides_need_a_reason() {
    let dir = ready();
    let path = dir.path().join("in.jsonl");
    let overridden = r#"{"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"none"},"name":"李四","id_number":"11010519491231002X","phone":"13900001111","destination":"长沙","override":{"dispositions":["pass"],"reason":"持纸质阴性报告"}}]}"#;
    let no_reason = overridden.replace("持纸质阴性报告", "");
    std::fs::write(&path, format!("{overridden}\n{no_reason}\n")).unwrap();
    kadian_en(dir.path())
        .args(["add", "--officer", "S01"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 2: Reason (person 1)"));
    let rows = list_json(dir.path(), &[]);
    assert_eq!(rows.len(), 1);
    let p = &rows[0]["persons"][0];
    assert_eq!(p["dispositions"], serde_json::json!(["pass"]));
    assert_eq!(p["computed"], serde_json::json!(["on_site_test"]));
    assert_eq!(p["override"]["reason"], "持纸质阴性报告");
    kadian(dir.path())
        .args(["add", "--officer", "S01", "/no/such/file"])
        .assert()
        .code(1);
}

#[test]
fn a_checkpoint_policy_file_overrides_the_default_and_a_bad_one_is_refused() {
    let dir = ready();
    let policy = kadian::policy::DEFAULT_POLICY
        .replace("version = \"default-2026.1\"", "version = \"cd-2026.2\"")
        .replace("test_valid_hours = 48", "test_valid_hours = 24");
    std::fs::write(dir.path().join("data/policy.toml"), policy).unwrap();
    let out = kadian(dir.path())
        .args(["add", "--officer", "S01", "--format", "json"])
        .write_stdin(YELLOW.replace("20}", "30}"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("on_site_test")
    );
    assert_eq!(list_json(dir.path(), &[])[0]["policy_version"], "cd-2026.2");
    std::fs::write(dir.path().join("data/policy.toml"), "version = 1").unwrap();
    kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(NORMAL)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("policy.toml"));
}

#[test]
fn demo_fills_a_working_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    kadian(dir.path())
        .args(["demo", "--days", "2", "--per-day", "50"])
        .assert()
        .success();
    let rows = list_json(dir.path(), &[]);
    assert_eq!(rows.len(), 100);
    let provinces: std::collections::HashSet<String> = rows
        .iter()
        .filter_map(|r| {
            r["vehicle"]["plate"]
                .as_str()
                .map(|p| p.chars().next().unwrap().to_string())
        })
        .collect();
    assert!(provinces.len() > 3, "plates of many provinces");
    assert!(rows.iter().any(|r| r["vehicle"]["kind"] == "cold_chain"));
    assert!(
        rows.iter()
            .flat_map(|r| r["persons"].as_array().unwrap())
            .any(|p| p["dispositions"] != serde_json::json!(["pass"]))
    );
}

#[test]
fn usage_errors_exit_2_and_help_is_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    kadian(dir.path()).arg("nonsense").assert().code(2);
    kadian(dir.path()).args(["add"]).assert().code(2);
    kadian(dir.path())
        .args(["list", "--day", "2026-13-01"])
        .assert()
        .code(2);
    kadian(dir.path())
        .args(["list", "--format", "xml"])
        .assert()
        .code(2);
    for cmd in [
        &["--help"][..],
        &["init", "--help"],
        &["staff", "add", "--help"],
        &["add", "--help"],
        &["list", "--help"],
        &["demo", "--help"],
    ] {
        kadian(dir.path()).args(cmd).assert().success();
    }
}

#[test]
fn a_second_process_on_a_held_dir_exits_1_with_the_cause() {
    let dir = ready();
    let _held = kadian::store::Store::open(&dir.path().join("data")).unwrap();
    kadian_en(dir.path())
        .args(["list"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("in use by another kadian"));
}

#[test]
fn bench_smoke_run_reports_ratios() {
    let dir = tempfile::tempdir().unwrap();
    let out = kadian(dir.path())
        .args([
            "bench",
            "--records",
            "300",
            "--samples",
            "20",
            "--format",
            "json",
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Every row of the suite, each with its value and target; references where they apply.
    let rows = v["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    for want in [
        "durable commit p50",
        "durable commit p99",
        "bulk import",
        "open the store",
        "day tally",
        "plate lookup",
        "ID-suffix lookup",
        "to CSV, per 1M",
        "to XLSX, per 1M",
        "disk used per logical byte",
        "key press to drawn frame",
        "TUI open to first frame",
        "TUI start to the opening screen",
        "sled floor (1 key a record, 300): write",
        "sled floor (1 key a record, 300): open",
        "sled floor (1 key a record, 300): disk",
        "sled, zstd day blocks of 512 (300): write",
        "sled, zstd day blocks of 512 (300): disk",
    ] {
        assert!(
            names.iter().any(|n| n.contains(want)),
            "{want} in {names:?}"
        );
    }
    for r in rows {
        assert!(r["value"].as_f64().unwrap() >= 0.0, "{r}");
        assert!(r["target"].is_string());
    }
    let commit = &rows[0];
    assert!(
        commit["ratio"].as_f64().unwrap() > 0.0
            && commit["reference_value"].as_f64().unwrap() > 0.0
    );
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name() != "pin")
            .count(),
        0,
        "the bench store is removed"
    );
    // The commit alone, as before.
    let out = kadian(dir.path())
        .args([
            "bench",
            "--commit-only",
            "--records",
            "50",
            "--samples",
            "10",
            "--format",
            "json",
            "--dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "commit_p50_us",
        "fdatasync_p50_us",
        "ratio_p50",
        "ratio_p99",
    ] {
        assert!(v[k].as_f64().unwrap() > 0.0, "{k}");
    }
}

#[test]
fn init_sets_the_log_desk_defaults_and_refuses_a_bad_kind() {
    let dir = tempfile::tempdir().unwrap();
    let init = [
        "init",
        "--checkpoint",
        "A",
        "--name",
        "x",
        "--province",
        "湘",
    ];
    kadian_en(dir.path())
        .args(init)
        .args(["--default-kind", "飞机"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Kind"));
    kadian(dir.path())
        .args(init)
        .args(["--default-kind", "货车", "--default-occupants", "2"])
        .assert()
        .success();
    let store = kadian::store::Store::open_existing(&dir.path().join("data")).unwrap();
    let cp = store.checkpoint().unwrap();
    assert_eq!(
        (cp.default_kind, cp.default_occupants),
        (kadian::domain::VehicleKind::Truck, 2)
    );
}

/// Input files in the wrong encoding are refused whole, naming the line and, for GB18030
/// (what Chinese Windows saves), saying so; a UTF-8 BOM and CRLF line ends are accepted;
/// a 1 MB field value is refused by its field's rule; nothing is half-stored.
#[test]
fn bad_encodings_and_huge_fields_are_refused_clearly() {
    let dir = ready();
    let files = tempfile::tempdir().unwrap();
    let gb = files.path().join("gb.jsonl");
    let mut bytes = format!("{NORMAL}\n").into_bytes();
    // 王小明 in GB18030, inside a JSON line after a valid one.
    bytes.extend_from_slice(
        b"{\"vehicle\":null,\"persons\":[{\"name\":\"\xcd\xf5\xd0\xa1\xc3\xf7\"}]}\n",
    );
    std::fs::write(&gb, &bytes).unwrap();
    kadian_en(dir.path())
        .args(["add", "--officer", "S01"])
        .arg(&gb)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("line 2")
                .and(predicate::str::contains("GB18030"))
                .and(predicate::str::contains("nothing stored")),
        );
    let latin = files.path().join("latin.jsonl");
    std::fs::write(&latin, b"\xff\xfe{}\n").unwrap();
    kadian_en(dir.path())
        .args(["add", "--officer", "S01"])
        .arg(&latin)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not UTF-8").and(predicate::str::contains("line 1")));
    kadian(dir.path())
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    // Notepad's BOM and CRLF.
    let bom = files.path().join("bom.jsonl");
    std::fs::write(&bom, format!("\u{feff}{NORMAL}\r\n{NORMAL}\r\n")).unwrap();
    kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .arg(&bom)
        .assert()
        .success();
    // One field of 1 MB: refused by the field's rule, the other line stored.
    let huge = YELLOW.replace("王小明", &"王".repeat(350_000));
    kadian_en(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(format!("{huge}\n{YELLOW}\n"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("line 1: Name (person 1)"));
    kadian(dir.path())
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 3));
}

#[test]
fn demo_never_writes_into_a_real_checkpoint() {
    let dir = ready();
    kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(format!("{NORMAL}\n"))
        .assert()
        .success();
    let before = list_json(dir.path(), &[]).len();
    kadian(dir.path())
        .args(["demo", "--per-day", "5"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("T01")
                .and(predicate::function(|s: &str| s.lines().count() == 1)),
        );
    assert_eq!(list_json(dir.path(), &[]).len(), before, "nothing added");
    // The demo's code is reserved, so a real checkpoint cannot be taken for one.
    let other = tempfile::tempdir().unwrap();
    kadian(other.path())
        .args([
            "init",
            "--checkpoint",
            "DEMO",
            "--name",
            "x",
            "--province",
            "湘",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("DEMO"));
    // An empty dir becomes the demo checkpoint, and a second demo adds to it.
    kadian(other.path())
        .args(["demo", "--per-day", "5"])
        .assert()
        .success();
    kadian(other.path())
        .args(["demo", "--per-day", "5"])
        .assert()
        .success();
    // Its printed exports say so on every page.
    let xlsx = other.path().join("demo.xlsx");
    kadian(other.path())
        .args(["export", "--out"])
        .arg(&xlsx)
        .assert()
        .success();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(sheet.contains("演示数据"), "{sheet}");
}
