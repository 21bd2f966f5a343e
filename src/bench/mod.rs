//! `kadian bench`: measures the durable commit against its physical reference in the same
//! run, on the same disk — a raw `write` + `fdatasync` append of the same bytes to a file in
//! the same directory. Samples alternate between the two so machine noise hits both alike.
//! Reports p50/p99 and their ratios. Never part of `cargo test` beyond a smoke run.
//!
//! `kadian bench --suite` runs the whole suite (`suite.rs`): a bulk import, opening, the
//! searches, the tally, the exports, the TUI in a child process (`ui.rs`), and the floor sled
//! itself sets (`floor.rs`), each row against its target in one table (`table.rs`).

mod commit;
mod floor;
mod measure;
mod suite;
mod table;
mod ui;

pub use commit::{Figures, commit};
pub use measure::peak_rss_kb;
pub use suite::suite;
pub use table::{Row, Suite};
pub use ui::ui;
