//! Disk full: on a small tmpfs (needs root to mount; skipped otherwise, like the LazyFS
//! tests) `kadian add` fills the disk. The write that does not fit is refused with a clear
//! "disk full" line; every id printed before it is listed afterwards; the store opens (the
//! reserve it keeps is given back) and verifies.
#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(size: &str) -> Option<(tempfile::TempDir, Tmpfs)> {
        let uid = Command::new("id").arg("-u").output().ok()?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            eprintln!("skipped: mounting a tmpfs needs root");
            return None;
        }
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?
            .success();
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        let path = dir.path().to_path_buf();
        Some((dir, Tmpfs(path)))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn run(data: &Path, args: &[&str], stdin: Option<&Path>) -> std::process::Output {
    let mut c = Command::new(common::bin());
    c.args(args)
        .env("KADIAN_DATA_DIR", data)
        .env("KADIAN_PIN_FILE", common::pin_file_near(data))
        .env("KADIAN_NOW", common::NOW);
    if let Some(f) = stdin {
        c.stdin(std::fs::File::open(f).unwrap());
    }
    c.output().unwrap()
}

#[test]
fn a_full_disk_is_refused_clearly_and_loses_nothing_acknowledged() {
    let Some((_dir, fs)) = Tmpfs::mount("8m") else {
        return;
    };
    let data = fs.0.join("data");
    common::init(&data);
    assert!(
        data.join("reserve.bin").exists(),
        "the reserve is made at open"
    );
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), format!("{}\n", common::NORMAL).repeat(60_000)).unwrap();
    let out = run(&data, &["add", "--officer", "S01", "-"], Some(input.path()));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("磁盘已满") && !err.contains("disk is full"),
        "{err}"
    );
    assert_eq!(
        err.lines().count(),
        1,
        "one line, nothing else on the terminal: {err}"
    );
    let acked: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert!(acked.len() > 100, "the disk took some records first");
    assert!(
        !data.join("reserve.bin").exists(),
        "the reserve was given back for the next open"
    );
    // The store opens on the full disk and holds every acknowledged record.
    let listed = common::listed_ids(&data);
    for id in &acked {
        assert!(listed.contains(id), "acknowledged {id} lost");
    }
    let v = run(&data, &["verify"], None);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
}

#[test]
fn a_read_only_data_dir_is_named_as_such() {
    let Some((_dir, fs)) = Tmpfs::mount("4m") else {
        return;
    };
    let data = fs.0.join("data");
    common::init(&data);
    let ok = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&fs.0)
        .status()
        .unwrap()
        .success();
    assert!(ok, "remount read-only");
    for args in [&["list"][..], &["add", "--officer", "S01", "-"]] {
        let out = run(&data, args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("不可写"), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1);
    }
    let fresh = run(
        &fs.0.join("new"),
        &[
            "init",
            "--checkpoint",
            "T9",
            "--name",
            "x",
            "--province",
            "湘",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&fresh.stderr).contains("不可写"));
    // A data dir that does not exist is not created by a command that only reads it.
    let missing = run(&fs.0.join("missing"), &["list"], None);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("尚未初始化"));
}
