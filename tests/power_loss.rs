//! Power-loss test under LazyFS (a FUSE file system that drops every write not yet
//! fsync'd when told to — what a power cut does; SIGKILL alone keeps the page cache).
//!
//! Needs root, /dev/fuse and a LazyFS build: `tests/lazyfs/build.sh` (installs the Debian
//! packages and builds the vendored source). `.ci/run` runs these tests when it can;
//! by hand: `cargo test --release --test power_loss -- --ignored --test-threads 1`.
//!
//! Two tests: kadian's commit survives power loss (every acknowledged record is there
//! after remount), and the control — sled's own `insert` + `flush()` acknowledged the same
//! way does NOT survive it — proving the journal's fdatasync is what we rely on.
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{init, kill_during_add, listed_ids};

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/lazyfs/run-with-lazyfs.sh"
);

fn lazyfs(args: &[&Path]) {
    let st = Command::new(SCRIPT)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(st.success(), "lazyfs {args:?} failed");
}

fn p(s: &str) -> &Path {
    Path::new(s)
}

#[test]
#[ignore = "needs root, /dev/fuse and LazyFS (tests/lazyfs/build.sh)"]
fn power_loss_never_loses_an_acknowledged_record() {
    let dir = tempfile::tempdir().unwrap();
    let (mnt, backing) = (dir.path().join("mnt"), dir.path().join("backing"));
    lazyfs(&[p("mount"), &mnt, &backing]);
    let data = mnt.join("data");
    init(&data);
    let mut acked_all = std::collections::HashSet::new();
    let mut rng = kadian::rng::Rng::new(42);
    for cycle in 0..8 {
        let acked = kill_during_add(&data, Duration::from_millis(100 + rng.below(400)));
        assert!(
            !acked.is_empty(),
            "cycle {cycle}: the writer acknowledged something"
        );
        acked_all.extend(acked);
        lazyfs(&[p("power-loss"), &mnt]);
        lazyfs(&[p("remount"), &mnt]);
        let listed = listed_ids(&data);
        let lost: Vec<_> = acked_all.difference(&listed).collect();
        assert!(
            lost.is_empty(),
            "cycle {cycle}: {} acknowledged records lost after power loss: {lost:?}",
            lost.len()
        );
    }
    let v = Command::new(common::bin())
        .arg("verify")
        .env("KADIAN_DATA_DIR", &data)
        .env("KADIAN_PIN_FILE", common::pin_file_near(&data))
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "the store verifies after the power cuts: {}",
        String::from_utf8_lossy(&v.stdout)
    );
    eprintln!(
        "power loss x8: {} acknowledged records, none lost",
        acked_all.len()
    );
    lazyfs(&[p("umount"), &mnt]);
}

