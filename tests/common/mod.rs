//! Shared helpers of the integration tests: a temp data dir and the kadian binary with a
//! fixed clock (`KADIAN_NOW`), so nothing depends on the wall clock.
#![allow(dead_code)]

pub mod desk;

use assert_cmd::Command;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

/// 2026-11-24 09:15 in Shanghai.
pub const NOW: &str = "2026-11-24T01:15:00Z";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kadian"))
}

/// The binary on a test dir. Commands done in someone's name find that person's PIN
/// (every test member has `PIN`) in a PIN file, as a script at a checkpoint would.
pub fn kadian(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("KADIAN_DATA_DIR", dir.join("data"))
        .env("KADIAN_NOW", NOW)
        .env("KADIAN_PIN_FILE", pin_file(dir))
        .env_remove("KADIAN_LANG");
    c
}

/// The PIN file for a data dir used without `kadian()`: one per test process, in the temp
/// dir — never beside the data dir, which may be a LazyFS mount whose unsynced files a
/// simulated power cut drops.
pub fn pin_file_near(_data: &Path) -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        write_pin_file(
            &std::env::temp_dir().join(format!("kadian-test-pin-{}", std::process::id())),
        )
    })
    .clone()
}

fn write_pin_file(path: &Path) -> PathBuf {
    // A test of a read-only dir cannot hold the file: its commands then find no PIN.
    if !path.exists()
        && std::fs::create_dir_all(path.parent().unwrap()).is_ok()
        && std::fs::write(path, format!("{PIN}\n")).is_ok()
    {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    path.to_path_buf()
}

/// `dir/pin`, holding `PIN`, readable by its owner only.
pub fn pin_file(dir: &Path) -> PathBuf {
    write_pin_file(&dir.join("pin"))
}

/// `kadian` with English messages (`--lang en`), for tests that read an error's wording.
pub fn kadian_en(dir: &Path) -> Command {
    let mut c = kadian(dir);
    c.env("KADIAN_LANG", "en");
    c
}

/// A data dir with checkpoint T01 and officer S01.
/// The PIN the test staff get.
pub const PIN: &str = "2468";

/// A data dir with checkpoint T01 and officer S01 (PIN 2468).
pub fn ready() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    kadian(dir.path())
        .args([
            "init",
            "--checkpoint",
            "T01",
            "--name",
            "测试卡点",
            "--province",
            "湘",
        ])
        .assert()
        .success();
    kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "S01",
            "--name",
            "测试员",
            "--role",
            "leader",
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
    dir
}

pub const NORMAL: &str = r#"{"vehicle":{"plate":"湘J12345","kind":"小客车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":36.5,"health_code":"green","itinerary_risk":false,"test":{"result":"negative","hours_ago":20},"identity_refused":false}]}"#;
pub const YELLOW: &str = r#"{"vehicle":null,"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},"name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区"}]}"#;

/// Streams records into one `kadian add` child and kills it after `delay`; returns the ids
/// the child acknowledged before dying.
pub fn kill_during_add(data: &Path, delay: Duration) -> Vec<String> {
    let mut child = std::process::Command::new(bin())
        .args(["add", "--officer", "S01", "--format", "json", "-"])
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_PIN_FILE", pin_file_near(data))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        for i in 0.. {
            let line = if i % 7 == 3 { YELLOW } else { NORMAL };
            if writeln!(stdin, "{line}").is_err() {
                break;
            }
        }
    });
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                // Only a complete line is an acknowledgement; a torn last line is not.
                Ok(n) if n > 0 && buf.ends_with(b"\n") => {
                    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
                    tx.send(v["id"].as_str().unwrap().to_string()).unwrap();
                }
                _ => break,
            }
        }
    });
    std::thread::sleep(delay);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    feeder.join().unwrap();
    rx.into_iter().collect()
}

