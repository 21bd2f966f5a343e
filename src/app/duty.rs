//! Being on duty: the sign-in screen and the idle lock, checking in and out of a post (到岗,
//! F7), and opening the shift handover (交接班, F12; its overlay is in `overlay/`). Pure
//! update functions over `state::App`; drawing is in `ui::setup` and `ui::roster`.

use chrono::Duration;

use super::action::{Action, Effect};
use super::overlay::handover::HandoverForm;
use super::state::{App, Overlay, Screen, Status, Tab};
use super::text::Edit;
use crate::domain::duty::ShiftSlot;
use crate::domain::{Officer, Permission};

fn notice(app: &mut App, text: String, ok: bool) {
    app.status = Some(Status { text, ok });
}

/// The sign-in (and lock) screen: ↑↓ choose, digits type the PIN, Enter signs in.
pub fn sign_in(app: &mut App, action: Action) -> Vec<Effect> {
    let n = app.active_officers().len();
    match action {
        Action::Down if n > 0 => app.pick = (app.pick + 1) % n,
        Action::Up if n > 0 => app.pick = (app.pick + n - 1) % n,
        Action::Edit(Edit::Insert(c)) if !c.is_ascii_digit() => {}
        Action::Edit(Edit::Paste(p)) => {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            app.pin.apply(&Edit::Paste(digits));
        }
        Action::Edit(e) => {
            app.pin.apply(&e);
        }
        Action::Choose | Action::NextField => {
            if let Some(o) = app.active_officers().get(app.pick) {
                let code = o.code.clone();
                let pin = app.pin.text().to_string();
                app.pin.clear();
                return vec![Effect::SignIn { code, pin }];
            }
        }
        _ => {}
    }
    vec![]
}

pub fn signed_in(app: &mut App, o: Officer) -> Vec<Effect> {
    notice(
        app,
        format!("{} {} {}", app.i18n.t("status.on_duty"), o.code, o.name),
        true,
    );
    app.officer = Some(o);
    app.screen = Screen::Main;
    app.last_activity = app.now;
    let mut effects = vec![Effect::LoadDuty];
    if app.tab == Tab::Report {
        effects.push(Effect::LoadReport {
            day: app.report.day.unwrap_or(app.day),
        });
    }
    effects
}

/// Locks the screen after the idle time: the form is kept; someone must sign in again.
pub fn lock_if_idle(app: &mut App) {
    let idle = i64::from(app.duty_cfg.idle_lock_min);
    if idle > 0
        && app.screen == Screen::Main
        && app.now - app.last_activity >= Duration::minutes(idle)
    {
        app.officer = None;
        app.overlay = None;
        app.screen = Screen::SignIn;
        app.pick = 0;
        notice(app, app.i18n.t("status.locked").to_string(), false);
    }
}

/// F7: check in at one's scheduled post (or the first post short of people), or out.
pub fn check_in(app: &mut App) -> Vec<Effect> {
    let (Some(o), Some(d)) = (app.officer.clone(), app.duty.as_ref()) else {
        return vec![];
    };
    if let Some(post) = d.post_of(&o.code) {
        return vec![Effect::CheckPost {
            officer: o,
            post: post.to_string(),
            on_post: false,
        }];
    }
    let leader_ok = o.role.may(Permission::Lead);
    let post = d.scheduled_post(&o.code).map(str::to_string).or_else(|| {
        d.posts
            .iter()
            .find(|p| p.present.len() < usize::from(p.need) && (!p.leader || leader_ok))
            .or_else(|| d.posts.iter().find(|p| !p.leader))
            .map(|p| p.post.clone())
    });
    match post {
        Some(post) => vec![Effect::CheckPost {
            officer: o,
            post,
            on_post: true,
        }],
        None => vec![],
    }
}

pub fn open_handover(app: &mut App) -> Vec<Effect> {
    let Some(me) = app.officer.clone() else {
        return vec![];
    };
    if !me.role.may(Permission::Lead) {
        notice(app, app.i18n.t("status.leaders_only").to_string(), false);
        return vec![];
    }
    let leaders: Vec<(String, String)> = app
        .active_officers()
        .into_iter()
        .filter(|o| o.code != me.code && o.role.may(Permission::Lead))
        .map(|o| (o.code.clone(), o.name.clone()))
        .collect();
    if leaders.is_empty() {
        notice(app, app.i18n.t("status.no_incoming").to_string(), false);
        return vec![];
    }
    app.overlay = Some(Overlay::Handover(HandoverForm::new(leaders)));
    vec![]
}

/// The shift on duty now (from the 五个到位 status), which a handover hands over.
pub fn shift_on_duty(app: &App) -> Option<ShiftSlot> {
    let d = app.duty.as_ref()?;
    let shift = app
        .duty_cfg
        .shifts
        .iter()
        .position(|s| s.name == d.shift)
        .unwrap_or(0);
    Some(app.duty_cfg.slot(d.date, shift, app.tz()))
}
