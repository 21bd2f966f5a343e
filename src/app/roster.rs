//! The 排班 tab: one week's roster grid, a cursor on (shift row, post column); assign (F3,
//! through the assign overlay), unassign, swap two cells, generate the week (asking first
//! when that replaces assignments), move between weeks, and open the posts-and-shifts
//! settings. Pure update functions over `state::App`;
//! drawing is in `ui::roster`.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::overlay::assign::AssignForm;
use super::overlay::settings::SettingsForm;
use super::state::{App, Overlay};
use crate::domain::Permission;
use crate::domain::duty::{parse_week, week_of};
use crate::roster::Roster;

/// The week shown on 排班: the one the current shift belongs to, unless chosen.
pub fn current_week(app: &App) -> (String, NaiveDate) {
    let tz = app.tz();
    let slot = app.duty_cfg.slot_at(app.now, tz);
    let week = week_of(slot.date);
    let monday = parse_week(&week).unwrap_or(slot.date);
    (week, monday)
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

/// Does generating the week shown replace somebody's assignment (on a shift not begun)?
fn would_replace(app: &App) -> bool {
    let (Some(r), Some(monday)) = (&app.roster.roster, app.roster.monday) else {
        return false;
    };
    let begun = app
        .duty_cfg
        .week_slots(monday, app.tz())
        .iter()
        .take_while(|s| s.start <= app.now)
        .count();
    r.has_assignments_from(&app.duty_cfg, begun)
}

fn generate(app: &App, replace: bool) -> Vec<Effect> {
    match (app.officer.clone(), app.roster.monday) {
        (Some(officer), Some(monday)) => vec![Effect::GenerateRoster {
            officer,
            week: app.roster.week.clone(),
            monday,
            replace,
        }],
        _ => vec![],
    }
}

/// The 排班 tab.
pub fn roster_tab(app: &mut App, action: Action) -> Vec<Effect> {
    // The one-line question before replacing assignments: F6 again or Enter says yes; any
    // other key (Esc is handled with the overlays) says no and does what it does.
    let asked = std::mem::take(&mut app.roster.confirm_replace);
    if asked && matches!(action, Action::Generate | Action::Choose) {
        return generate(app, true);
    }
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
            if would_replace(app) {
                app.roster.confirm_replace = true;
                return vec![];
            }
            return generate(app, false);
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
