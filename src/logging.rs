//! Logging with `tracing` to `kadian.log` in the data dir — never to the terminal, which
//! the TUI owns. Personal data is never logged (ID numbers and phones mask themselves in Debug).

use std::path::Path;
use std::sync::Mutex;

pub fn init(dir: &Path) {
    let Ok(file) = crate::private::options()
        .create(true)
        .append(true)
        .open(dir.join("kadian.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}
