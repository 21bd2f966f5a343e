//! Shared helpers of the integration tests: a temp data dir and the kadian binary with a
//! fixed clock (`KADIAN_NOW`), so nothing depends on the wall clock.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// 2026-11-24 09:15 in Shanghai.
pub const NOW: &str = "2026-11-24T01:15:00Z";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kadian"))
}

pub fn kadian(dir: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("KADIAN_DATA_DIR", dir.join("data")).env("KADIAN_NOW", NOW).env_remove("KADIAN_LANG");
    c
}

/// A data dir with checkpoint T01 and officer S01.
pub fn ready() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    kadian(dir.path()).args(["init", "--checkpoint", "T01", "--name", "测试卡点", "--province", "湘"]).assert().success();
    kadian(dir.path()).args(["staff", "add", "--code", "S01", "--name", "测试员"]).assert().success();
    dir
}

pub const NORMAL: &str = r#"{"vehicle":{"plate":"湘J12345","kind":"小客车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":36.5,"health_code":"green","itinerary_risk":false,"test":{"result":"negative","hours_ago":20},"identity_refused":false}]}"#;
pub const YELLOW: &str = r#"{"vehicle":null,"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},"name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区"}]}"#;
