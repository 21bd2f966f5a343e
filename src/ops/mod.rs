//! The operations layer: one function per use case (log, amend, void, reveal, sign, sign
//! off, roster, check in, handover, staff, export, push marks, purge, bundles and trust),
//! shared by the TUI's effects and the CLI's runners, which only parse input, call here and
//! render the result. Each use case takes an [`Actor`] — a person whose PIN was checked —
//! and enforces every rule itself: a rule that exists only on a screen or only in a command
//! is a bug. Below this layer the store persists and reads.

pub mod auth;
pub mod duty;
pub mod filter;
pub mod records;
pub mod report;
pub mod staff;
pub mod sync;

pub use auth::{Actor, sign_in};

#[cfg(test)]
mod tests;
