//! The floor sled itself sets, measured in the same run as the suite: the same records
//! written to a fresh sled tree as one key each and nothing else, and — the layout the
//! targets need, for comparison — in zstd-compressed day blocks; write time, open time and
//! disk per logical byte of each.

use std::path::Path;
use std::time::{Duration, Instant};

use super::measure::{disk_bytes, ms};
use super::table::{Row, row};
use crate::error::Result;
use crate::store::{Store, codec};

/// The floor sled itself sets, measured in the same run: the same records (read back from
/// the journal of the store in `data`) written to a fresh sled tree as **one key per record and nothing
/// else** (no index, no counter), 1,000 per batch, in the order they were logged (ids grow,
/// so the keys are sequential: sled's best case). Any layout that keeps at least one sled
/// key per record costs at least this much to write, to open and on disk.
pub(super) fn sled_floor(data: &Path, floor: &Path, records: usize) -> Result<Vec<Row>> {
    let t = Instant::now();
    let (n, logical);
    let (one_key, blocks) = (floor.join("one-key"), floor.join("blocks"));
    {
        let db = floor_db(&one_key)?;
        let tree = db.open_tree("records")?;
        let mut batch = sled::Batch::default();
        let mut in_batch = 0usize;
        let mut count = 0usize;
        logical = Store::journaled_records(data, &mut |r| {
            batch.insert(r.id.as_bytes(), codec::encode(&r));
            in_batch += 1;
            count += 1;
            if in_batch == 1000 {
                tree.apply_batch(std::mem::take(&mut batch))?;
                in_batch = 0;
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
                let mut key = d.format("%Y%m%d").to_string().into_bytes();
                key.extend_from_slice(&seq.to_be_bytes());
                let packed = zstd::bulk::compress(block, 1)?;
                tree.insert(key, packed)?;
                block.clear();
            }
            Ok::<_, crate::error::Error>(())
        };
        Store::journaled_records(data, &mut |r| {
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
    crate::store::sled_db(dir)
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
