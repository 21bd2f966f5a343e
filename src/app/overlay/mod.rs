//! The overlays (dialogs over a screen): each one's state and keys in its own file here,
//! depending only on leaf types (`action`, `text`, `data`, the domain), never on `App`. This
//! file hosts the open overlay (`App::overlay`, an `state::Overlay`) on the app: it hands
//! the overlay its keys with what it needs to know of the app, applies what it asks (close,
//! a status line), and opens and refreshes the overlays that effects report to.

pub mod amend;
pub mod assign;
pub mod export;
pub mod filter;
pub mod handover;
pub mod purge;
pub mod settings;
pub mod sign;
pub mod sync;

use super::action::{Action, Effect};
use super::data::{Offer, SyncInfo};
use super::state::{App, Overlay, Status};
use crate::store::PurgeReport;

fn status(app: &mut App, text: String, ok: bool) {
    app.status = Some(Status { text, ok });
}

/// Keys while an overlay is open.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(mut overlay) = app.overlay.take() else {
        return vec![];
    };
    if action == Action::Close {
        return vec![];
    }
    let officer = app.officer.clone();
    let (effects, keep) = match &mut overlay {
        Overlay::Assign(f) if action == Action::Choose => {
            let effects = match f.chosen() {
                Some(code) => super::roster::assign(app, code),
                None => vec![],
            };
            (effects, false)
        }
        Overlay::Assign(f) => {
            f.update(&action);
            (vec![], true)
        }
        Overlay::Handover(f) => {
            let slot = super::duty::shift_on_duty(app);
            (f.update(action, officer, slot), true)
        }
        Overlay::Settings(f) => (f.update(action, officer), true),
        Overlay::Sign(f) => {
            let text = app.report.text.text().to_string();
            (f.update(action, officer, app.report.day, &text), true)
        }
        Overlay::Export(f) => match f.update(action, officer.as_ref()) {
            Ok(effects) if effects.is_empty() => (effects, true),
            Ok(effects) => {
                app.report.export = Some((0, 0));
                (effects, false)
            }
            Err(key) => {
                let text = app.i18n.t(key).to_string();
                status(app, text, false);
                (vec![], true)
            }
        },
        Overlay::Filter(f) => match f.update(action) {
            Ok(Some(filter)) => {
                app.records.selected = 0;
                (super::review::search(filter, 0), false)
            }
            Ok(None) => (vec![], true),
            Err(e) => {
                let label = app.i18n.t(filter::label_of(&e));
                let text = format!("{label}: {}", app.i18n.error(&e));
                status(app, text, false);
                (vec![], true)
            }
        },
        Overlay::Amend(f) => {
            let record = app.records.detail.as_ref().map(|d| &d.record);
            (f.update(action, officer, record, &app.policy), true)
        }
        Overlay::Purge(f) => (f.update(action, officer), true),
        Overlay::Sync(f) => (f.update(action, officer), true),
        Overlay::Audit(_) => (vec![], true),
    };
    if keep {
        app.overlay.get_or_insert(overlay);
    }
    effects
}

/// Opens the sync overlay (F11, or offered after a handover or a sign-off).
pub fn open_sync(app: &mut App, offer: Option<Offer>) -> Vec<Effect> {
    app.overlay = Some(Overlay::Sync(sync::SyncForm::new(offer)));
    vec![Effect::LoadSync]
}

pub fn sync_loaded(app: &mut App, info: SyncInfo) {
    if let Some(Overlay::Sync(f)) = app.overlay.as_mut() {
        f.loaded(info);
    }
}

/// A bundle written or an inbox imported: the last line goes to the status line, and what
/// an import may have changed is loaded again.
pub fn sync_done(
    app: &mut App,
    lines: Vec<(String, bool)>,
    untrusted: Option<(String, String, String)>,
) -> Vec<Effect> {
    if let Some((text, ok)) = lines.last() {
        status(app, text.clone(), *ok);
    }
    if let Some(Overlay::Sync(f)) = app.overlay.as_mut() {
        f.done(lines, untrusted);
    }
    super::reload::after_write(app, Effect::LoadSync)
}

/// Opens the retention purge (日报, Ctrl+P, leaders) and asks for its dry run.
pub fn open_purge(app: &mut App) -> Vec<Effect> {
    if app.command_post {
        return vec![];
    }
    let Some(officer) = app.officer.clone() else {
        return vec![];
    };
    if !officer.role.may(crate::domain::Permission::Lead) {
        let text = app.i18n.t("purge.leaders_only").to_string();
        status(app, text, false);
        return vec![];
    }
    let f = purge::PurgeForm::new(app.day, app.policy.retention_days);
    let before = f.before;
    app.overlay = Some(Overlay::Purge(f));
    vec![Effect::Purge {
        officer,
        before,
        dry_run: true,
    }]
}

/// The dry run: what the purge would remove.
pub fn purge_loaded(app: &mut App, r: PurgeReport) {
    if let Some(Overlay::Purge(f)) = app.overlay.as_mut() {
        f.preview = Some(r);
    }
}

/// The purge done: said on the status line and in the overlay; the 日报 is loaded again.
pub fn purge_done(app: &mut App, r: PurgeReport) -> Vec<Effect> {
    let text = format!(
        "{} {} · {} {}",
        app.i18n.t("purge.done"),
        r.before.map_or_else(String::new, |d| d.to_string()),
        r.records,
        app.i18n.t("purge.records"),
    );
    status(app, text, true);
    if let Some(Overlay::Purge(f)) = app.overlay.as_mut() {
        f.done = Some(r);
    }
    let day = app.report.day.unwrap_or(app.day);
    vec![Effect::LoadReport { day }]
}
