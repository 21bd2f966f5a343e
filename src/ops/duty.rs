//! Duty: posts and shifts, the roster (generate, save, leave), check-in at a post and the
//! shift handover. Leaders keep the roster; admins the posts; each officer checks in only
//! themself; a handover needs both leaders' PINs.

use chrono::NaiveDate;

use super::Actor;
use crate::clock::Clock;
use crate::domain::Permission;
use crate::domain::duty::DutyConfig;
use crate::error::{FieldError, Result};
use crate::roster::{self, Fairness, Roster, Violation};
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

/// What generating a week gave: the roster stored with its fairness, or the rules that
/// cannot be met (nothing stored).
pub enum Generated {
    Saved(Box<Roster>, Fairness),
    Impossible(Vec<Violation>),
}

/// Fills a week fairly from the staff, posts, shifts and leave, and stores it (leaders).
pub fn generate_roster(
    store: &Store,
    actor: &Actor,
    week: &str,
    monday: NaiveDate,
    seed: u64,
) -> Result<Generated> {
    actor.require(store, Permission::Lead, "roster")?;
    let cfg = store.duty_config()?;
    let staff = store.officers()?;
    let leave = store.leave_of_week(monday)?;
    match roster::generate(&cfg, &staff, week, monday, &leave, seed) {
        Ok(r) => {
            let f = roster::fairness(&r, &cfg, &staff, &leave);
            store.save_roster(r.clone())?;
            Ok(Generated::Saved(Box::new(r), f))
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
