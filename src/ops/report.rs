//! The day's paperwork: sign the 日报, sign off the day, export files, mark pushes, purge
//! personal details past retention. Signing needs a fresh PIN; everything is checked here.

use chrono::NaiveDate;

use super::Actor;
use crate::clock::Clock;
use crate::domain::Permission;
use crate::error::{FieldError, Result};
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::report::export::{self, Request, Summary, What};
use crate::store::{PurgeReport, SignOff, SignedReport, Store};

/// Signs a day's report (leaders, with the PIN typed for it: `pin` is checked again so a
/// session left open cannot sign). Once a version exists, a new one needs a reason.
pub fn sign_report(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    pin: &str,
    day: NaiveDate,
    text: &str,
    reason: &str,
) -> Result<SignedReport> {
    actor.require(store, Permission::Lead, "sign_report")?;
    refuse_future(store, clock, day)?;
    let signer = super::auth::confirm(store, clock, actor, pin)?;
    store.sign_report(signer.code(), day, text, reason, clock.now())
}

/// Seals a day (签字确认) with a leader's PIN; later amendments are marked.
pub fn sign_off(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    pin: &str,
    day: NaiveDate,
) -> Result<SignOff> {
    actor.require(store, Permission::Lead, "sign_off")?;
    refuse_future(store, clock, day)?;
    let signer = super::auth::confirm(store, clock, actor, pin)?;
    store.sign_off(signer.code(), day, clock.now())
}

/// A day not begun yet cannot be signed: its figures are not known.
fn refuse_future(store: &Store, clock: &dyn Clock, day: NaiveDate) -> Result<()> {
    let today = store.day_of(clock.now());
    if day > today {
        return Err(FieldError::rule("day", "rule.day.not_begun")
            .with("day", day)
            .with("today", today)
            .into());
    }
    Ok(())
}

/// What an export may show: personal details only to a leader who revealed them (the
/// reveal is audited); otherwise masked, as on screen.
pub fn export(
    store: &Store,
    policy: &Policy,
    i18n: &I18n,
    clock: &dyn Clock,
    revealed_by: Option<&Actor>,
    req: &Request,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    let mut req = req.clone();
    req.reveal = false;
    if let Some(actor) = revealed_by {
        if req.what != What::Report {
            super::records::reveal_many(store, actor, &export_what(&req), clock)?;
            req.reveal = true;
        }
    }
    export::export(store, policy, i18n, &req, progress)
}

fn export_what(req: &Request) -> String {
    let days: Vec<String> = req.days.iter().map(ToString::to_string).collect();
    let kind = match req.what {
        What::Records => "records",
        What::Report => "report",
        What::Push => "push",
    };
    format!("export {kind} {}", days.join(","))
}

/// Marks the persons of an exported push list as pushed to their communities, in the
/// actor's name.
pub fn mark_pushed(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    items: &[(String, u8)],
) -> Result<()> {
    actor.require(store, Permission::Log, "push")?;
    store.mark_pushed(actor.code(), items, clock.now())
}

/// Removes names, ID numbers and phones from the days before `before` (leaders); with
/// `dry_run`, only counts.
pub fn purge(
    store: &Store,
    clock: &dyn Clock,
    actor: &Actor,
    before: NaiveDate,
    dry_run: bool,
) -> Result<PurgeReport> {
    actor.require(store, Permission::Lead, "purge")?;
    store.purge(actor.code(), before, dry_run, clock.now())
}

/// The first day kept whole under the policy's retention, counted from today.
pub fn retention_cutoff(store: &Store, clock: &dyn Clock, policy: &Policy) -> NaiveDate {
    store.day_of(clock.now()) - chrono::Duration::days(i64::from(policy.retention_days))
}