/// The control: a child of this test binary inserts into plain sled, calls `flush()` and
/// prints "ack N" after each. After a power cut, acknowledged keys are missing.
#[test]
#[ignore = "needs root, /dev/fuse and LazyFS (tests/lazyfs/build.sh)"]
fn control_sled_flush_alone_loses_acknowledged_writes() {
    if let Ok(path) = std::env::var("KADIAN_SLED_PROBE") {
        sled_probe_child(Path::new(&path));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mnt, backing) = (dir.path().join("mnt"), dir.path().join("backing"));
    lazyfs(&[p("mount"), &mnt, &backing]);
    let db = mnt.join("sled");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "control_sled_flush_alone_loses_acknowledged_writes",
            "--ignored",
            "--nocapture",
        ])
        .env("KADIAN_SLED_PROBE", &db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = 0u64;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    // Acknowledged writes, then a power cut while sled's background fsync is not yet due.
    for l in lines.by_ref() {
        if let Some(n) = l.unwrap().strip_prefix("ack ") {
            acked = n.trim().parse::<u64>().unwrap() + 1;
            if acked >= 200 {
                break;
            }
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    lazyfs(&[p("power-loss"), &mnt]);
    lazyfs(&[p("remount"), &mnt]);
    let present = match sled::open(&db) {
        Ok(db) => (0..acked)
            .filter(|i| db.get(i.to_be_bytes()).ok().flatten().is_some())
            .count() as u64,
        Err(_) => 0,
    };
    lazyfs(&[p("umount"), &mnt]);
    eprintln!("sled insert+flush: {acked} acknowledged, {present} present after power loss");
    assert!(
        present < acked,
        "sled's flush() alone is not durable: expected losses, found all {acked}"
    );
}

fn sled_probe_child(path: &Path) {
    let db = sled::Config::new()
        .path(path)
        .flush_every_ms(Some(500))
        .open()
        .unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        db.insert(i.to_be_bytes(), vec![7u8; 300]).unwrap();
        db.flush().unwrap();
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
}

/// Power cuts right after acknowledged amendments and bundle imports, and in the middle of
/// an import: everything acknowledged is there after remount, an interrupted import completes
/// when run again, and the store verifies.
#[test]
#[ignore = "needs root, /dev/fuse and LazyFS (tests/lazyfs/build.sh)"]
fn power_loss_keeps_acknowledged_amendments_and_imports() {
    use common::{kadian_ok, run_or_kill};
    let dir = tempfile::tempdir().unwrap();
    let (mnt, backing) = (dir.path().join("mnt"), dir.path().join("backing"));
    lazyfs(&[p("mount"), &mnt, &backing]);
    let data = mnt.join("data");
    init(&data);
    kadian_ok(
        &data,
        &[
            "staff",
            "add",
            "--code",
            "L01",
            "--name",
            "带班",
            "--role",
            "leader",
            "--new-pin-stdin",
        ],
        &format!("{}\n", common::PIN),
    );
    // A lane laptop (on the ordinary disk) with 2,000 records in one bundle.
    let (bundle, lane_ids) = common::lane_bundle(dir.path(), &data, 2000);
    let mut acked = std::collections::HashSet::new();
    let mut amendments = Vec::new();
    let mut rng = kadian::rng::Rng::new(7);
    for cycle in 0..6 {
        acked.extend(kill_during_add(
            &data,
            Duration::from_millis(100 + rng.below(300)),
        ));
        // An amendment acknowledged just before the cut.
        let ids: Vec<&String> = acked.iter().collect();
        let id = ids[rng.below(ids.len() as u64) as usize].clone();
        let temp = format!("persons[0].temperature=36.{}", cycle);
        let out = kadian_ok(
            &data,
            &[
                "amend",
                &id,
                "--set",
                &temp,
                "--reason",
                "复核体温",
                "--by",
                "L01",
            ],
            "",
        );
        amendments.push((id, out.trim().to_string()));
        // An import cut in the middle on even cycles, acknowledged whole on odd ones.
        let imported = if cycle % 2 == 0 {
            run_or_kill(
                &data,
                &["import", "--by", "L01", bundle.to_str().unwrap()],
                Duration::from_millis(300),
            )
            .is_some()
        } else {
            kadian_ok(
                &data,
                &["import", "--by", "L01", bundle.to_str().unwrap()],
                "",
            );
            true
        };
        lazyfs(&[p("power-loss"), &mnt]);
        lazyfs(&[p("remount"), &mnt]);
        common::assert_kept(
            &data,
            cycle,
            &acked,
            imported.then_some(&lane_ids),
            &amendments,
        );
    }
    kadian_ok(
        &data,
        &["import", "--by", "L01", bundle.to_str().unwrap()],
        "",
    );
    let v = kadian_ok(&data, &["--lang", "en", "verify"], "");
    assert!(v.starts_with("ok"), "{v}");
    eprintln!(
        "6 power cuts: {} records, {} amendments and the imports kept",
        acked.len(),
        amendments.len()
    );
    lazyfs(&[p("umount"), &mnt]);
}
