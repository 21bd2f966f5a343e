//! `update`: the one place state changes. Pure: no IO, no clock; what must touch the
//! world is returned as effects.

use super::action::{Action, Effect};
use super::duty;
use super::form::{FieldId, LogForm};
use super::state::{App, PAGE, Screen, Status, TODAY_ROWS, Tab};
use crate::domain::{Checkpoint, Officer, Role, validate_code, validate_text};

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Action::Help => {
            app.help = !app.help;
            return vec![];
        }
        Action::Close => {
            // Esc closes what is on top: the help, an overlay, else the record detail.
            if app.help {
                app.help = false;
            } else if app.overlay.is_some() {
                app.overlay = None;
            } else if app.roster.confirm_replace {
                app.roster.confirm_replace = false;
            } else if app.records.detail.take().is_some() {
                // Back to the list, as it is now (the record may have been amended).
                let filter = app.records.filter.clone();
                return vec![Effect::Search {
                    filter,
                    offset: app.records.offset,
                    limit: PAGE,
                }];
            }
            return vec![];
        }
        Action::Tick(now, day) => {
            app.now = now;
            let new_day = day != app.day;
            app.day = day;
            app.reevaluate();
            duty::lock_if_idle(app);
            let mut effects = Vec::new();
            if app.screen == Screen::Main {
                effects.push(Effect::LoadDuty);
                if new_day {
                    effects.push(Effect::LoadToday {
                        day,
                        limit: TODAY_ROWS,
                    });
                }
            }
            return effects;
        }
        Action::Touch(now) => {
            app.last_activity = now;
            return vec![];
        }
        Action::SignedIn(o) => return duty::signed_in(app, o),
        Action::SignInRefused(msg) => {
            app.status = Some(Status {
                text: msg,
                ok: false,
            });
            return vec![];
        }
        Action::Notice(msg) => {
            app.overlay = None;
            app.status = Some(Status {
                text: msg,
                ok: true,
            });
            return super::reload::after_write(app, Effect::LoadDuty);
        }
        Action::ReportLoaded(data) => {
            super::report::loaded(app, *data);
            return vec![];
        }
        Action::ExportProgress(done, total) => {
            app.report.export = Some((done, total));
            return vec![];
        }
        Action::ExportDone(result) => {
            app.report.export = None;
            app.status = Some(match result {
                Ok((rows, files)) => {
                    let files: Vec<String> =
                        files.iter().map(|f| f.display().to_string()).collect();
                    Status {
                        text: format!(
                            "{} {rows} → {}",
                            app.i18n.t("status.exported"),
                            files.join(", ")
                        ),
                        ok: true,
                    }
                }
                Err(e) => Status { text: e, ok: false },
            });
            let day = app.report.day.unwrap_or(app.day);
            return vec![Effect::LoadReport { day }];
        }
        Action::DutyLoaded { cfg, status } => {
            app.duty_cfg = *cfg;
            app.duty = Some(*status);
            return vec![];
        }
        Action::RosterLoaded {
            week,
            monday,
            roster,
            problems,
        } => {
            let (rows, cols) = (7 * app.duty_cfg.shifts.len(), app.duty_cfg.posts.len());
            // Opening a week: the cursor starts on the shift running now, if it is in it.
            let first_open = app.roster.monday != Some(monday);
            let now_row = app.duty.as_ref().and_then(|d| {
                let days = (d.date - monday).num_days();
                let shift = app.duty_cfg.shifts.iter().position(|s| s.name == d.shift)?;
                (0..7)
                    .contains(&days)
                    .then(|| days as usize * app.duty_cfg.shifts.len() + shift)
            });
            let v = &mut app.roster;
            if first_open {
                v.row = now_row.unwrap_or(0);
            }
            v.week = week;
            v.monday = Some(monday);
            v.roster = roster;
            v.problems = problems;
            v.confirm_replace = false;
            v.row = v.row.min(rows.saturating_sub(1));
            v.col = v.col.min(cols.saturating_sub(1));
            return vec![];
        }
        Action::Failed(msg) => {
            app.status = Some(Status {
                text: msg,
                ok: false,
            });
            return vec![];
        }
        Action::Ready {
            checkpoint,
            officers,
        } => return ready(app, checkpoint, officers),
        Action::TodayLoaded {
            records,
            counts,
            handovers,
        } => {
            app.handovers = handovers;
            app.today = records;
            app.counts = counts;
            return vec![];
        }
        Action::PageLoaded {
            filter,
            offset,
            records,
            total,
        } => {
            let v = &mut app.records;
            v.selected = v.selected.min(records.len().saturating_sub(1));
            v.filter = filter;
            v.offset = offset;
            v.records = records;
            v.total = total;
            return vec![];
        }
        Action::DetailLoaded(d) => {
            let revealed = app
                .records
                .detail
                .as_ref()
                .is_some_and(|old| old.revealed && old.record.id == d.record.id);
            app.records.detail = Some(Box::new(super::data::Detail { revealed, ..*d }));
            return vec![];
        }
        Action::AuditLoaded(entries) => {
            app.overlay = Some(super::state::Overlay::Audit(entries));
            return vec![];
        }
        Action::Revealed(id) => {
            if let Some(d) = app.records.detail.as_mut().filter(|d| d.record.id == id) {
                d.revealed = true;
            }
            return vec![];
        }
        Action::Saved(record) => return saved(app, *record),
        Action::SyncLoaded(info) => {
            super::overlay::sync_loaded(app, *info);
            return vec![];
        }
        Action::SyncDone { lines, untrusted } => {
            return super::overlay::sync_done(app, lines, untrusted);
        }
        Action::PurgePreview(r) => {
            super::overlay::purge_loaded(app, r);
            return vec![];
        }
        Action::Purged(r) => return super::overlay::purge_done(app, r),
        Action::ConflictsListed(list) => {
            if let Some(super::state::Overlay::Sync(f)) = app.overlay.as_mut() {
                f.conflicts = Some(list);
            }
            return vec![];
        }
        Action::OfferSync(offer) => return super::overlay::open_sync(app, Some(offer)),
        _ => {}
    }
    if app.help {
        return vec![];
    }
    match app.screen {
        Screen::Setup => setup(app, action),
        Screen::SignIn => duty::sign_in(app, action),
        Screen::Main if app.overlay.is_some() => super::overlay::update(app, action),
        Screen::Main => main_screen(app, action),
    }
}

