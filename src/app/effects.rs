//! Effects: the only part of the TUI that touches the store and the clock — a thin
//! adapter over `ops`, like the CLI's runners. Each effect runs synchronously and reports
//! back as actions. The session keeps the `Actor` the sign-in screen's PIN made; every
//! effect done in someone's name acts as that actor, and `ops` checks the rules.

use super::action::{Action, Effect};
use crate::clock::Clock;
use crate::domain::Officer;
use crate::error::{Error, Result};
use crate::i18n::{I18n, Localized, Msg};
use crate::ops::{self, Actor};
use crate::policy::Policy;
use crate::store::Store;

/// Who is signed in at this terminal: made only by a PIN check (sign-in or set-up).
#[derive(Default)]
pub struct Session {
    actor: Option<Actor>,
}

impl Session {
    /// The signed-in actor, who must be the officer the screen acts for.
    pub fn actor_for(&self, officer: &Officer) -> Result<&Actor> {
        self.actor_for_code(&officer.code)
    }

    pub fn actor_for_code(&self, code: &str) -> Result<&Actor> {
        match &self.actor {
            Some(a) if a.code() == code => Ok(a),
            _ => Err(Error::PinNeeded(code.to_string())),
        }
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }
}

fn detail(store: &Store, id: &str) -> Result<Action> {
    let h = ops::records::history(store, id)?;
    Ok(Action::DetailLoaded(Box::new(super::data::Detail {
        original: h.original,
        amendments: h.amendments,
        record: h.record,
        revealed: false,
    })))
}

fn sync_info(store: &Store) -> Result<Action> {
    Ok(Action::SyncLoaded(Box::new(crate::ops::sync::status(
        store,
    )?)))
}

/// Messages in the screen's language, one after the other (`；` / `; `).
fn joined<'e, E: Localized + 'e>(i18n: &I18n, items: impl IntoIterator<Item = &'e E>) -> String {
    let texts: Vec<String> = items.into_iter().map(|e| i18n.error(e)).collect();
    texts.join(i18n.t("list.semi"))
}

fn roster_loaded(
    store: &Store,
    i18n: &I18n,
    week: String,
    monday: chrono::NaiveDate,
) -> Result<Vec<Action>> {
    let roster = store.roster(&week)?;
    let problems = match &roster {
        Some(r) => ops::duty::roster_problems(store, r)?
            .iter()
            .map(|v| i18n.render(&v.msg))
            .collect(),
        None => Vec::new(),
    };
    Ok(vec![Action::RosterLoaded {
        week,
        monday,
        roster,
        problems,
    }])
}

/// What effects run against: the store, the clock, the policy and the screen's language.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub store: &'a Store,
    pub clock: &'a dyn Clock,
    pub policy: &'a Policy,
    pub i18n: &'a I18n,
}

pub fn run(effect: Effect, env: Env, session: &mut Session) -> Vec<Action> {
    let i18n = env.i18n;
    match try_run(effect, env, session) {
        Ok(actions) => actions,
        Err(e) => {
            tracing::error!(error = %e, "effect failed");
            vec![Action::Failed(i18n.error(&e))]
        }
    }
}