pub fn listed_ids(data: &Path) -> HashSet<String> {
    let out = std::process::Command::new(bin())
        .args(["list", "--format", "json"])
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_PIN_FILE", pin_file_near(data))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "store must open after a crash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

pub fn init(data: &Path) {
    for args in [
        &[
            "init",
            "--checkpoint",
            "T01",
            "--name",
            "崩溃测试",
            "--province",
            "湘",
        ][..],
        &[
            "staff",
            "add",
            "--code",
            "S01",
            "--name",
            "测试员",
            "--new-pin-stdin",
        ],
    ] {
        let mut child = std::process::Command::new(bin())
            .args(args)
            .env("KADIAN_DATA_DIR", data)
            .env("KADIAN_PIN_FILE", pin_file_near(data))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PIN}\n").as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }
}

/// Runs `kadian` with `args` on `data` and kills it with SIGKILL after `delay`, unless it
/// finished first. Returns its stdout if it exited 0 (acknowledged), else None.
pub fn run_or_kill(data: &std::path::Path, args: &[&str], delay: Duration) -> Option<String> {
    let mut child = std::process::Command::new(bin())
        .args(args)
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_PIN_FILE", pin_file_near(data))
        .env("KADIAN_NOW", NOW)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
            return st.success().then_some(out);
        }
        if start.elapsed() >= delay {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

pub fn kadian_ok(data: &std::path::Path, args: &[&str], stdin: &str) -> String {
    let mut c = std::process::Command::new(bin());
    c.args(args)
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_PIN_FILE", pin_file_near(data))
        .env("KADIAN_NOW", NOW)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap();
    // Fed from a thread: the child's output must be read meanwhile, or both pipes fill up.
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_string();
    let feeder = std::thread::spawn(move || std::io::Write::write_all(&mut input, text.as_bytes()));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Another laptop of T01 at `lane` with `n` records (every fifth registered) in one bundle,
/// trusted by `data`. Returns the bundle and the lane's record ids.
pub fn lane_bundle(
    dir: &Path,
    data: &Path,
    n: usize,
) -> (std::path::PathBuf, std::collections::HashSet<String>) {
    let lane = dir.join("lane");
    init(&lane);
    let lines: Vec<&str> = (0..n)
        .map(|i| if i % 5 == 0 { YELLOW } else { NORMAL })
        .collect();
    kadian_ok(
        &lane,
        &["add", "--officer", "S01"],
        &(lines.join("\n") + "\n"),
    );
    let bundle = dir.join("lane.kdb");
    kadian_ok(&lane, &["sync", "--out", bundle.to_str().unwrap()], "");
    let key = dir.join("lane.key");
    kadian_ok(
        &lane,
        &["trust", "export", "--out", key.to_str().unwrap()],
        "",
    );
    // By the receiver's leader L01 (the callers make one).
    kadian_ok(
        data,
        &["trust", "add", "--by", "L01", key.to_str().unwrap()],
        "",
    );
    (bundle, listed_ids(&lane))
}

/// After a crash or a power cut: every acknowledged record is listed, the lane's records too
/// once an import was acknowledged, and every acknowledged amendment is in its history.
pub fn assert_kept(
    data: &Path,
    cycle: u64,
    records: &HashSet<String>,
    import: Option<&HashSet<String>>,
    amendments: &[(String, String)],
) {
    let listed = listed_ids(data);
    let lost: Vec<_> = records.difference(&listed).collect();
    assert!(
        lost.is_empty(),
        "cycle {cycle}: acknowledged records lost: {lost:?}"
    );
    if let Some(ids) = import {
        assert!(
            ids.is_subset(&listed),
            "cycle {cycle}: an acknowledged import lost records"
        );
    }
    for (id, a) in amendments {
        let h = kadian_ok(data, &["show", id, "--history", "--format", "json"], "");
        assert!(
            h.contains(a.as_str()),
            "cycle {cycle}: amendment {a} of {id} lost"
        );
    }
}
