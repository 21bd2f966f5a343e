//! The duty side of the TUI: sign-in and lock, check-in (到岗), the 排班 tab (roster grid
//! with assign / unassign / swap / generate), the handover form and the posts-and-shifts
//! settings. State and pure update functions; drawing is in `ui::roster`.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::keymap::Context;
use super::state::{App, Screen, Status};
use super::text::{Edit, TextInput};
use crate::domain::duty::{DutyConfig, TWO_SHIFTS, parse_week, week_of};
use crate::domain::{Officer, Permission};
use crate::roster::Roster;
use crate::store::HandoverDraft;

/// The 排班 tab: one week, a cursor on (shift row, post column), an optional marked cell
/// for a swap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterView {
    pub week: String,
    pub monday: Option<NaiveDate>,
    pub roster: Option<Roster>,
    pub problems: Vec<String>,
    pub row: usize,
    pub col: usize,
    pub marked: Option<(usize, usize)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// Choose a person for the roster cell under the cursor.
    Assign {
        options: Vec<(String, String)>,
        sel: usize,
    },
    Handover(HandoverForm),
    Settings(SettingsForm),
    /// Sign the day report (日报).
    Sign(super::report::SignForm),
    /// Export records, the report or the push list.
    Export(super::report::ExportForm),
    /// The 记录 filter bar.
    Filter(super::review::FilterForm),
    /// Amend or void the record in the detail view.
    Amend(super::review::AmendForm),
    /// The day's audit log (admins).
    Audit(Vec<crate::store::AuditEntry>),
    /// Sync by file: write a bundle to the outbox, import the inbox.
    Sync(super::sync::SyncForm),
    /// The retention purge (日报, leaders).
    Purge(super::purge::PurgeForm),
}

impl Overlay {
    pub fn context(&self) -> Context {
        match self {
            Overlay::Assign { .. } => Context::Picker,
            Overlay::Handover(_) => Context::Handover,
            Overlay::Settings(_) => Context::Settings,
            Overlay::Sign(_) => Context::Sign,
            Overlay::Export(_) => Context::Export,
            Overlay::Filter(_) => Context::Filter,
            Overlay::Amend(_) => Context::Amend,
            Overlay::Audit(_) => Context::Picker,
            Overlay::Sync(_) => Context::Sync,
            Overlay::Purge(_) => Context::Purge,
        }
    }
}

/// The outgoing leader's handover: who takes over (a leader, with their PIN), open matters,
/// notes. Focus 0 = incoming, 1 = PIN, 2 = matters, 3 = notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverForm {
    pub leaders: Vec<(String, String)>,
    pub incoming: usize,
    pub pin: TextInput,
    pub matters: TextInput,
    pub notes: TextInput,
    pub focus: usize,
}

/// Posts and shifts: rows 0 = pattern (3×8 / 2×12), 1 = grace, 2 = idle lock, then one
/// row per post's need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsForm {
    pub cfg: DutyConfig,
    pub row: usize,
}

impl SettingsForm {
    pub fn rows(&self) -> usize {
        3 + self.cfg.posts.len()
    }

    fn change(&mut self, step: i32) {
        let c = &mut self.cfg;
        match self.row {
            0 => {
                let other = if c.shifts.len() == 3 {
                    DutyConfig::parse(TWO_SHIFTS)
                } else {
                    Ok(DutyConfig::default_config())
                };
                if let Ok(o) = other {
                    c.shifts = o.shifts;
                    c.first_shift = o.first_shift;
                }
            }
            1 => c.grace_min = (i32::from(c.grace_min) + step * 5).clamp(0, 120) as u16,
            2 => c.idle_lock_min = (i32::from(c.idle_lock_min) + step).clamp(0, 120) as u16,
            r => {
                if let Some(p) = c.posts.get_mut(r - 3) {
                    p.need = (i32::from(p.need) + step).clamp(1, 9) as u8;
                }
            }
        }
    }
}

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
    if app.tab == super::state::Tab::Report {
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
            app.overlay = Some(Overlay::Settings(SettingsForm {
                cfg: app.duty_cfg.clone(),
                row: 0,
            }));
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
        app.overlay = Some(Overlay::Assign { options, sel: 0 });
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
    app.overlay = Some(Overlay::Handover(HandoverForm {
        leaders,
        incoming: 0,
        pin: TextInput::new(8),
        matters: TextInput::new(200),
        notes: TextInput::new(200),
        focus: 0,
    }));
    vec![]
}

