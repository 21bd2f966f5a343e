//! The measuring tools of the benchmarks: percentiles of sampled durations, milliseconds,
//! the bytes a directory takes on disk, a `kadian` child process with its wall time and peak
//! resident memory, and this process's own peak memory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::Result;

pub(super) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e6
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Bytes of every file under `dir`.
pub(super) fn disk_bytes(dir: &Path) -> u64 {
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

pub(super) fn files_under(dir: &Path) -> Vec<PathBuf> {
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

/// Runs `kadian ARGS` on `data` as a child process; returns (wall time, peak RSS in KiB if
/// the platform reports it, stdout).
pub(super) fn child(data: &Path, args: &[&str]) -> Result<(Duration, Option<u64>, String)> {
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
