//! The commit benchmark: a store prefilled like a bulk import, then durable commits of one
//! record sampled alternately with a raw `write` + `fdatasync` append of the same bytes in
//! the same directory, so machine noise hits both alike.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::Utc;
use serde::Serialize;

use super::measure::percentile;
use crate::clock::Clock;
use crate::domain::{Checkpoint, Officer, Role};
use crate::error::Result;
use crate::store::{Entry, Store, codec};

#[derive(Debug, Serialize)]
pub struct Figures {
    pub prefilled_records: usize,
    pub samples: usize,
    pub record_bytes: usize,
    pub commit_p50_us: f64,
    pub commit_p99_us: f64,
    pub fdatasync_p50_us: f64,
    pub fdatasync_p99_us: f64,
    pub ratio_p50: f64,
    pub ratio_p99: f64,
    pub dir: String,
}

/// Runs the commit benchmark in a fresh store under `base`, removed afterwards.
pub fn commit(base: &Path, prefill: usize, samples: usize, clock: &dyn Clock) -> Result<Figures> {
    let dir: PathBuf = base.join(format!("kadian-bench-{}", ulid::Ulid::new()));
    let result = run(&dir, prefill, samples, clock);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A new store for the bench: checkpoint BENCH, leader B01.
pub(super) fn bench_store(data: &Path) -> Result<Store> {
    let store = Store::open(data)?;
    let cp = Checkpoint::new(
        "BENCH",
        "基准测试",
        "湘",
        "Asia/Shanghai",
        0,
        "bench".into(),
    )?;
    store.init(cp)?;
    store.put_officer(Officer::new("B01", "bench", Role::Leader), false)?;
    Ok(store)
}

pub(super) fn run(
    dir: &Path,
    prefill: usize,
    samples: usize,
    clock: &dyn Clock,
) -> Result<Figures> {
    let store = bench_store(&dir.join("data"))?;
    // Prefill in large group commits, like a bulk import.
    let mut rng = crate::rng::Rng::new(1);
    let now = clock.now();
    let mut left = prefill;
    while left > 0 {
        let n = left.min(1000);
        let batch: Vec<_> = (0..n).map(|_| sample_record(&mut rng, now)).collect();
        store.add_records(batch, "B01", "bench", now)?;
        left -= n;
    }
    let mut raw = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("raw-append.bin"))?;
    let mut commit_t = Vec::with_capacity(samples);
    let mut raw_t = Vec::with_capacity(samples);
    let mut record_bytes = 0;
    for _ in 0..samples {
        let new = sample_record(&mut rng, now);
        let t = Instant::now();
        let r = store.add_record(new, "B01", "bench", Utc::now())?;
        commit_t.push(t.elapsed());
        let bytes = codec::encode(&Entry::Record(r));
        record_bytes = bytes.len();
        let t = Instant::now();
        raw.write_all(&bytes)?;
        raw.sync_data()?;
        raw_t.push(t.elapsed());
    }
    store.close()?;
    commit_t.sort();
    raw_t.sort();
    let (c50, c99, r50, r99) = (
        percentile(&commit_t, 0.5),
        percentile(&commit_t, 0.99),
        percentile(&raw_t, 0.5),
        percentile(&raw_t, 0.99),
    );
    Ok(Figures {
        prefilled_records: prefill,
        samples,
        record_bytes,
        commit_p50_us: c50,
        commit_p99_us: c99,
        fdatasync_p50_us: r50,
        fdatasync_p99_us: r99,
        ratio_p50: c50 / r50,
        ratio_p99: c99 / r99,
        dir: dir.display().to_string(),
    })
}

fn sample_record(
    rng: &mut crate::rng::Rng,
    now: chrono::DateTime<Utc>,
) -> crate::domain::NewRecord {
    use crate::domain::input::PersonDraft;
    let plate = crate::demo::plate(rng, '湘');
    let person = crate::policy::Policy::default_policy()
        .assess_person(&PersonDraft::all_normal(), now.date_naive())
        .expect("an all-normal person is valid");
    crate::domain::NewRecord {
        time: now,
        vehicle: Some(crate::domain::Vehicle {
            plate,
            kind: crate::domain::VehicleKind::Car,
            origin: "长沙".into(),
            destination: "常德市武陵区".into(),
            disinfected: false,
            freight: None,
            cold_chain: false,
        }),
        persons: vec![person],
    }
}
