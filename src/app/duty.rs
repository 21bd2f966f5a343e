//! The duty side of the TUI: sign-in and lock, check-in (到岗), the 排班 tab (roster grid
//! with assign / unassign / swap / generate), opening the handover and the posts-and-shifts
//! settings (their overlays are in `overlay/`). Pure update functions over `state::App`;
//! drawing is in `ui::roster` and `ui::setup`.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::overlay::assign::AssignForm;
use super::overlay::handover::HandoverForm;
use super::overlay::settings::SettingsForm;
use super::state::{App, Overlay, Screen, Status, Tab};
use super::text::Edit;
use crate::domain::duty::{ShiftSlot, parse_week, week_of};
use crate::domain::{Officer, Permission};
use crate::roster::Roster;

/// The week shown on 排班: the one the current shift belongs to, unless chosen.
pub fn current_week(app: &App) -> (String, NaiveDate) {
    let tz = app.tz();
    let slot = app.duty_cfg.slot_at(app.now, tz);
    let week = week_of(slot.date);
    let monday = parse_week(&week).unwrap_or(slot.date);
    (week, monday)
}

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

fn cell_count(app: &App) -> (usize, usize) {
    (7 * app.duty_cfg.shifts.len(), app.duty_cfg.posts.len())
}

/// (date, shift, post) of the cell at (row, col).
fn cell_at(app: &App, row: usize, col: usize) -> Option<(NaiveDate, u8, u8)> {
    let monday = app.roster.monday?;
    let n = app.duty_cfg.shifts.len();
    Some((
        monday + Duration::days((row / n) as i64),
        (row % n) as u8,
        col as u8,
    ))
}

fn save(app: &App, roster: Roster) -> Vec<Effect> {
    match app.officer.clone() {
        Some(officer) => vec![Effect::SaveRoster { officer, roster }],
        None => vec![],
    }
}

/// The 排班 tab.
pub fn roster_tab(app: &mut App, action: Action) -> Vec<Effect> {
    let (rows, cols) = cell_count(app);
    let v = &mut app.roster;
    match action {
        Action::Up => v.row = v.row.saturating_sub(1),
        Action::Down => v.row = (v.row + 1).min(rows.saturating_sub(1)),
        Action::Left => v.col = v.col.saturating_sub(1),
        Action::Right => v.col = (v.col + 1).min(cols.saturating_sub(1)),
        Action::PageUp => v.row = v.row.saturating_sub(app.duty_cfg.shifts.len()),
        Action::PageDown => v.row = (v.row + app.duty_cfg.shifts.len()).min(rows.saturating_sub(1)),
        Action::PrevWeek | Action::NextWeek => {
            let step = if action == Action::PrevWeek { -7 } else { 7 };
            if let Some(m) = v.monday {
                let monday = m + Duration::days(step);
                v.marked = None;
                return vec![Effect::LoadRoster {
                    week: week_of(monday),
                    monday,
                }];
            }
        }
        Action::Generate => {
            if let (Some(officer), Some(monday)) = (app.officer.clone(), v.monday) {
                return vec![Effect::GenerateRoster {
                    officer,
                    week: v.week.clone(),
                    monday,
                }];
            }
        }
        Action::Assign => return open_assign(app),
        Action::Unassign => {
            let Some((d, s, p)) = cell_at(app, app.roster.row, app.roster.col) else {
                return vec![];
            };
            let Some(mut r) = app.roster.roster.clone() else {
                return vec![];
            };
            if let Some(slot) = r.slot_mut(d, s, p) {
                if slot.staff.pop().is_some() {
                    return save(app, r);
                }
            }
        }
        Action::Swap => {
            let here = (v.row, v.col);
            match v.marked.take() {
                None => v.marked = Some(here),
                Some(there) if there != here => {
                    let (Some(a), Some(b)) =
                        (cell_at(app, there.0, there.1), cell_at(app, here.0, here.1))
                    else {
                        return vec![];
                    };
                    let Some(mut r) = app.roster.roster.clone() else {
                        return vec![];
                    };
                    let sa = r
                        .slot(a.0, a.1, a.2)
                        .map(|x| x.staff.clone())
                        .unwrap_or_default();
                    let sb = r
                        .slot(b.0, b.1, b.2)
                        .map(|x| x.staff.clone())
                        .unwrap_or_default();
                    if let Some(x) = r.slot_mut(a.0, a.1, a.2) {
                        x.staff = sb;
                    }
                    if let Some(x) = r.slot_mut(b.0, b.1, b.2) {
                        x.staff = sa;
                    }
                    return save(app, r);
                }
                Some(_) => {}
            }
        }
        Action::OpenHandover => return open_handover(app),
        Action::OpenSettings => {
            app.overlay = Some(Overlay::Settings(SettingsForm::new(app.duty_cfg.clone())));
        }
        _ => {}
    }
    vec![]
}

fn open_assign(app: &mut App) -> Vec<Effect> {
    let Some((d, s, p)) = cell_at(app, app.roster.row, app.roster.col) else {
        return vec![];
    };
    let leader_post = app.duty_cfg.posts.get(p as usize).is_some_and(|x| x.leader);
    let busy: Vec<String> = app
        .roster
        .roster
        .as_ref()
        .map(|r| {
            r.slots
                .iter()
                .filter(|x| x.date == d && x.shift == s)
                .flat_map(|x| x.staff.clone())
                .collect()
        })
        .unwrap_or_default();
    let options: Vec<(String, String)> = app
        .active_officers()
        .into_iter()
        .filter(|o| !busy.contains(&o.code) && (!leader_post || o.role.may(Permission::Lead)))
        .map(|o| (o.code.clone(), o.name.clone()))
        .collect();
    if !options.is_empty() {
        app.overlay = Some(Overlay::Assign(AssignForm { options, sel: 0 }));
    }
    vec![]
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

/// Puts `code` into the roster cell under the cursor (chosen in the assign overlay).
pub fn assign(app: &mut App, code: String) -> Vec<Effect> {
    let Some((d, s, p)) = cell_at(app, app.roster.row, app.roster.col) else {
        return vec![];
    };
    let monday = app.roster.monday.unwrap_or(d);
    let mut r = app
        .roster
        .roster
        .clone()
        .unwrap_or_else(|| Roster::empty(&app.roster.week, monday, &app.duty_cfg));
    match r.slot_mut(d, s, p) {
        Some(slot) => {
            slot.staff.push(code);
            save(app, r)
        }
        None => vec![],
    }
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
