//! Duty: posts and shifts, the roster (generate, save, leave), check-in at a post and the
//! shift handover. Leaders keep the roster; admins the posts; each officer checks in only
//! themself; a handover needs both leaders' PINs.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Actor;
use crate::clock::Clock;
use crate::domain::duty::{DutyConfig, week_of};
use crate::domain::{Permission, tz_of};
use crate::error::{FieldError, Result};
use crate::roster::{self, Around, Fairness, Roster, Violation};
use crate::store::{Handover, HandoverDraft, PostEvent, Store};

/// Replaces posts and shifts (admins).
pub fn set_duty_config(store: &Store, actor: &Actor, cfg: DutyConfig) -> Result<()> {
    actor.require(store, Permission::Administer, "duty")?;
    store.set_duty_config(cfg)
}

/// Stores a week's roster as edited by a leader.
pub fn save_roster(store: &Store, actor: &Actor, roster: Roster) -> Result<()> {
    actor.require(store, Permission::Lead, "roster")?;
    store.save_roster(roster)
}

/// What generating a week gave: the roster stored with its fairness and how many of its
/// shifts had begun (kept as they were), the rules that cannot be met, or a refusal to
/// replace the week's assignments without being told to (nothing stored in those two).
pub enum Generated {
    Saved {
        roster: Box<Roster>,
        fairness: Fairness,
        kept: usize,
    },
    Impossible(Vec<Violation>),
    WouldReplace,
}

/// The rosters next to the week from `monday`, for the rules that span weeks.
fn around(store: &Store, cfg: &DutyConfig, monday: NaiveDate) -> Result<Around> {
    let prev = store.roster(&week_of(monday - Duration::days(7)))?;
    let next = store.roster(&week_of(monday + Duration::days(7)))?;
    Ok(Around::new(cfg, monday, prev.as_ref(), next.as_ref()))
}

/// How many of the week's shifts have begun at `now`.
pub fn begun_shifts(
    store: &Store,
    cfg: &DutyConfig,
    monday: NaiveDate,
    now: DateTime<Utc>,
) -> usize {
    let tz = store.checkpoint().map_or(chrono_tz::Asia::Shanghai, tz_of);
    cfg.week_slots(monday, tz)
        .iter()
        .take_while(|s| s.start <= now)
        .count()
}

/// The rules a stored week breaks, the shifts next to it included.
pub fn roster_problems(store: &Store, roster: &Roster) -> Result<Vec<Violation>> {
    let cfg = store.duty_config()?;
    Ok(roster::check(
        roster,
        &cfg,
        &store.officers()?,
        &store.leave_of_week(roster.monday)?,
        &around(store, &cfg, roster.monday)?,
    ))
}

/// Fills a week fairly from the staff, posts, shifts and leave, and stores it (leaders).
/// The shifts that have begun by the clock's now are kept as they are; the shifts just
/// before and after the week count for the rest rule, last week's load for fairness.
/// A week that already has assignments is replaced only with `replace`.
pub fn generate_roster(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    week: &str,
    monday: NaiveDate,
    seed: u64,
    replace: bool,
) -> Result<Generated> {
    actor.require(store, Permission::Lead, "roster")?;
    let cfg = store.duty_config()?;
    let staff = store.officers()?;
    let leave = store.leave_of_week(monday)?;
    let current = store.roster(week)?;
    let kept = begun_shifts(store, &cfg, monday, clock.now());
    if !replace
        && current
            .as_ref()
            .is_some_and(|r| r.has_assignments_from(&cfg, kept))
    {
        return Ok(Generated::WouldReplace);
    }
    let around = around(store, &cfg, monday)?.keeping(current.as_ref(), kept);
    match roster::generate(&cfg, &staff, week, monday, &leave, &around, seed) {
        Ok(r) => {
            let fairness = roster::fairness(&r, &cfg, &staff, &leave);
            store.save_roster(r.clone())?;
            Ok(Generated::Saved {
                roster: Box::new(r),
                fairness,
                kept,
            })
        }
        Err(reasons) => Ok(Generated::Impossible(reasons)),
    }
}

/// Records a day of leave for `code`, or takes it back (leaders).
pub fn set_leave(
    store: &Store,
    actor: &Actor,
    code: &str,
    date: NaiveDate,
    on: bool,
) -> Result<()> {
    actor.require(store, Permission::Lead, "leave")?;
    store.set_leave(code, date, on)
}

/// The actor checks in at (or out of) a post: only themself.
pub fn check_post(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    post: &str,
    on_post: bool,
) -> Result<PostEvent> {
    actor.require(store, Permission::Log, "check_post")?;
    store.check_post(actor.code(), post, on_post, clock.now())
}

/// The outgoing leader (the actor) hands the shift to the incoming one, who confirms with
/// their PIN in the draft (a wrong one costs the usual pause and counts towards their lock);
/// both must be leaders, and not the same person.
pub fn handover(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    draft: &HandoverDraft,
) -> Result<Handover> {
    actor.require(store, Permission::Lead, "handover")?;
    let incoming = super::sign_in(store, clock, &draft.incoming, &draft.incoming_pin)?;
    incoming.require(store, Permission::Lead, "take_over")?;
    if incoming.code() == actor.code() {
        return Err(FieldError::rule("to", "rule.handover.same").into());
    }
    store.add_handover(actor.code(), incoming.code(), draft, clock.now())
}
