//! TUI
pub fn run_tui(_cli: &crate::cli::Cli, _clock: &dyn crate::clock::Clock) -> anyhow::Result<()> { Ok(()) }