fn ready(app: &mut App, checkpoint: Checkpoint, officers: Vec<Officer>) -> Vec<Effect> {
    app.form = Some(LogForm::new(&checkpoint));
    app.checkpoint = Some(checkpoint);
    app.status = None;
    app.officers = officers;
    app.reevaluate();
    let active = app.active_officers();
    if active.is_empty() {
        // A checkpoint without staff: ask for the officer on duty (fields 3 and 4 only).
        if let Some(cp) = &app.checkpoint {
            app.setup.fields[0].set(&cp.code);
            app.setup.fields[1].set(&cp.name);
            app.setup.fields[2].set(&cp.province.to_string());
        }
        app.setup.focus = 3;
        app.screen = Screen::Setup;
        return vec![];
    }
    // Everyone signs in with their PIN; records and actions are theirs.
    app.screen = Screen::SignIn;
    app.pick = 0;
    vec![Effect::LoadToday {
        day: app.day,
        limit: TODAY_ROWS,
    }]
}

fn saved(app: &mut App, record: crate::domain::Record) -> Vec<Effect> {
    let what = record.vehicle.as_ref().map_or_else(
        || app.i18n.t("walk_in").to_string(),
        |v| v.plate.to_string(),
    );
    let ds: Vec<&str> = record
        .dispositions()
        .iter()
        .map(|d| app.i18n.disposition(*d))
        .collect();
    let at = app.local(record.entered_at).format("%H:%M:%S");
    app.status = Some(Status {
        text: format!(
            "{} {what} {} {at}",
            app.i18n.t("status.saved"),
            ds.join("+")
        ),
        ok: true,
    });
    if let Some(cp) = &app.checkpoint {
        app.form = Some(LogForm::new(cp));
    }
    app.reevaluate();
    app.today.insert(0, record);
    app.today.truncate(TODAY_ROWS);
    vec![Effect::LoadToday {
        day: app.day,
        limit: TODAY_ROWS,
    }]
}

/// The set-up form. On an empty dir it creates the checkpoint and its first officer; on a
/// checkpoint without any active staff (made by `kadian init` alone) only the officer fields
/// are open.
fn setup(app: &mut App, action: Action) -> Vec<Effect> {
    let first = if app.checkpoint.is_some() { 3 } else { 0 };
    let s = &mut app.setup;
    let n = s.fields.len();
    match action {
        Action::Edit(e) => {
            s.fields[s.focus].apply(&e);
        }
        Action::NextField => s.focus = if s.focus + 1 < n { s.focus + 1 } else { first },
        Action::PrevField => s.focus = if s.focus > first { s.focus - 1 } else { n - 1 },
        Action::Save => {
            let f = &s.fields;
            let officer = || -> Result<Officer, crate::error::FieldError> {
                Ok(Officer::new(
                    &validate_code("officer_code", f[3].text())?,
                    &validate_text("officer_name", f[4].text(), 20)?,
                    Role::Admin,
                ))
            };
            let pin = f[5].text().to_string();
            let result = match app.checkpoint {
                Some(_) => officer().map(|o| (None, o)),
                None => Checkpoint::new(
                    f[0].text(),
                    f[1].text(),
                    f[2].text(),
                    "Asia/Shanghai",
                    0,
                    String::new(),
                )
                .and_then(|cp| Ok((Some(Box::new(cp)), officer()?))),
            };
            match result.and_then(|r| crate::auth::validate_pin(&pin).map(|()| r)) {
                Ok((checkpoint, officer)) => {
                    return vec![Effect::Setup {
                        checkpoint,
                        officer,
                        pin,
                    }];
                }
                Err(e) => {
                    let text = app.i18n.error(&e);
                    app.status = Some(Status { text, ok: false });
                }
            }
        }
        _ => {}
    }
    vec![]
}

