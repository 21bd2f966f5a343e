//! What a key layout costs in sled 0.34.7, measured on synthetic data shaped like the ledger
//! (one day = 40,000 records; a tenth of them with a registered person's 4 index keys), so
//! a layout can be judged before it is built:
//!
//! ```text
//! cargo bench --bench sled_layouts            # 1,000,000 records
//! cargo bench --bench sled_layouts -- 200000  # another size
//! ```
//!
//! Each layout is written (batches of 4,096 records, as the store's bulk path does) and then
//! reopened in a child process of its own, so the memory figure is that of the open alone.
//! sled splits a leaf at 16 entries and keeps every page in its page table, so what the
//! figures follow is the number of keys, not the number of bytes.
//!
//! Layouts:
//! - `today`: what kadian stores now — record `R` and chain link `L` (sequential, with
//!   values), day `D` and disposition `X` index keys (sequential), plate `P` and person keys
//!   (random);
//! - `no-random`: the same without the plate and person keys;
//! - `day-first`: plate and person keys prefixed by the day (random within a day only);
//! - `packed`: index keys packed 64 to a sled value (record and chain link still one each);
//! - `one-key`: one key a record (the record), nothing else;
//! - `blocks`: records in zstd-compressed day blocks of 512, nothing else.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const LAYOUTS: [&str; 6] = [
    "today",
    "no-random",
    "day-first",
    "packed",
    "one-key",
    "blocks",
];

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    match args.first().map(String::as_str) {
        Some("fill") => fill(&args[1], args[2].parse().unwrap(), Path::new(&args[3])),
        Some("open") => open(Path::new(&args[1])),
        n => {
            let records: u64 = n.and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
            let base = tempfile::tempdir_in("target").unwrap();
            println!(
                "sled 0.34.7, {records} records\n{:<10} {:>12} {:>10} {:>10} {:>10}",
                "layout", "write /1M", "open", "open RSS", "disk"
            );
            for layout in LAYOUTS {
                let dir = base.path().join(layout);
                let exe = std::env::current_exe().unwrap();
                let run = |args: &[&str]| {
                    let out = Command::new(&exe).args(args).output().unwrap();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                    String::from_utf8_lossy(&out.stdout).trim().to_string()
                };
                let d = dir.display().to_string();
                let secs: f64 = run(&["fill", layout, &records.to_string(), &d])
                    .parse()
                    .unwrap();
                let opened = run(&["open", &d]);
                let (ms, kb) = opened.split_once(' ').unwrap();
                println!(
                    "{layout:<10} {:>10.1} s {:>7} ms {:>6} MiB {:>6} MiB",
                    secs * 1e6 / records as f64,
                    ms,
                    kb.parse::<u64>().unwrap_or(0) / 1024,
                    disk(&dir) >> 20
                );
                std::fs::remove_dir_all(&dir).unwrap();
            }
        }
    }
}

fn disk(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                disk(&e.path())
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn config(dir: &Path) -> sled::Config {
    sled::Config::new().path(dir).cache_capacity(32 << 20)
}

/// A well-mixed pseudo-random number (plates and ID numbers are random in the index).
fn mix(j: u64, salt: u64) -> u64 {
    let mut x = j.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 32)
}

fn key(kind: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = vec![1, kind];
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

fn fill(layout: &str, n: u64, dir: &Path) {
    let db = config(dir).open().unwrap();
    let tree = db.open_tree("t").unwrap();
    // 160 bytes, 60 of them random: compresses less than real records do (about ×1.6, against
    // ×3.4 for real ledger entries), so the blocks figure errs on the large side.
    let record = |j: u64| -> Vec<u8> {
        let mut r = vec![7u8; 100];
        for k in 0..8 {
            r.extend_from_slice(&mix(j, k).to_le_bytes()[..7]);
        }
        r.extend_from_slice(&mix(j, 99).to_le_bytes()[..4]);
        r
    };
    let link = [9u8; 100];
    let started = Instant::now();
    let mut block: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < n {
        let mut batch = sled::Batch::default();
        let mut packs: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for j in i..(i + 4096).min(n) {
            let day = ((j / 40_000) as u32).to_be_bytes();
            let id = format!("T01-{j:022}");
            let time = j.to_be_bytes();
            if layout == "blocks" {
                block.extend_from_slice(&record(j));
                if (j + 1) % 512 == 0 || j + 1 == n || (j + 1) % 40_000 == 0 {
                    let packed = zstd::bulk::compress(&block, 1).unwrap();
                    batch.insert(key(b'S', &[&day, &(j as u32).to_be_bytes()]), packed);
                    block.clear();
                }
                continue;
            }
            batch.insert(key(b'R', &[id.as_bytes()]), record(j));
            if layout == "one-key" {
                continue;
            }
            batch.insert(key(b'L', &[&day, &(j as u32).to_be_bytes()]), &link[..]);
            let mut index = vec![
                key(b'D', &[&day, &time, id.as_bytes()]),
                key(b'X', &[&[1], &day, &time, id.as_bytes()]),
            ];
            if layout != "no-random" {
                let prefix: &[u8] = if layout == "day-first" { &day } else { &[] };
                let plate = mix(j, 1).to_be_bytes();
                index.push(key(b'P', &[prefix, &plate, &time, id.as_bytes()]));
                if j % 10 == 0 {
                    for k in 0..9u8 {
                        let v = mix(j, 10 + k as u64).to_be_bytes();
                        index.push(key(b'I' + k % 4, &[prefix, &v, &time, id.as_bytes()]));
                    }
                }
            }
            for k in index {
                if layout == "packed" {
                    // 64 entries a value: the key without its last byte of spread.
                    let (head, tail) = k.split_at(k.len().min(10));
                    let bucket = [&head[..head.len() - 1], &[head[head.len() - 1] & 0xC0]].concat();
                    let pack = match packs.get_mut(&bucket) {
                        Some(p) => p,
                        None => {
                            let old = tree.get(&bucket).unwrap().map(|v| v.to_vec());
                            packs.entry(bucket).or_insert(old.unwrap_or_default())
                        }
                    };
                    pack.extend_from_slice(tail);
                } else {
                    batch.insert(k, &[][..]);
                }
            }
        }
        for (k, v) in packs {
            batch.insert(k, v);
        }
        tree.apply_batch(batch).unwrap();
        i += 4096;
    }
    db.flush().unwrap();
    println!("{}", started.elapsed().as_secs_f64());
}

fn open(dir: &Path) {
    let started = Instant::now();
    let db = config(dir).open().unwrap();
    let tree = db.open_tree("t").unwrap();
    let ms = started.elapsed().as_secs_f64() * 1e3;
    assert!(tree.first().unwrap().is_some());
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().trim_end_matches("kB").trim().to_string())
        })
        .unwrap_or_default();
    println!("{ms:.0} {rss}");
}
