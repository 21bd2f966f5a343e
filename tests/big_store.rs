//! Timings on a large store, for BENCHMARKS.md (not part of `cargo test`):
//!
//! ```sh
//! KADIAN_DATA_DIR=/big kadian demo --days 25 --per-day 40000      # 1M records
//! KADIAN_BIG_STORE=/big cargo test --release --test big_store -- --ignored --nocapture
//! ```

use std::time::Instant;

#[test]
#[ignore = "needs KADIAN_BIG_STORE pointing at a filled data dir"]
fn timings_on_a_big_store() {
    let Ok(dir) = std::env::var("KADIAN_BIG_STORE") else {
        return;
    };
    let t = Instant::now();
    let store = kadian::store::Store::open_existing(std::path::Path::new(&dir)).unwrap();
    eprintln!("open: {:?}", t.elapsed());
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let tally = store.day_tally(day).unwrap();
        eprintln!(
            "day tally ({} records that day): {:?}",
            tally.counts.records,
            t.elapsed()
        );
    }
    let t = Instant::now();
    let n = store.day_counts(day).unwrap().records;
    eprintln!("day counters alone: {:?} ({n})", t.elapsed());
    let page = store.day_page(day, 0, 18).unwrap();
    let plate = page[0]
        .vehicle
        .as_ref()
        .map(|v| v.plate.to_string())
        .unwrap_or_default();
    let t = Instant::now();
    let hits = store.by_plate(&plate).unwrap();
    eprintln!(
        "plate lookup {plate}: {:?} ({} hits)",
        t.elapsed(),
        hits.len()
    );
    let t = Instant::now();
    let _ = store.day_page(day, 20_000, 18).unwrap();
    eprintln!("a page at offset 20000 of the day: {:?}", t.elapsed());
    // Filtered pages (the 记录 tab), from a registered person of that day.
    let r = store
        .search(
            &kadian::store::Filter {
                disposition: Some(kadian::domain::Disposition::HomeMonitoring),
                from: Some(day),
                to: Some(day),
                ..Default::default()
            },
            0,
            1,
        )
        .unwrap()
        .records
        .remove(0);
    let reg = r
        .persons
        .iter()
        .find_map(|p| p.registration.clone())
        .unwrap();
    let idn = reg.id_number.to_string();
    for (what, f) in [
        (
            "ID suffix, all days",
            kadian::store::Filter {
                id_suffix: Some(idn[14..].to_string()),
                ..Default::default()
            },
        ),
        (
            "name, all days",
            kadian::store::Filter {
                name: Some(reg.name.clone()),
                ..Default::default()
            },
        ),
        (
            "exact plate, all days",
            kadian::store::Filter {
                plate: r.vehicle.as_ref().map(|v| v.plate.to_string()),
                ..Default::default()
            },
        ),
        (
            "disposition + one day",
            kadian::store::Filter {
                disposition: Some(kadian::domain::Disposition::FeverClinic),
                from: Some(day),
                to: Some(day),
                ..Default::default()
            },
        ),
        (
            "partial plate + one day",
            kadian::store::Filter {
                plate: Some("A1".into()),
                from: Some(day),
                to: Some(day),
                ..Default::default()
            },
        ),
        (
            "one day, no filter",
            kadian::store::Filter {
                from: Some(day),
                to: Some(day),
                ..Default::default()
            },
        ),
    ] {
        let t = Instant::now();
        let page = store.search(&f, 0, 18).unwrap();
        eprintln!(
            "filtered page ({what}): {:?} ({} matches)",
            t.elapsed(),
            page.total
        );
    }
    if std::env::var("KADIAN_BIG_VERIFY").is_ok() {
        let t = Instant::now();
        let problems = store.verify(&mut |_| {}).unwrap();
        eprintln!("verify: {:?}, {} problems", t.elapsed(), problems.len());
    }
}