fn try_run(effect: Effect, env: Env, session: &mut Session) -> Result<Vec<Action>> {
    let Env {
        store,
        clock,
        policy,
        i18n,
    } = env;
    Ok(match effect {
        Effect::SaveRecord { draft, officer } => {
            let actor = session.actor_for_code(&officer)?;
            // Returns only after the journal fdatasync: "已保存" means durable.
            match ops::records::log(store, policy, actor, &draft, clock) {
                Ok(record) => vec![Action::Saved(Box::new(record))],
                Err(ops::records::LogError::Invalid(errors)) => {
                    vec![Action::Failed(joined(i18n, &errors))]
                }
                Err(ops::records::LogError::Store(e)) => return Err(e),
            }
        }
        Effect::LoadToday { day, limit } => {
            vec![Action::TodayLoaded {
                records: store.day_page(day, 0, limit)?,
                counts: store.day_counts(day)?,
                handovers: store.handovers(day)?,
            }]
        }
        Effect::Search {
            filter,
            offset,
            limit,
        } => {
            let page = store.search(&filter, offset, limit)?;
            vec![Action::PageLoaded {
                filter,
                offset,
                records: page.records,
                total: page.total,
            }]
        }
        Effect::LoadDetail { id } => vec![detail(store, &id)?],
        Effect::Reveal { officer, id } => {
            ops::records::reveal(store, session.actor_for(&officer)?, &id, clock)?;
            vec![Action::Revealed(id)]
        }
        Effect::Amend {
            officer,
            id,
            changes,
            reason,
        } => {
            let actor = session.actor_for(&officer)?;
            let a = ops::records::amend(store, policy, actor, &id, changes, &reason, clock)?;
            vec![
                Action::Notice(i18n.render(&Msg::new("notice.amended").with("id", &a.record))),
                detail(store, &id)?,
            ]
        }
        Effect::SignOff { officer, pin, day } => {
            let actor = session.actor_for(&officer)?;
            match ops::report::sign_off(store, clock, actor, &pin, day) {
                Ok(s) => vec![
                    Action::Notice(
                        i18n.render(
                            &Msg::new("notice.signed_off")
                                .with("day", s.day)
                                .with("by", &s.by),
                        ),
                    ),
                    Action::OfferSync(super::data::Offer::SignOff),
                ],
                Err(e) => vec![Action::Failed(i18n.error(&e))],
            }
        }
        Effect::LoadAudit { officer, day } => {
            let actor = session.actor_for(&officer)?;
            vec![Action::AuditLoaded(ops::records::audit(
                store,
                actor,
                Some(day),
            )?)]
        }
        Effect::Void {
            officer,
            id,
            reason,
        } => {
            ops::records::void(store, session.actor_for(&officer)?, &id, &reason, clock)?;
            vec![
                Action::Notice(i18n.render(&Msg::new("notice.voided").with("id", &id))),
                detail(store, &id)?,
            ]
        }
        Effect::Setup {
            checkpoint,
            officer,
            pin,
        } => {
            let actor = ops::staff::set_up(store, clock, checkpoint.map(|c| *c), officer, &pin)?;
            let officer = actor.officer().clone();
            session.actor = Some(actor);
            match store.checkpoint() {
                Some(cp) => vec![
                    Action::Ready {
                        checkpoint: cp.clone(),
                        officers: store.officers()?,
                    },
                    Action::SignedIn(officer),
                ],
                None => vec![Action::Failed("checkpoint missing after set-up".into())],
            }
        }
        Effect::SignIn { code, pin } => match ops::sign_in(store, clock, &code, &pin) {
            Ok(actor) => {
                let officer = actor.officer().clone();
                session.actor = Some(actor);
                vec![Action::SignedIn(officer)]
            }
            // The refusal has already cost its pause in ops.
            Err(e) => vec![Action::SignInRefused(i18n.error(&e))],
        },
        Effect::LoadDuty => vec![Action::DutyLoaded {
            cfg: Box::new(store.duty_config()?),
            status: Box::new(store.duty_status(clock.now())?),
        }],
        Effect::CheckPost {
            officer,
            post,
            on_post,
        } => {
            let e =
                ops::duty::check_post(store, clock, session.actor_for(&officer)?, &post, on_post)?;
            let verb = i18n.t(if e.on_post {
                "notice.on_post"
            } else {
                "notice.off_post"
            });
            vec![Action::Notice(format!(
                "{} {} {verb}",
                officer.code, e.post
            ))]
        }
        Effect::LoadRoster { week, monday } => roster_loaded(store, i18n, week, monday)?,
        Effect::SaveRoster { officer, roster } => {
            let (week, monday) = (roster.week.clone(), roster.monday);
            ops::duty::save_roster(store, session.actor_for(&officer)?, roster)?;
            roster_loaded(store, i18n, week, monday)?
        }
        Effect::GenerateRoster {
            officer,
            week,
            monday,
            replace,
        } => {
            let actor = session.actor_for(&officer)?;
            let seed = clock.now().timestamp() as u64;
            match ops::duty::generate_roster(store, clock, actor, &week, monday, seed, replace)? {
                ops::duty::Generated::Saved { kept, .. } => {
                    let mut out = roster_loaded(store, i18n, week.clone(), monday)?;
                    out.push(Action::Notice(
                        i18n.render(
                            &Msg::new("notice.roster_generated")
                                .with("week", &week)
                                .with("kept", kept),
                        ),
                    ));
                    out
                }
                ops::duty::Generated::WouldReplace => roster_loaded(store, i18n, week, monday)?,
                ops::duty::Generated::Impossible(reasons) => {
                    let mut out = roster_loaded(store, i18n, week, monday)?;
                    let msg: Vec<String> = reasons.iter().map(|r| i18n.render(&r.msg)).collect();
                    out.push(Action::Failed(msg.join(i18n.t("list.semi"))));
                    out
                }
            }
        }
        Effect::Handover { officer, draft } => {
            let h = ops::duty::handover(store, clock, session.actor_for(&officer)?, &draft)?;
            vec![
                Action::Notice(
                    i18n.render(
                        &Msg::new("notice.handover")
                            .with("from", &h.from)
                            .with("to", &h.to)
                            .with("shift", &h.shift),
                    ),
                ),
                Action::OfferSync(super::data::Offer::Handover),
            ]
        }
        Effect::LoadReport { day } => {
            let tally = crate::report::tally(store, policy, day)?;
            let data = super::data::ReportData {
                default_text: crate::report::default_text(&tally, i18n),
                versions: store.reports(day)?,
                abnormal: crate::report::abnormal_persons(store, day)?,
                handovers: store.handovers(day)?,
                signed_off: store.signed_off(day)?,
                consolidated: if store.is_command_post() {
                    Some(Box::new(crate::report::consolidated(store, day)?))
                } else {
                    None
                },
                purge_due: !store.is_command_post()
                    && store.purge_due(super::overlay::purge::cutoff(
                        store.day_of(clock.now()),
                        policy.retention_days,
                    ))?,
                tally,
            };
            vec![Action::ReportLoaded(Box::new(data))]
        }
        Effect::SignReport {
            officer,
            pin,
            day,
            text,
            reason,
        } => {
            let actor = session.actor_for(&officer)?;
            match ops::report::sign_report(store, clock, actor, &pin, day, &text, &reason) {
                Ok(r) => vec![Action::Notice(
                    i18n.render(
                        &Msg::new("notice.report_signed")
                            .with("day", r.day)
                            .with("version", r.version)
                            .with("by", &r.signed_by),
                    ),
                )],
                Err(e) => vec![Action::Failed(i18n.error(&e))],
            }
        }
        Effect::Export { .. } => vec![Action::Failed("export runs on the runtime".into())],
        Effect::LoadSync => vec![sync_info(store)?],
        Effect::Purge {
            officer,
            before,
            dry_run,
        } => {
            let r =
                ops::report::purge(store, clock, session.actor_for(&officer)?, before, dry_run)?;
            vec![if dry_run {
                Action::PurgePreview(r)
            } else {
                Action::Purged(r)
            }]
        }
        Effect::LoadConflicts => {
            let list = crate::ops::sync::conflicts(store)?;
            let shown = list
                .iter()
                .take(super::data::CONFLICT_ROWS)
                .map(|c| {
                    (
                        c.checkpoint.clone(),
                        c.id.clone(),
                        c.kept.clone(),
                        c.other.clone(),
                    )
                })
                .collect();
            vec![Action::ConflictsListed(super::data::Conflicts {
                shown,
                total: list.len(),
            })]
        }
        Effect::WriteBundle { outbox, inbox, all } => {
            let r = crate::ops::sync::write_to_outbox(store, &outbox, &inbox, all, clock.now())?;
            vec![Action::SyncDone {
                lines: vec![(crate::ops::sync::text::written(i18n, &r), true)],
                untrusted: None,
            }]
        }
        Effect::ImportInbox {
            officer,
            outbox,
            inbox,
            trust,
        } => {
            let r = ops::sync::import_inbox_from(
                store,
                session.actor_for(&officer)?,
                &outbox,
                &inbox,
                trust.as_deref(),
                clock.now(),
            )?;
            vec![Action::SyncDone {
                lines: crate::ops::sync::text::import_lines(i18n, &r),
                untrusted: r.untrusted(),
            }]
        }
        Effect::SaveDuty { officer, cfg } => {
            ops::duty::set_duty_config(store, session.actor_for(&officer)?, *cfg)?;
            vec![Action::Notice(i18n.t("notice.duty_saved").into())]
        }
        Effect::Quit => vec![],
    })
}
