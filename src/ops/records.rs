//! The ledger's use cases: log a record, amend it, void it, and reveal its personal
//! details. Each checks the actor's rights here, whatever front end asked.

use chrono::NaiveDate;

use super::Actor;
use crate::amend::{Amendment, Change};
use crate::clock::Clock;
use crate::domain::input::RecordDraft;
use crate::domain::{NewRecord, Permission, Record};
use crate::error::{Error, FieldError, Result};
use crate::policy::Policy;
use crate::store::{AuditEntry, Store};

/// Why a draft was not stored: the policy refused fields (each named), or the store failed.
#[derive(Debug)]
pub enum LogError {
    Invalid(Vec<FieldError>),
    Store(Error),
}

impl From<Error> for LogError {
    fn from(e: Error) -> Self {
        Self::Store(e)
    }
}

/// Assesses a draft by the policy at `now` (the officer's clock), for a record logged now.
pub fn assess(
    store: &Store,
    policy: &Policy,
    draft: &RecordDraft,
    clock: &dyn Clock,
) -> Result<NewRecord, Vec<FieldError>> {
    let now = clock.now();
    policy.assess(draft, now, store.day_of(now))
}

/// Logs one record in the actor's name. Returns once it is durable (journal fdatasync).
pub fn log(
    store: &Store,
    policy: &Policy,
    actor: &Actor,
    draft: &RecordDraft,
    clock: &dyn Clock,
) -> Result<Record, LogError> {
    let new = assess(store, policy, draft, clock).map_err(LogError::Invalid)?;
    Ok(log_assessed(store, policy, actor, new, clock)?)
}

/// Stores a record already assessed (the CLI assesses line by line to report each refusal).
pub fn log_assessed(
    store: &Store,
    policy: &Policy,
    actor: &Actor,
    new: NewRecord,
    clock: &dyn Clock,
) -> Result<Record> {
    actor.require(store, Permission::Log, "log")?;
    let record = store.add_record(new, actor.code(), &policy.version, clock.now())?;
    tracing::info!(id = %record.id, officer = %actor.code(), "record saved");
    Ok(record)
}

/// Corrects fields of a record (leaders), with a reason; the original stays readable.
pub fn amend(
    store: &Store,
    policy: &Policy,
    actor: &Actor,
    id: &str,
    changes: Vec<Change>,
    reason: &str,
    clock: &dyn Clock,
) -> Result<Amendment> {
    actor.require(store, Permission::Lead, "amend")?;
    store.amend(actor.code(), policy, id, changes, reason, clock.now())
}

/// Voids a record (leaders), with a reason: it stays listed and counts nowhere.
pub fn void(
    store: &Store,
    actor: &Actor,
    id: &str,
    reason: &str,
    clock: &dyn Clock,
) -> Result<Amendment> {
    actor.require(store, Permission::Lead, "void")?;
    store.void(actor.code(), id, reason, clock.now())
}

/// Shows a record's personal details to a leader, writing the audit entry first.
pub fn reveal(store: &Store, actor: &Actor, id: &str, clock: &dyn Clock) -> Result<Record> {
    actor.require(store, Permission::Lead, "reveal")?;
    store.reveal(actor.code(), id, clock.now())
}

/// Notes in the audit log that `actor` was shown the personal details of `records` at
/// once (a revealed list or export): one entry, naming what was shown.
pub fn reveal_many(store: &Store, actor: &Actor, what: &str, clock: &dyn Clock) -> Result<()> {
    actor.require(store, Permission::Lead, "reveal")?;
    store.audit_reveal(actor.code(), what, clock.now())
}

/// A record for review: the current version, the original and every amendment.
pub struct History {
    pub record: Record,
    pub original: Record,
    pub amendments: Vec<Amendment>,
}

/// Reads a record with its history; `no record` names the id.
pub fn history(store: &Store, id: &str) -> Result<History> {
    let record = store.record(id)?.ok_or_else(|| no_record(id))?;
    Ok(History {
        original: store.original(id)?.unwrap_or_else(|| record.clone()),
        amendments: store.amendments(id)?,
        record,
    })
}

pub fn no_record(id: &str) -> Error {
    FieldError::rule("id", "rule.record.none")
        .with("id", id)
        .into()
}

/// The audit log: admins only.
pub fn audit(store: &Store, actor: &Actor, day: Option<NaiveDate>) -> Result<Vec<AuditEntry>> {
    actor.require(store, Permission::Administer, "audit")?;
    store.audit(day)
}
