//! Crash test: a child `kadian add` streams records and is killed with SIGKILL at a
//! pseudo-random moment, many times; after each kill every id it printed (a complete line
//! on stdout = acknowledged) must be listed by a fresh `kadian list`, and the store must open.
//! Short in `cargo test`; `cargo test --test crash -- --ignored` runs 200 cycles.
#![cfg(unix)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{init, kill_during_add, listed_ids};

fn kill_loop(cycles: u64) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    init(&data);
    let mut acked_total = HashSet::new();
    let mut rng = kadian::demo::Rng::new(0x5EED);
    for cycle in 0..cycles {
        let delay = Duration::from_millis(30 + rng.below(250));
        let acked = kill_during_add(&data, delay);
        acked_total.extend(acked);
        let listed = listed_ids(&data);
        let lost: Vec<_> = acked_total.difference(&listed).collect();
        assert!(
            lost.is_empty(),
            "cycle {cycle}: acknowledged but lost: {lost:?}"
        );
    }
    assert!(
        acked_total.len() as u64 > cycles,
        "the loop wrote records ({})",
        acked_total.len()
    );
    let v = std::process::Command::new(common::bin())
        .arg("verify")
        .env("KADIAN_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "the store verifies after the kills: {}",
        String::from_utf8_lossy(&v.stdout)
    );
    eprintln!(
        "{cycles} kills, {} acknowledged records, none lost",
        acked_total.len()
    );
}

#[test]
fn sigkill_never_loses_an_acknowledged_record() {
    kill_loop(12);
}

#[test]
#[ignore = "long: 200 kill cycles (about 3 minutes in release)"]
fn sigkill_loop_200_cycles() {
    kill_loop(200);
}
