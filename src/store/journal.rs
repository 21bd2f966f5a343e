//! The write-ahead journal: the durable commit of the ledger.
//!
//! sled's `flush()` uses `sync_file_range` and fsyncs only in a background thread, so a
//! record that sled holds is not yet safe from a power cut. Every ledger entry is therefore
//! first appended here as a frame — `len: u32 LE | crc32: u32 LE | payload` — and
//! `fdatasync`'d; only then is it applied to sled and acknowledged. On open, frames past the
//! offset sled is known to hold are applied again (apply is idempotent by entry id).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub(crate) const HEADER: usize = 8;
/// A frame larger than this is damage, not data (a record is a few hundred bytes).
pub const MAX_FRAME: u32 = 16 * 1024 * 1024;

/// Frames read at open: (journal offset after the frame, payload).
pub type Frames = Vec<(u64, Vec<u8>)>;

pub struct Journal {
    file: File,
    path: PathBuf,
    len: u64,
}

/// Opens a file and, on unix, fsyncs its directory so that a newly created file's directory
/// entry survives a power cut too.
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

impl Journal {
    /// Opens (creating if needed) the journal and returns it with the frames from `from`
    /// on. A torn last frame (a crash mid-append: never acknowledged) is cut off; damage in
    /// the middle is an error, because cutting there could lose acknowledged entries.
    pub fn open(path: &Path, from: u64) -> Result<(Self, Frames)> {
        let existed = path.exists();
        let mut file = crate::private::options()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        if !existed {
            file.sync_all()?;
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
        }
        let file_len = file.metadata()?.len();
        if from > file_len {
            return Err(Error::Corrupt {
                what: path.display().to_string(),
                detail: format!(
                    "the database has applied up to byte {from} but the journal has only {file_len}"
                ),
            });
        }
        file.seek(SeekFrom::Start(from))?;
        let mut rest = Vec::with_capacity((file_len - from) as usize);
        file.read_to_end(&mut rest)?;
        let mut frames = Vec::new();
        let mut pos = 0usize;
        let mut good_end = from;
        while pos < rest.len() {
            let offset = from + pos as u64;
            match parse_frame(&rest[pos..]) {
                Frame::Ok { payload, size } => {
                    pos += size;
                    good_end = from + pos as u64;
                    frames.push((good_end, payload.to_vec()));
                }
                Frame::Torn => break,
                Frame::Bad(why) if is_last_frame(&rest[pos..]) => {
                    tracing::warn!(offset, why, "cutting a damaged last journal frame");
                    break;
                }
                Frame::Bad(why) => {
                    return Err(Error::Corrupt {
                        what: path.display().to_string(),
                        detail: format!("frame at byte {offset}: {why}"),
                    });
                }
            }
        }
        if good_end < file_len {
            tracing::warn!(
                good_end,
                file_len,
                "journal had a torn tail (crash mid-append); truncating"
            );
            file.set_len(good_end)?;
            file.sync_all()?;
        }
        Ok((
            Self {
                file,
                path: path.to_path_buf(),
                len: good_end,
            },
            frames,
        ))
    }

    /// Appends the payloads as frames and makes them durable with one `fdatasync`
    /// (group commit). Returns the end offset after each payload.
    pub fn append(&mut self, payloads: &[Vec<u8>]) -> Result<Vec<u64>> {
        let mut buf = Vec::with_capacity(payloads.iter().map(|p| p.len() + HEADER).sum());
        let mut ends = Vec::with_capacity(payloads.len());
        let mut end = self.len;
        for p in payloads {
            let len = u32::try_from(p.len())
                .ok()
                .filter(|l| *l <= MAX_FRAME)
                .ok_or_else(|| Error::Corrupt {
                    what: "journal".into(),
                    detail: format!("entry of {} bytes is too large", p.len()),
                })?;
            buf.extend_from_slice(&len.to_le_bytes());
            buf.extend_from_slice(&crc32fast::hash(p).to_le_bytes());
            buf.extend_from_slice(p);
            end += (p.len() + HEADER) as u64;
            ends.push(end);
        }
        if let Err(e) = self
            .file
            .write_all(&buf)
            .and_then(|()| self.file.sync_data())
        {
            // Whatever part reached the file is not acknowledged; cut it so the next append
            // does not follow a torn frame.
            let _ = self.file.set_len(self.len);
            return Err(e.into());
        }
        self.len = end;
        Ok(ends)
    }