/// Keys while an overlay is open.
pub fn overlay(app: &mut App, action: Action) -> Vec<Effect> {
    // The report's overlays work on the app as a whole: take them out while they run.
    match app.overlay.take() {
        Some(Overlay::Sign(mut f)) => {
            let effects = super::report::sign_overlay(app, &mut f, action);
            app.overlay.get_or_insert(Overlay::Sign(f));
            return effects;
        }
        Some(Overlay::Filter(mut f)) => {
            let effects = super::review::filter_overlay(app, &mut f, action);
            if effects.is_empty() {
                app.overlay.get_or_insert(Overlay::Filter(f));
            }
            return effects;
        }
        Some(Overlay::Amend(mut f)) => {
            let effects = super::review::amend_overlay(app, &mut f, action);
            app.overlay.get_or_insert(Overlay::Amend(f));
            return effects;
        }
        Some(Overlay::Purge(mut f)) => {
            if action == Action::Close {
                return vec![];
            }
            let effects = super::purge::purge_overlay(app, &mut f, action);
            app.overlay.get_or_insert(Overlay::Purge(f));
            return effects;
        }
        Some(Overlay::Sync(mut f)) => {
            if action == Action::Close {
                return vec![];
            }
            let effects = super::sync::sync_overlay(app, &mut f, action);
            app.overlay.get_or_insert(Overlay::Sync(f));
            return effects;
        }
        Some(Overlay::Export(mut f)) => {
            let effects = super::report::export_overlay(app, &mut f, action);
            if effects.is_empty() {
                app.overlay.get_or_insert(Overlay::Export(f));
            }
            return effects;
        }
        other => app.overlay = other,
    }
    let tz = app.tz();
    let Some(ov) = app.overlay.as_mut() else {
        return vec![];
    };
    if action == Action::Close {
        app.overlay = None;
        return vec![];
    }
    match ov {
        Overlay::Assign { options, sel } => match action {
            Action::Down => *sel = (*sel + 1) % options.len().max(1),
            Action::Up => *sel = (*sel + options.len().max(1) - 1) % options.len().max(1),
            Action::Choose => {
                let code = options.get(*sel).map(|o| o.0.clone());
                app.overlay = None;
                let (Some(code), Some((d, s, p))) =
                    (code, cell_at(app, app.roster.row, app.roster.col))
                else {
                    return vec![];
                };
                let monday = app.roster.monday.unwrap_or(d);
                let mut r = app
                    .roster
                    .roster
                    .clone()
                    .unwrap_or_else(|| Roster::empty(&app.roster.week, monday, &app.duty_cfg));
                if let Some(slot) = r.slot_mut(d, s, p) {
                    slot.staff.push(code);
                    return save(app, r);
                }
            }
            _ => {}
        },
        Overlay::Handover(f) => match action {
            Action::NextField => f.focus = (f.focus + 1) % 4,
            Action::PrevField => f.focus = (f.focus + 3) % 4,
            Action::Edit(Edit::Left | Edit::Right) if f.focus == 0 => {
                let n = f.leaders.len().max(1);
                f.incoming = (f.incoming + 1) % n;
            }
            Action::Edit(Edit::Insert(c)) if f.focus == 1 && !c.is_ascii_digit() => {}
            Action::Edit(e) => {
                match f.focus {
                    1 => f.pin.apply(&e),
                    2 => f.matters.apply(&e),
                    3 => f.notes.apply(&e),
                    _ => false,
                };
            }
            Action::Save => {
                let (Some(officer), Some(d)) = (app.officer.clone(), app.duty.as_ref()) else {
                    return vec![];
                };
                let shift = app
                    .duty_cfg
                    .shifts
                    .iter()
                    .position(|s| s.name == d.shift)
                    .unwrap_or(0);
                let slot = app.duty_cfg.slot(d.date, shift, tz);
                let draft = HandoverDraft {
                    slot,
                    incoming: f
                        .leaders
                        .get(f.incoming)
                        .map(|l| l.0.clone())
                        .unwrap_or_default(),
                    incoming_pin: f.pin.text().to_string(),
                    matters: f.matters.text().to_string(),
                    notes: f.notes.text().to_string(),
                };
                f.pin.clear();
                return vec![Effect::Handover { officer, draft }];
            }
            _ => {}
        },
        Overlay::Sign(_)
        | Overlay::Export(_)
        | Overlay::Filter(_)
        | Overlay::Amend(_)
        | Overlay::Sync(_)
        | Overlay::Purge(_)
        | Overlay::Audit(_) => {}
        Overlay::Settings(f) => match action {
            Action::Down | Action::NextField => f.row = (f.row + 1) % f.rows(),
            Action::Up | Action::PrevField => f.row = (f.row + f.rows() - 1) % f.rows(),
            Action::Edit(Edit::Right | Edit::Insert(' ')) => f.change(1),
            Action::Edit(Edit::Left) => f.change(-1),
            Action::Save => {
                let cfg = Box::new(f.cfg.clone());
                let Some(officer) = app.officer.clone() else {
                    return vec![];
                };
                return vec![Effect::SaveDuty { officer, cfg }];
            }
            _ => {}
        },
    }
    vec![]
}
