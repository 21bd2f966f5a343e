//! The whole benchmark suite on a temporary store: a bulk import of realistic records,
//! opening the store, searches, the day tally, exports, the TUI in a child process, the
//! durable commit against a raw append, and the floor sled sets, as one table.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::commit::{bench_store, run};
use super::floor::sled_floor;
use super::measure::{child, disk_bytes, files_under, ms};
use super::table::{Suite, row, with_reference};
use crate::clock::Clock;
use crate::error::Result;
use crate::store::Store;

/// The whole suite on a temporary store of `records` records under `base` (removed after).
pub fn suite(base: &Path, records: usize, samples: usize, clock: &dyn Clock) -> Result<Suite> {
    let dir: PathBuf = base.join(format!("kadian-bench-{}", ulid::Ulid::new()));
    let result = run_suite(&dir, records, samples, clock);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_suite(dir: &Path, records: usize, samples: usize, clock: &dyn Clock) -> Result<Suite> {
    let data = dir.join("data");
    let now = clock.now();
    let policy = crate::policy::Policy::default_policy();
    let mut rows = Vec::new();
    // Bulk import: realistic records (a tenth registered), 40k a day, 1,000 per commit.
    let per_day = 40_000usize;
    let days = records.div_ceil(per_day).max(1);
    let (plate, suffix, busiest);
    {
        let store = bench_store(&data)?;
        let mut rng = crate::rng::Rng::new(42);
        let start = now - chrono::Duration::days(days as i64);
        let t = Instant::now();
        let mut written = 0usize;
        let mut sample_plate = None;
        let mut sample_suffix = None;
        while written < records {
            let n = (records - written).min(1000);
            let batch: Vec<_> = (0..n)
                .map(|i| {
                    let k = written + i;
                    let at = start
                        + chrono::Duration::days((k / per_day) as i64)
                        + chrono::Duration::milliseconds(
                            ((k % per_day) as i64) * 86_400_000 / per_day as i64,
                        );
                    policy
                        .assess(
                            &crate::demo::random_draft(&mut rng, at, '湘', 8),
                            now,
                            now.date_naive(),
                        )
                        .expect("demo drafts are valid")
                })
                .collect();
            let stored = store.add_records(batch, "B01", &policy.version, now)?;
            for r in &stored {
                if sample_plate.is_none() {
                    sample_plate = r.vehicle.as_ref().map(|v| v.plate.to_string());
                }
                if sample_suffix.is_none() {
                    sample_suffix = r.persons.iter().find_map(|p| {
                        p.registration.as_ref().map(|g| {
                            let s = g.id_number.as_str();
                            s[s.len() - 4..].to_string()
                        })
                    });
                }
            }
            written += n;
        }
        let import = t.elapsed();
        store.close()?;
        let per_million = import.as_secs_f64() * 1_000_000.0 / records.max(1) as f64;
        rows.push(row(
            "bulk import (1,000 records a commit), per 1M",
            per_million,
            "s",
            "< 15 s",
            Some(per_million < 15.0),
        ));
        plate = sample_plate.unwrap_or_default();
        suffix = sample_suffix.unwrap_or_default();
        busiest = store.day_of(start + chrono::Duration::hours(12));
    }
    // Cold open (a fresh open in this process; the OS page cache is warm) vs reading the
    // same number of bytes sequentially.
    let bytes = disk_bytes(&data);
    let journal = std::fs::metadata(data.join("journal.log"))?.len();
    let t = Instant::now();
    let store = Store::open(&data)?;
    let open = t.elapsed();
    let t = Instant::now();
    let mut read = 0u64;
    for f in files_under(&data) {
        read += std::io::copy(&mut std::fs::File::open(f)?, &mut std::io::sink())?;
    }
    let read_t = t.elapsed();
    rows.push(with_reference(
        row(
            "open the store",
            ms(open),
            "ms",
            "< 50 ms",
            Some(ms(open) < 50.0),
        ),
        &format!("read {read} bytes sequentially"),
        ms(read_t),
    ));
    // Day tally and lookups.
    let t = Instant::now();
    let tally = store.day_tally(busiest)?;
    let tally_t = t.elapsed();
    rows.push(row(
        &format!("day tally ({} records)", tally.counts.records),
        ms(tally_t),
        "ms",
        "< 20 ms",
        Some(ms(tally_t) < 20.0),
    ));
    for (name, filter) in [
        (
            "plate lookup",
            crate::domain::Filter {
                plate: Some(plate.clone()),
                ..Default::default()
            },
        ),
        (
            "ID-suffix lookup",
            crate::domain::Filter {
                id_suffix: Some(suffix.clone()),
                ..Default::default()
            },
        ),
    ] {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..20 {
            let t = Instant::now();
            let page = store.search(&filter, 0, 18)?;
            times.push(t.elapsed());
            found = page.total;
        }
        times.sort();
        let p50 = ms(times[times.len() / 2]);
        rows.push(row(
            &format!("{name} ({found} found), p50 of 20"),
            p50,
            "ms",
            "< 1 ms",
            Some(p50 < 1.0 && found > 0),
        ));
    }
    let mut days_list = Vec::new();
    let first = store.day_of(now - chrono::Duration::days(days as i64));
    for d in first.iter_days().take(days + 1) {
        days_list.push(d);
    }
    store.close()?;
    drop(store);
    // Exports in a child process (its own peak memory), against `cat` of the logical data.
    let t = Instant::now();
    std::io::copy(
        &mut std::fs::File::open(data.join("journal.log"))?,
        &mut std::io::sink(),
    )?;
    let cat = t.elapsed();
    let (from, to) = (
        days_list[0].to_string(),
        days_list[days_list.len() - 1].to_string(),
    );
    for (fmt, target_s) in [("csv", Some(2.0)), ("xlsx", None)] {
        let out = dir.join(format!("export.{fmt}"));
        let (t, rss, _) = child(
            &data,
            &[
                "export",
                "--format",
                fmt,
                "--from",
                &from,
                "--to",
                &to,
                "--out",
                &out.display().to_string(),
            ],
        )?;
        let per_million = t.as_secs_f64() * 1_000_000.0 / records.max(1) as f64;
        rows.push(with_reference(
            row(
                &format!("export {} to {}, per 1M", records, fmt.to_uppercase()),
                per_million,
                "s",
                if target_s.is_some() { "< 2 s" } else { "-" },
                target_s.map(|s| per_million < s),
            ),
            "cat of the journal, per 1M",
            cat.as_secs_f64() * 1_000_000.0 / records.max(1) as f64,
        ));
        if let Some(kb) = rss {
            let mib = kb as f64 / 1024.0;
            rows.push(row(
                &format!("export to {}: peak memory", fmt.to_uppercase()),
                mib,
                "MiB",
                "< 64 MiB",
                (fmt == "csv").then_some(mib < 64.0),
            ));
        }
        let _ = std::fs::remove_file(out);
    }
    rows.push(row(
        "disk used per logical byte (data dir / journal)",
        bytes as f64 / journal.max(1) as f64,
        "×",
        "≤ 1.5×",
        Some((bytes as f64 / journal.max(1) as f64) <= 1.5),
    ));
    // The TUI on this store, headless in a child: memory and key-to-frame on 记录.
    let (_, rss, out) = child(&data, &["bench-ui"])?;
    let ui: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_default();
    if let Some(kb) = rss {
        let mib = kb as f64 / 1024.0;
        rows.push(row(
            "TUI resident memory (open, 记录 tab)",
            mib,
            "MiB",
            "< 100 MiB",
            Some(mib < 100.0),
        ));
    }
    for (k, name) in [
        ("opening_frame_ms", "TUI start to the opening screen"),
        (
            "first_frame_ms",
            "TUI open to first frame (the screen to work on)",
        ),
        ("key_p99_ms", "记录: key press to drawn frame, p99"),
    ] {
        if let Some(v) = ui[k].as_f64() {
            let (target, met) = if k != "key_p99_ms" {
                ("< 100 ms", v < 100.0)
            } else {
                ("p99 < 16 ms", v < 16.0)
            };
            rows.push(row(name, v, "ms", target, Some(met)));
        }
    }
    rows.extend(sled_floor(&data, &dir.join("floor"), records)?);
    // The durable commit, on this store, against a raw fdatasync append in the same dir.
    let f = run(&dir.join("commit"), 0, samples, clock)?;
    rows.insert(
        0,
        with_reference(
            row(
                "durable commit p50",
                f.commit_p50_us,
                "µs",
                "≤ 1.5× raw",
                Some(f.ratio_p50 <= 1.5),
            ),
            "raw write+fdatasync p50",
            f.fdatasync_p50_us,
        ),
    );
    rows.insert(
        1,
        with_reference(
            row(
                "durable commit p99",
                f.commit_p99_us,
                "µs",
                "≤ 2× raw",
                Some(f.ratio_p99 <= 2.0),
            ),
            "raw write+fdatasync p99",
            f.fdatasync_p99_us,
        ),
    );
    Ok(Suite {
        records,
        dir: dir.display().to_string(),
        rows,
    })
}