    /// Replaces frame payloads in place, each with one of the same length (the retention
    /// purge), updating their checksums, then syncs. Offsets: where each frame starts.
    pub fn rewrite_in_place(&mut self, frames: &[(u64, Vec<u8>)]) -> Result<()> {
        if frames.is_empty() {
            return Ok(());
        }
        // The append handle always writes at the end: a second handle writes in place.
        let mut f = std::fs::OpenOptions::new().write(true).open(&self.path)?;
        for (at, payload) in frames {
            if at + (HEADER + payload.len()) as u64 > self.len {
                return Err(Error::Corrupt {
                    what: self.path.display().to_string(),
                    detail: format!("rewrite at {at} past the end"),
                });
            }
            f.seek(SeekFrom::Start(at + 4))?;
            f.write_all(&crc32fast::hash(payload).to_le_bytes())?;
            f.write_all(payload)?;
        }
        f.sync_data()?;
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Reads the frames between two offsets of a journal another handle appends to (`to` must
/// be a frame end the writer reported), calling `each` with every payload in order.
pub fn read_frames(
    path: &Path,
    from: u64,
    to: u64,
    each: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let mut file = std::io::BufReader::with_capacity(1 << 20, File::open(path)?);
    file.seek(SeekFrom::Start(from))?;
    let mut pos = from;
    let mut payload = Vec::new();
    while pos < to {
        let mut head = [0u8; HEADER];
        file.read_exact(&mut head)?;
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if len > MAX_FRAME {
            return Err(Error::Corrupt {
                what: path.display().to_string(),
                detail: format!("frame at byte {pos}: length out of range"),
            });
        }
        payload.resize(len as usize, 0);
        file.read_exact(&mut payload)?;
        if crc32fast::hash(&payload) != crc {
            return Err(Error::Corrupt {
                what: path.display().to_string(),
                detail: format!("frame at byte {pos}: checksum mismatch"),
            });
        }
        each(&payload)?;
        pos += (HEADER + len as usize) as u64;
    }
    Ok(())
}

enum Frame<'a> {
    Ok {
        payload: &'a [u8],
        size: usize,
    },
    /// Not enough bytes for the header or the payload: a crash mid-append.
    Torn,
    Bad(&'static str),
}

fn parse_frame(b: &[u8]) -> Frame<'_> {
    if b.len() < HEADER {
        return Frame::Torn;
    }
    let len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let crc = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
    if len > MAX_FRAME {
        return Frame::Bad("length out of range");
    }
    let size = HEADER + len as usize;
    if b.len() < size {
        return Frame::Torn;
    }
    let payload = &b[HEADER..size];
    if crc32fast::hash(payload) != crc {
        return Frame::Bad("checksum mismatch");
    }
    Frame::Ok { payload, size }
}

/// Whether a damaged frame is the last thing in the file (its stated size reaches the end).
fn is_last_frame(b: &[u8]) -> bool {
    b.len() < HEADER || {
        let len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        len > MAX_FRAME as usize || HEADER + len >= b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;

    #[test]
    fn frames_round_trip_and_resume_from_an_offset() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j");
        let (mut j, frames) = Journal::open(&p, 0).unwrap();
        assert!(frames.is_empty());
        let ends = j.append(&[b"one".to_vec(), b"two".to_vec()]).unwrap();
        j.append(&[b"three".to_vec()]).unwrap();
        drop(j);
        let (_, frames) = Journal::open(&p, 0).unwrap();
        assert_eq!(
            frames.iter().map(|f| f.1.as_slice()).collect::<Vec<_>>(),
            [&b"one"[..], b"two", b"three"]
        );
        let (_, frames) = Journal::open(&p, ends[1]).unwrap();
        assert_eq!(frames.len(), 1);
    }

    #[test]
    fn a_torn_tail_is_cut_and_appends_continue() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j");
        let (mut j, _) = Journal::open(&p, 0).unwrap();
        j.append(&[b"kept".to_vec(), b"torn-frame".to_vec()])
            .unwrap();
        drop(j);
        let full = std::fs::metadata(&p).unwrap().len();
        let f = OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(full - 3).unwrap();
        let (mut j, frames) = Journal::open(&p, 0).unwrap();
        assert_eq!(frames.len(), 1);
        j.append(&[b"next".to_vec()]).unwrap();
        drop(j);
        let (_, frames) = Journal::open(&p, 0).unwrap();
        assert_eq!(
            frames.iter().map(|f| f.1.as_slice()).collect::<Vec<_>>(),
            [&b"kept"[..], b"next"]
        );
    }

    #[test]
    fn damage_in_the_middle_is_an_error_not_a_cut() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j");
        let (mut j, _) = Journal::open(&p, 0).unwrap();
        j.append(&[b"first".to_vec(), b"second".to_vec()]).unwrap();
        drop(j);
        let mut bytes = std::fs::read(&p).unwrap();
        bytes[HEADER] ^= 0xFF;
        std::fs::write(&p, &bytes).unwrap();
        assert!(matches!(Journal::open(&p, 0), Err(Error::Corrupt { .. })));
    }
}
