//! The terminal UI's state and logic (The Elm Architecture, synchronous): a key becomes an
//! `Action` (keymap), `update(&mut App, Action)` changes the state and returns effects, and
//! `effects` runs them against the store, their results coming back as actions. Drawing is
//! in `ui`, the event loop in `tui`.

pub mod action;
pub mod data;
pub mod duty;
pub mod effects;
pub mod form;
pub mod keymap;
pub mod overlay;
pub mod reload;
pub mod report;
pub mod review;
pub mod roster;
pub mod state;
pub mod text;
pub mod update;

pub use action::{Action, Effect};
pub use state::App;
