//! `kadian bench`: measures the durable commit against its physical reference in the same
//! run, on the same disk — a raw `write` + `fdatasync` append of the same bytes to a file in
//! the same directory. Samples alternate between the two so machine noise hits both alike.
//! Reports p50/p99 and their ratios. Never part of `cargo test` beyond a smoke run.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde::Serialize;

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

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

/// Runs the commit benchmark in a fresh store under `base`, removed afterwards.
pub fn commit(base: &Path, prefill: usize, samples: usize, clock: &dyn Clock) -> Result<Figures> {
    let dir: PathBuf = base.join(format!("kadian-bench-{}", ulid::Ulid::new()));
    let result = run(&dir, prefill, samples, clock);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A new store for the bench: checkpoint BENCH, leader B01.
fn bench_store(data: &Path) -> Result<Store> {
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

fn run(dir: &Path, prefill: usize, samples: usize, clock: &dyn Clock) -> Result<Figures> {
    let store = bench_store(&dir.join("data"))?;
    // Prefill in large group commits, like a bulk import.
    let mut rng = crate::demo::Rng::new(1);
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
    rng: &mut crate::demo::Rng,
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

/// One row of the suite: a measurement, its physical reference measured in the same run
/// (when there is one), and the target.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub reference: Option<String>,
    pub reference_value: Option<f64>,
    pub ratio: Option<f64>,
    pub target: String,
    pub met: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Suite {
    pub records: usize,
    pub dir: String,
    pub rows: Vec<Row>,
}

impl Suite {
    pub fn table(&self) -> String {
        let mut out = format!(
            "kadian bench: {} records in {}\n{:<44} {:>12} {:<6} {:>12} {:>8}  {:<14} {}\n",
            self.records,
            self.dir,
            "measurement",
            "value",
            "unit",
            "reference",
            "ratio",
            "target",
            "met"
        );
        for r in &self.rows {
            out.push_str(&format!(
                "{:<44} {:>12.2} {:<6} {:>12} {:>8}  {:<14} {}\n",
                r.name,
                r.value,
                r.unit,
                r.reference_value.map_or("-".into(), |v| format!("{v:.2}")),
                r.ratio.map_or("-".into(), |v| format!("{v:.2}×")),
                r.target,
                match r.met {
                    Some(true) => "yes",
                    Some(false) => "NO",
                    None => "-",
                }
            ));
        }
        out.trim_end().to_string()
    }
}

fn row(name: &str, value: f64, unit: &str, target: &str, met: Option<bool>) -> Row {
    Row {
        name: name.into(),
        value,
        unit: unit.into(),
        reference: None,
        reference_value: None,
        ratio: None,
        target: target.into(),
        met,
    }
}

fn with_reference(mut r: Row, reference: &str, value: f64) -> Row {
    r.reference = Some(reference.into());
    r.reference_value = Some(value);
    r.ratio = (value > 0.0).then(|| r.value / value);
    r
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Bytes of every file under `dir`.
fn disk_bytes(dir: &Path) -> u64 {
    let mut n = 0;
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            n += if p.is_dir() {
                disk_bytes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            };
        }
    }
    n
}

/// Runs `kadian ARGS` on `data` as a child process; returns (wall time, peak RSS in KiB if
/// the platform reports it, stdout).
fn child(data: &Path, args: &[&str]) -> Result<(Duration, Option<u64>, String)> {
    let exe = std::env::current_exe()?;
    let t = Instant::now();
    let out = std::process::Command::new(exe)
        .args(args)
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_REPORT_RSS", "1")
        .output()?;
    let elapsed = t.elapsed();
    if !out.status.success() {
        return Err(crate::error::Error::Io(std::io::Error::other(format!(
            "bench child {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))));
    }
    let rss = String::from_utf8_lossy(&out.stderr).lines().find_map(|l| {
        l.strip_prefix("kadian-peak-rss-kb ")
            .and_then(|n| n.trim().parse().ok())
    });
    Ok((
        elapsed,
        rss,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

/// This process's peak resident memory in KiB (Linux; None elsewhere).
pub fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

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
        let mut rng = crate::demo::Rng::new(42);
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
            crate::store::Filter {
                plate: Some(plate.clone()),
                ..Default::default()
            },
        ),
        (
            "ID-suffix lookup",
            crate::store::Filter {
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
    rows.extend(sled_floor(
        &data.join("journal.log"),
        &dir.join("floor"),
        records,
    )?);
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

/// The floor sled itself sets, measured in the same run: the same records (read back from
/// the store's journal) written to a fresh sled tree as **one key per record and nothing
/// else** (no index, no counter), 1,000 per batch, in the order they were logged (ids grow,
/// so the keys are sequential: sled's best case). Any layout that keeps at least one sled
/// key per record costs at least this much to write, to open and on disk.
fn sled_floor(journal: &Path, floor: &Path, records: usize) -> Result<Vec<Row>> {
    let logical = std::fs::metadata(journal)?.len();
    let t = Instant::now();
    let n;
    let (one_key, blocks) = (floor.join("one-key"), floor.join("blocks"));
    {
        let db = floor_db(&one_key)?;
        let tree = db.open_tree("records")?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0usize;
        let mut count = 0usize;
        crate::store::journal::read_frames(journal, 0, logical, &mut |payload| {
            if let Entry::Record(r) = codec::decode::<Entry>("journal entry", payload)? {
                batch.insert(r.id.as_bytes(), codec::encode(&r));
                in_batch += 1;
                count += 1;
                if in_batch == 1000 {
                    tree.apply_batch(std::mem::take(&mut batch))?;
                    in_batch = 0;
                }
            }
            Ok(())
        })?;
        tree.apply_batch(batch)?;
        db.flush()?;
        n = count;
    }
    let write = t.elapsed();
    let (bytes, open) = reopen_and_remove(&one_key, "records")?;
    let name = |what: &str| format!("sled floor (1 key a record, {records}): {what}");
    let mut rows = floor_rows(&name, write, open, bytes, n, logical);
    // The layout the targets need, for comparison: the same records in per-day blocks of
    // BLOCK, each block one sled value compressed with zstd (records only, no indexes).
    const BLOCK: usize = 512;
    let t = Instant::now();
    {
        let db = floor_db(&blocks)?;
        let tree = db.open_tree("blocks")?;
        let mut block: Vec<u8> = Vec::new();
        let (mut in_block, mut seq, mut day) = (0usize, 0u32, None);
        let put = |day: Option<chrono::NaiveDate>, seq: u32, block: &mut Vec<u8>| {
            if let Some(d) = day {
                let mut key = crate::store::keys::day_bytes(d).to_vec();
                key.extend_from_slice(&seq.to_be_bytes());
                let packed = zstd::bulk::compress(block, 1)?;
                tree.insert(key, packed)?;
                block.clear();
            }
            Ok::<_, crate::error::Error>(())
        };
        crate::store::journal::read_frames(journal, 0, logical, &mut |payload| {
            if let Entry::Record(r) = codec::decode::<Entry>("journal entry", payload)? {
                let d = r.time.date_naive();
                if day != Some(d) || in_block == BLOCK {
                    put(day, seq, &mut block)?;
                    seq = if day == Some(d) { seq + 1 } else { 0 };
                    (day, in_block) = (Some(d), 0);
                }
                let bytes = codec::encode(&r);
                block.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                block.extend_from_slice(&bytes);
                in_block += 1;
            }
            Ok(())
        })?;
        put(day, seq, &mut block)?;
        db.flush()?;
    }
    let write = t.elapsed();
    let (bytes, open) = reopen_and_remove(&blocks, "blocks")?;
    let _ = std::fs::remove_dir_all(floor);
    let name = |what: &str| format!("sled, zstd day blocks of {BLOCK} ({records}): {what}");
    rows.extend(floor_rows(&name, write, open, bytes, n, logical));
    Ok(rows)
}

/// A sled database for the comparison layouts, configured as the store's.
fn floor_db(dir: &Path) -> Result<sled::Db> {
    let config = sled::Config::new()
        .path(dir)
        .cache_capacity(crate::store::CACHE_BYTES);
    crate::store::open_sled(&config, dir)
}

/// The disk a written sled dir takes, and the time to open it again (to its first key);
/// then removes it.
fn reopen_and_remove(dir: &Path, tree: &str) -> Result<(u64, Duration)> {
    let bytes = disk_bytes(dir);
    let t = Instant::now();
    {
        let db = floor_db(dir)?;
        let _ = db.open_tree(tree)?.first()?;
    }
    let open = t.elapsed();
    let _ = std::fs::remove_dir_all(dir);
    Ok((bytes, open))
}

fn floor_rows(
    name: &dyn Fn(&str) -> String,
    write: Duration,
    open: Duration,
    bytes: u64,
    n: usize,
    logical: u64,
) -> Vec<Row> {
    let per_million = write.as_secs_f64() * 1_000_000.0 / n.max(1) as f64;
    vec![
        row(&name("write, per 1M"), per_million, "s", "-", None),
        row(&name("open"), ms(open), "ms", "-", None),
        row(
            &name("disk per logical byte"),
            bytes as f64 / logical.max(1) as f64,
            "×",
            "-",
            None,
        ),
    ]
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// `kadian bench-ui` (hidden): the TUI on the data dir, headless at 80×24 — time to the first
/// frame, then key presses on 记录 (↓ and PgDn, each dispatched and drawn); prints JSON.
pub fn ui(dir: &Path, clock: std::sync::Arc<dyn Clock>) -> Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let t = Instant::now();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .map_err(|e| crate::error::Error::Io(std::io::Error::other(e.to_string())))?;
    let i18n = crate::i18n::I18n::new(crate::i18n::Lang::Zh);
    let (store, opening_frame) = crate::tui::open_behind_splash(&mut term, dir, &i18n)?;
    let mut rt = crate::tui::Runtime::new(store, clock);
    let mut app = crate::tui::new_app(&mut rt, crate::policy::Policy::default_policy(), i18n)?;
    let draw = |term: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
                app: &crate::app::App| {
        let _ = term.draw(|f| crate::ui::draw(f, app));
    };
    draw(&mut term, &app);
    let first_frame = t.elapsed();
    // Signed in as the first officer (the bench skips the PIN), on 记录.
    if let Some(o) = rt.store.officers()?.into_iter().find(|o| o.active) {
        crate::tui::dispatch(&mut app, crate::app::Action::SignedIn(o), &mut rt);
    }
    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let ctrl = Event::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
    if let Some(a) = crate::tui::action_for(&app, &ctrl) {
        crate::tui::dispatch(&mut app, a, &mut rt);
    }
    draw(&mut term, &app);
    let mut times = Vec::new();
    for i in 0..200 {
        let ev = if i % 10 == 9 {
            key(KeyCode::PageDown)
        } else {
            key(KeyCode::Down)
        };
        let t = Instant::now();
        if let Some(a) = crate::tui::action_for(&app, &ev) {
            crate::tui::dispatch(&mut app, a, &mut rt);
        }
        draw(&mut term, &app);
        times.push(t.elapsed());
    }
    times.sort();
    let p = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    Ok(serde_json::json!({
        "opening_frame_ms": ms(opening_frame),
        "first_frame_ms": ms(first_frame),
        "key_p50_ms": p(0.5),
        "key_p99_ms": p(0.99),
        "records_total": app.records.total,
    })
    .to_string())
}
