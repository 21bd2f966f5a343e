//! Logging with `tracing` to `kadian.log` in the data dir — never to the terminal, which
//! the TUI owns. Personal data is never logged (ID numbers and phones mask themselves in Debug).

use std::path::Path;
use std::sync::Mutex;

/// The log file, failing silently: a log line that cannot be written (disk full) must not
/// make the subscriber print its complaint on the terminal the TUI owns.
struct Quiet(std::fs::File);

impl std::io::Write for Quiet {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

pub fn init(dir: &Path) {
    let Ok(file) = crate::private::options()
        .create(true)
        .append(true)
        .open(dir.join("kadian.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(Quiet(file)))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}
