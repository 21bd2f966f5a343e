//! The 日报 tab: the tally of a chosen day, the report text (editable until signed; a new
//! version needs a reason), signing with the leader's PIN, and exports with progress (the
//! sign and export overlays are in `overlay/`).

use chrono::Duration;

use super::action::{Action, Effect};
use super::data::ReportData;
use super::overlay::export::ExportForm;
use super::overlay::sign::SignForm;
use super::state::{App, Overlay};
use super::text::TextInput;

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
            app.overlay = Some(Overlay::Sign(SignForm::new(false, needs_reason)));
        }
        Action::SignOff => {
            app.overlay = Some(Overlay::Sign(SignForm::new(true, false)));
        }
        Action::Export if app.report.export.is_none() => {
            let code = app
                .checkpoint
                .as_ref()
                .map_or("kadian", |c| c.code.as_str());
            let form = ExportForm::new(app.export_dir.clone(), code, day, app.i18n.lang);
            app.overlay = Some(Overlay::Export(form));
        }
        _ => {}
    }
    vec![]
}
