//! The 日报 tab: the tally of a chosen day, the report text (editable until signed; a new
//! version needs a reason), signing with the leader's PIN, and exports with progress.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::duty::Overlay;
use super::state::{App, Status};
use super::text::{Edit, TextInput};
use crate::report::AbnormalLine;
use crate::report::export::{ExportFormat, Request, What};
use crate::store::{DayTally, SignedReport};

/// What the 日报 tab shows for a day (loaded by an effect).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportData {
    pub tally: DayTally,
    pub versions: Vec<SignedReport>,
    pub abnormal: Vec<AbnormalLine>,
    /// The default wording for the day (零报告 or incident report).
    pub default_text: String,
    pub handovers: Vec<crate::store::Handover>,
    pub signed_off: Option<crate::store::SignOff>,
    /// At a command post: the day consolidated over its checkpoints.
    pub consolidated: Option<Box<crate::report::Consolidated>>,
    /// Days past the policy's retention still hold personal details (Ctrl+P purges them).
    pub purge_due: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportView {
    pub day: Option<NaiveDate>,
    pub data: Option<Box<ReportData>>,
    pub text: TextInput,
    /// The text differs from the last signed version (or the default).
    pub edited: bool,
    /// An export under way: (done, total).
    pub export: Option<(u64, u64)>,
}

/// The sign overlay: PIN, and a reason when a version is already signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignForm {
    /// Sign off the day (签字确认) rather than sign the report text.
    pub day_off: bool,
    pub pin: TextInput,
    pub reason: TextInput,
    pub needs_reason: bool,
    pub focus: usize,
}

/// The export overlay: what, format, path, and whether to mark push lists as pushed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportForm {
    pub what: What,
    pub format: ExportFormat,
    pub path: TextInput,
    pub mark_pushed: bool,
    pub focus: usize,
}

const TEXT_MAX: usize = 2000;

pub fn loaded(app: &mut App, data: ReportData) {
    let text = data
        .versions
        .last()
        .map_or_else(|| data.default_text.clone(), |v| v.text.clone());
    app.report.day = Some(data.tally.day);
    app.report.text = TextInput::with(&text, TEXT_MAX);
    app.report.edited = false;
    app.report.data = Some(Box::new(data));
}

fn default_path(app: &App, what: What, format: ExportFormat) -> String {
    let day = app.report.day.unwrap_or(app.day);
    let code = app
        .checkpoint
        .as_ref()
        .map_or("kadian", |c| c.code.as_str());
    let name = match what {
        What::Records => "明细",
        What::Report => "日报",
        What::Push => "推送名单",
    };
    let ext = match (what, format) {
        (What::Push, ExportFormat::Csv) => "",
        (_, ExportFormat::Xlsx) => ".xlsx",
        (_, ExportFormat::Csv) => ".csv",
        (_, ExportFormat::Json) => ".jsonl",
    };
    let dir = app.export_dir.display();
    format!("{dir}/{code}-{name}-{day}{ext}")
}

/// Keys on the 日报 tab.
pub fn report_tab(app: &mut App, action: Action) -> Vec<Effect> {
    let day = app.report.day.unwrap_or(app.day);
    match action {
        Action::PrevDay => {
            return vec![Effect::LoadReport {
                day: day - Duration::days(1),
            }];
        }
        Action::NextDay if day < app.day => {
            return vec![Effect::LoadReport {
                day: day + Duration::days(1),
            }];
        }
        Action::Edit(e) if app.report.text.apply(&e) => app.report.edited = true,
        Action::ResetText => {
            if let Some(d) = &app.report.data {
                let t = d.default_text.clone();
                app.report.text.set(&t);
                app.report.edited = true;
            }
        }
        Action::Sign => {
            let needs_reason = app
                .report
                .data
                .as_ref()
                .is_some_and(|d| !d.versions.is_empty());
            app.overlay = Some(Overlay::Sign(SignForm {
                day_off: false,
                pin: TextInput::new(8),
                reason: TextInput::new(200),
                needs_reason,
                focus: 0,
            }));
        }
        Action::SignOff => {
            app.overlay = Some(Overlay::Sign(SignForm {
                day_off: true,
                pin: TextInput::new(8),
                reason: TextInput::new(200),
                needs_reason: false,
                focus: 0,
            }));
        }
        Action::Export if app.report.export.is_none() => {
            let (what, format) = (What::Records, ExportFormat::Xlsx);
            let path = TextInput::with(&default_path(app, what, format), 300);
            app.overlay = Some(Overlay::Export(ExportForm {
                what,
                format,
                path,
                mark_pushed: false,
                focus: 0,
            }));
        }
        _ => {}
    }
    vec![]
}