fn switch_tab(app: &mut App, step: isize) -> Vec<Effect> {
    let i = Tab::ALL.iter().position(|t| *t == app.tab).unwrap_or(0) as isize;
    app.tab = Tab::ALL[(i + step).rem_euclid(Tab::ALL.len() as isize) as usize];
    match app.tab {
        Tab::Records => {
            let filter = if app.records.filter == crate::store::Filter::default() {
                super::review::day_filter(app.day)
            } else {
                app.records.filter.clone()
            };
            vec![Effect::Search {
                filter,
                offset: app.records.offset,
                limit: PAGE,
            }]
        }
        Tab::Log => vec![Effect::LoadToday {
            day: app.day,
            limit: TODAY_ROWS,
        }],
        Tab::Report => vec![Effect::LoadReport {
            day: app.report.day.unwrap_or(app.day),
        }],
        Tab::Roster => {
            let (week, monday) = match app.roster.monday {
                Some(m) => (app.roster.week.clone(), m),
                None => super::roster::current_week(app),
            };
            vec![Effect::LoadDuty, Effect::LoadRoster { week, monday }]
        }
    }
}

fn main_screen(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::NextTab => return switch_tab(app, 1),
        Action::PrevTab => return switch_tab(app, -1),
        Action::SwitchOfficer => {
            app.officer = None;
            app.pick = 0;
            app.screen = Screen::SignIn;
            return vec![];
        }
        Action::CheckIn => return duty::check_in(app),
        Action::OpenHandover => return duty::open_handover(app),
        Action::OpenSync => return super::overlay::open_sync(app, None),
        Action::OpenPurge if app.tab == Tab::Report => return super::overlay::open_purge(app),
        _ => {}
    }
    match app.tab {
        Tab::Log => log_desk(app, action),
        Tab::Records => super::review::records_tab(app, action),
        Tab::Roster => super::roster::roster_tab(app, action),
        Tab::Report => super::report::report_tab(app, action),
    }
}

fn log_desk(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(form) = app.form.as_mut() else {
        return vec![];
    };
    match action {
        Action::Edit(e) => form.edit(&e),
        Action::NextField => form.move_focus(1, &app.eval),
        Action::PrevField => form.move_focus(-1, &app.eval),
        Action::NextPerson => form.switch_person(1),
        Action::PrevPerson => form.switch_person(-1),
        Action::AddPerson => {
            let n = form.persons.len() + 1;
            form.set_occupants(n);
            form.current = form.persons.len() - 1;
            form.focus = FieldId::Temperature;
        }
        Action::RemovePerson => form.remove_person(),
        Action::Override => form.focus = FieldId::Override,
        Action::ClearForm => {
            if let Some(cp) = &app.checkpoint {
                *form = LogForm::new(cp);
            }
            app.status = None;
        }
        Action::Save => {
            app.reevaluate();
            let (Some(form), Some(officer)) = (app.form.as_mut(), app.officer.as_ref()) else {
                return vec![];
            };
            match app.eval.draft.clone() {
                Some(draft) => {
                    return vec![Effect::SaveRecord {
                        draft,
                        officer: officer.code.clone(),
                    }];
                }
                None => {
                    form.attempted = true;
                    let first = app
                        .eval
                        .errors
                        .first()
                        .map(|(_, _, e)| app.i18n.error(e))
                        .unwrap_or_default();
                    let text = format!(
                        "{} ({}) {first}",
                        app.i18n.t("status.not_saved"),
                        app.eval.errors.len()
                    );
                    app.status = Some(Status { text, ok: false });
                    if let Some((p, f, _)) = app.eval.errors.first() {
                        if let Some(p) = p {
                            form.current = *p;
                        }
                        form.focus = *f;
                    }
                }
            }
            return vec![];
        }
        _ => return vec![],
    }
    app.reevaluate();
    // A field hidden by the change (e.g. registration no longer required) loses the focus.
    if let Some(form) = app.form.as_mut() {
        let fields = form.fields(&app.eval);
        if !fields.contains(&form.focus) {
            form.focus = fields[0];
        }
    }
    vec![]
}
