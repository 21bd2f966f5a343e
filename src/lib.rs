//! kadian (卡点): the ledger of an epidemic-control entry checkpoint.

pub mod amend;
pub mod app;
pub mod auth;
pub mod bench;
pub mod cli;
pub mod clock;
pub mod codec;
pub mod demo;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod logging;
pub mod onpost;
pub mod ops;
pub mod policy;
pub mod private;
pub mod report;
pub mod rng;
pub mod roster;
pub mod store;
pub mod sync;
pub mod tui;
pub mod ui;
pub mod view;
pub mod width;
