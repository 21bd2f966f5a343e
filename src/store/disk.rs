//! The data dir on disk, below the store: opening sled (waiting briefly for a lock the
//! previous holder is still releasing), saying a read-only or refused dir as such, and the
//! disk-full reserve — space kept in `reserve.bin` and given back when the disk fills up.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// sled's page cache. A checkpoint laptop has other work; the default (1 GiB) is far too much.
pub(super) const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// Attempts (50 ms apart) to take a dir whose lock is held, before reporting it in use.
const LOCK_RETRIES: u32 = 10;

fn map_open_error(dir: &Path, e: sled::Error) -> Error {
    match &e {
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") =>
        {
            Error::Locked(dir.display().to_string())
        }
        sled::Error::Io(io) => not_writable(dir, io).unwrap_or_else(|| e.into()),
        _ => e.into(),
    }
}

/// Opens a sled database. sled releases its lock when its last background thread ends, a
/// moment after the previous holder closed: wait briefly for that before saying the dir is
/// in use.
pub(super) fn open_sled(config: &sled::Config, dir: &Path) -> Result<sled::Db> {
    let mut tries = 0;
    loop {
        match config.open().map_err(|e| map_open_error(dir, e)) {
            Err(Error::Locked(_)) if tries < LOCK_RETRIES => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// A sled database at `dir` configured as the store's own (page cache, waiting for a lock
/// being released), for storage layouts measured against the store's.
pub fn sled_db(dir: &Path) -> Result<sled::Db> {
    let config = sled::Config::new().path(dir).cache_capacity(CACHE_BYTES);
    open_sled(&config, dir)
}

/// A read-only file system or a permission refusal, said as such with the dir.
pub(super) fn not_writable(dir: &Path, io: &std::io::Error) -> Option<Error> {
    matches!(
        io.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
    .then(|| Error::NotWritable(dir.display().to_string(), io.to_string()))
}

/// Space kept in the data dir (`reserve.bin`) and given back when the disk fills up, so the
/// store can still open (replaying what the journal holds) and the officer can export or sync.
pub const RESERVE_BYTES: u64 = 2 * 1024 * 1024;

pub(super) fn reserve_path(dir: &Path) -> PathBuf {
    dir.join("reserve.bin")
}

/// Gives the reserve back to the file system (after a "disk full").
pub(super) fn release_reserve(dir: &Path) {
    if std::fs::remove_file(reserve_path(dir)).is_ok() {
        tracing::warn!("disk full: released the reserve");
    }
}

/// Makes the reserve if it is missing and there is room; a full disk just leaves it missing.
pub(super) fn make_reserve(dir: &Path) {
    let path = reserve_path(dir);
    if path.exists() {
        return;
    }
    let made = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut f = crate::private::create(&path)?;
        let zeros = vec![0u8; 64 * 1024];
        for _ in 0..RESERVE_BYTES / zeros.len() as u64 {
            f.write_all(&zeros)?;
        }
        f.sync_all()
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_file(&path);
        tracing::warn!(error = %e, "no room for the disk-full reserve");
    }
}
