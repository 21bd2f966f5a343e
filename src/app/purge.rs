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

use super::action::{Action, Effect};
use super::duty::Overlay;
use super::state::{App, Status};
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

pub fn open(app: &mut App) -> Vec<Effect> {
    if app.command_post {
        return vec![];
    }
    let Some(officer) = app.officer.clone() else {
        return vec![];
    };
    if !officer.role.may(crate::domain::Permission::Lead) {
        app.status = Some(Status {
            text: app.i18n.t("purge.leaders_only").to_string(),
            ok: false,
        });
        return vec![];
    }
    let retention_days = app.policy.retention_days;
    let before = cutoff(app.day, retention_days);
    app.overlay = Some(Overlay::Purge(PurgeForm {
        before,
        retention_days,
        preview: None,
        done: None,
    }));
    vec![Effect::Purge {
        officer,
        before,
        dry_run: true,
    }]
}

pub fn purge_overlay(app: &mut App, f: &mut PurgeForm, action: Action) -> Vec<Effect> {
    match action {
        Action::Save if f.done.is_none() && f.preview.is_some() => {
            let Some(officer) = app.officer.clone() else {
                return vec![];
            };
            vec![Effect::Purge {
                officer,
                before: f.before,
                dry_run: false,
            }]
        }
        _ => vec![],
    }
}

pub fn loaded(app: &mut App, r: PurgeReport) {
    if let Some(Overlay::Purge(f)) = app.overlay.as_mut() {
        f.preview = Some(r);
    }
}

pub fn done(app: &mut App, r: PurgeReport) -> Vec<Effect> {
    app.status = Some(Status {
        text: format!(
            "{} {} · {} {}",
            app.i18n.t("purge.done"),
            r.before.map_or_else(String::new, |d| d.to_string()),
            r.records,
            app.i18n.t("purge.records"),
        ),
        ok: true,
    });
    if let Some(Overlay::Purge(f)) = app.overlay.as_mut() {
        f.done = Some(r);
    }
    let day = app.report.day.unwrap_or(app.day);
    vec![Effect::LoadReport { day }]
}