pub fn sign_overlay(app: &mut App, f: &mut SignForm, action: Action) -> Vec<Effect> {
    match action {
        Action::NextField | Action::PrevField if f.needs_reason => f.focus = 1 - f.focus,
        Action::Edit(Edit::Insert(c)) if f.focus == 0 && !c.is_ascii_digit() => {}
        Action::Edit(e) => {
            if f.focus == 0 {
                f.pin.apply(&e);
            } else {
                f.reason.apply(&e);
            }
        }
        Action::Save => {
            let (Some(officer), Some(day)) = (app.officer.clone(), app.report.day) else {
                return vec![];
            };
            let pin = f.pin.text().to_string();
            f.pin.clear();
            if f.day_off {
                return vec![Effect::SignOff { officer, pin, day }];
            }
            return vec![Effect::SignReport {
                officer,
                pin,
                day,
                text: app.report.text.text().to_string(),
                reason: f.reason.text().to_string(),
            }];
        }
        _ => {}
    }
    vec![]
}

pub fn export_overlay(app: &mut App, f: &mut ExportForm, action: Action) -> Vec<Effect> {
    let fields = if f.what == What::Push { 4 } else { 3 };
    let cycle = match &action {
        Action::Edit(Edit::Right | Edit::Insert(' ')) if f.focus != 2 => 1,
        Action::Edit(Edit::Left) if f.focus != 2 => -1,
        _ => 0,
    };
    match action {
        Action::NextField => f.focus = (f.focus + 1) % fields,
        Action::PrevField => f.focus = (f.focus + fields - 1) % fields,
        _ if cycle != 0 => {
            match f.focus {
                0 => {
                    let all = [What::Records, What::Report, What::Push];
                    let i = all.iter().position(|w| *w == f.what).unwrap_or(0) as i32;
                    f.what = all[(i + cycle).rem_euclid(3) as usize];
                }
                1 => {
                    let all = [ExportFormat::Xlsx, ExportFormat::Csv, ExportFormat::Json];
                    let i = all.iter().position(|w| *w == f.format).unwrap_or(0) as i32;
                    f.format = all[(i + cycle).rem_euclid(3) as usize];
                }
                _ => f.mark_pushed = !f.mark_pushed,
            }
            f.path.set(&default_path(app, f.what, f.format));
        }
        Action::Edit(e) if f.focus == 2 => {
            f.path.apply(&e);
        }
        Action::Save => {
            let path = std::path::PathBuf::from(f.path.text().trim());
            if path.as_os_str().is_empty() {
                app.status = Some(Status {
                    text: app.i18n.t("status.no_path").to_string(),
                    ok: false,
                });
                return vec![];
            }
            let request = Request {
                reveal: false,
                what: f.what,
                format: f.format,
                days: vec![app.report.day.unwrap_or(app.day)],
                out: path,
                include_pushed: false,
            };
            let mark_pushed_by = (f.what == What::Push && f.mark_pushed)
                .then(|| app.officer.as_ref().map(|o| o.code.clone()))
                .flatten();
            app.report.export = Some((0, 0));
            return vec![Effect::Export {
                request,
                mark_pushed_by,
            }];
        }
        _ => {}
    }
    vec![]
}
