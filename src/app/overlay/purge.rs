//! The retention purge from the 日报 tab (Ctrl+P, leaders): the command line cannot reach a
//! data dir the TUI holds, and a checkpoint's TUI runs all day. The tab says when days past
//! the policy's retention still hold personal details; the overlay shows what would go (a dry
//! run) and F2 removes it. At 80×24 (the overlay is 60 wide):
//!
//! ```text
//! ┌清除过期个人信息──────────────────────────────────────────┐
//! │保留期 28 天：清除 2026-10-27 之前的个人信息                 │
//! │姓名、身份证号、手机号、目的地将被清除；记录、处置和统计保留   │
//! │                                                            │
//! │将清除：312 条记录，355 人                                   │
//! │                                                            │
//! │F2 清除（不可撤销） · Esc 取消                               │
//! └────────────────────────────────────────────────────────────┘
//! ```

use chrono::NaiveDate;

use crate::app::action::{Action, Effect};
use crate::domain::Officer;
use crate::store::PurgeReport;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurgeForm {
    /// Days before this one are purged (today minus the policy's retention).
    pub before: NaiveDate,
    pub retention_days: u16,
    /// The dry run (None while it runs).
    pub preview: Option<PurgeReport>,
    /// The purge done (the overlay then only closes).
    pub done: Option<PurgeReport>,
}

/// The first day kept whole: today minus the policy's retention.
pub fn cutoff(today: NaiveDate, retention_days: u16) -> NaiveDate {
    today - chrono::Duration::days(i64::from(retention_days))
}

impl PurgeForm {
    /// The purge of what `today` no longer keeps; its dry run is to be asked for.
    pub fn new(today: NaiveDate, retention_days: u16) -> Self {
        Self {
            before: cutoff(today, retention_days),
            retention_days,
            preview: None,
            done: None,
        }
    }

    /// Keys: F2, once the dry run is shown, purges for `officer`.
    pub fn update(&mut self, action: Action, officer: Option<Officer>) -> Vec<Effect> {
        match (action, officer) {
            (Action::Save, Some(officer)) if self.done.is_none() && self.preview.is_some() => {
                vec![Effect::Purge {
                    officer,
                    before: self.before,
                    dry_run: false,
                }]
            }
            _ => vec![],
        }
    }
}
