//! Who acts: an [`Actor`] is a staff member whose PIN was just checked. Only [`sign_in`]
//! (and the first-run set-up, which creates the first PIN) makes one, so every use case that
//! takes an `Actor` knows a person, not a screen or a command line, vouches for it. A wrong
//! PIN costs the same pause and counts towards the same lock whichever front end asked.

use chrono::{DateTime, Duration, Utc};

use crate::clock::Clock;
use crate::domain::{Officer, Permission, Role};
use crate::error::{Error, Result};
use crate::store::Store;

/// How long a PIN check vouches for acts that sign (a report, a sign-off): the TUI's
/// session sign-in is older than that, so signing asks for the PIN again.
pub const FRESH_FOR: Duration = Duration::minutes(2);

/// A staff member authenticated by their PIN at `at`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    officer: Officer,
    at: DateTime<Utc>,
}

impl Actor {
    pub fn code(&self) -> &str {
        &self.officer.code
    }

    pub fn role(&self) -> Role {
        self.officer.role
    }

    pub fn officer(&self) -> &Officer {
        &self.officer
    }

    /// When the PIN was checked.
    pub fn authenticated_at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The store's view of the actor, for the persistence calls that record who did it.
    pub(crate) fn as_store(&self) -> crate::store::Actor<'_> {
        crate::store::Actor::Staff(&self.officer)
    }

    /// Refuses with `Forbidden` unless the actor, as the store knows them now (a role
    /// changed or a member disabled since sign-in counts), may do `p`.
    pub fn require(&self, store: &Store, p: Permission, what: &str) -> Result<()> {
        let current = store
            .officer(&self.officer.code)?
            .ok_or_else(|| Error::UnknownOfficer(self.officer.code.clone()))?;
        if !current.active {
            return Err(Error::Inactive(current.code));
        }
        crate::store::Actor::Staff(&current).require(p, what)
    }

    /// Refuses unless the PIN was checked within [`FRESH_FOR`] of `now`: signing needs the
    /// person at the keyboard, not a session left open.
    pub fn require_fresh(&self, now: DateTime<Utc>) -> Result<()> {
        if now - self.at <= FRESH_FOR && self.at <= now + Duration::seconds(5) {
            Ok(())
        } else {
            Err(Error::PinNeeded(self.officer.code.clone()))
        }
    }
}

/// Checks `code`'s PIN. A refusal (wrong PIN, locked) pauses [`crate::auth::WRONG_PIN_DELAY`]
/// on `clock` before it returns, so guessing is slow through every front end.
pub fn sign_in(store: &Store, clock: &dyn Clock, code: &str, pin: &str) -> Result<Actor> {
    let now = clock.now();
    match store.sign_in(code, pin, now) {
        Ok(officer) => Ok(Actor { officer, at: now }),
        Err(e) => Err(pause_on_refusal(clock, e)),
    }
}

/// The pause every PIN refusal costs; other errors pass through untouched.
pub(crate) fn pause_on_refusal(clock: &dyn Clock, e: Error) -> Error {
    if matches!(e, Error::WrongPin { .. } | Error::PinLocked { .. }) {
        clock.pause(crate::auth::WRONG_PIN_DELAY);
    }
    e
}

/// Whether the data dir still needs its first administrator: no active admin with a PIN.
/// Until one exists the laptop's own account is the only gate (first-run set-up), so
/// `staff add` works without a PIN; after that, staff changes need an admin's PIN.
pub fn needs_first_admin(store: &Store) -> Result<bool> {
    Ok(!store
        .officers()?
        .iter()
        .any(|o| o.active && o.role == Role::Admin && o.pin_hash.is_some()))
}

/// The first-run set-up's actor: the officer it has just created with their PIN. Only
/// valid while [`needs_first_admin`] held before the creation.
pub(crate) fn first_actor(officer: Officer, now: DateTime<Utc>) -> Actor {
    Actor { officer, at: now }
}
