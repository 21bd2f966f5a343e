//! Who acts: an [`Actor`] is a staff member whose PIN was just checked. Only [`sign_in`]
//! (and the first-run set-up, which creates the first PIN) makes one, so every use case that
//! takes an `Actor` knows a person, not a screen or a command line, vouches for it. A wrong
//! PIN costs the same pause and counts towards the same lock whichever front end asked.

use chrono::{DateTime, Duration, Utc};

use crate::auth::Failures;
use crate::clock::Clock;
use crate::domain::{Officer, Permission, Role};
use crate::error::{Error, Result};
use crate::store::Store;

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

    /// Refuses with `Forbidden` unless the actor, as the store knows them now (a role
    /// changed or a member disabled since sign-in counts), may do `p`.
    pub fn require(&self, store: &Store, p: Permission, what: &str) -> Result<()> {
        let current = store
            .officer(&self.officer.code)?
            .ok_or_else(|| Error::UnknownOfficer(self.officer.code.clone()))?;
        if !current.active {
            return Err(Error::Inactive(current.code));
        }
        permit(&current, p, what)
    }
}

/// Checks `code`'s PIN. A refusal (wrong PIN, locked) pauses [`crate::auth::WRONG_PIN_DELAY`]
/// on `clock` before it returns, so guessing is slow through every front end.
pub fn sign_in(store: &Store, clock: &dyn Clock, code: &str, pin: &str) -> Result<Actor> {
    let now = clock.now();
    match check_pin(store, code, pin, now) {
        Ok(officer) => Ok(Actor { officer, at: now }),
        Err(e) => Err(pause_on_refusal(clock, e)),
    }
}

/// The PIN typed again for an act that signs (a report, a sign-off): the session's
/// sign-in is not enough, the person at the keyboard confirms. Same pause and count.
pub fn confirm(store: &Store, clock: &dyn Clock, actor: &Actor, pin: &str) -> Result<Actor> {
    sign_in(store, clock, actor.code(), pin)
}

/// Refuses with `Forbidden` unless `o` (active) may do `p`; `what` names the act.
fn permit(o: &Officer, p: Permission, what: &str) -> Result<()> {
    if o.active && o.role.may(p) {
        Ok(())
    } else {
        Err(Error::Forbidden {
            who: o.code.clone(),
            role: o.role.code().to_string(),
            what: crate::error::action(what),
        })
    }
}

/// The PIN rule: a wrong PIN counts; the fifth in a row locks the person for
/// `LOCK_MINUTES`, during which even the right one is refused.
fn check_pin(store: &Store, code: &str, pin: &str, now: DateTime<Utc>) -> Result<Officer> {
    let o = store
        .officer(code)?
        .ok_or_else(|| Error::UnknownOfficer(code.to_string()))?;
    if !o.active {
        return Err(Error::Inactive(o.code));
    }
    let hash = o
        .pin_hash
        .clone()
        .ok_or_else(|| Error::NoPin(o.code.clone()))?;
    let mut f = store.failures(code)?;
    if f.locked_until_ms > now.timestamp_millis() {
        return Err(locked(store, f));
    }
    if crate::auth::pin_matches(&hash, pin) {
        if f != Failures::default() {
            store.set_failures(code, Failures::default())?;
        }
        tracing::info!(officer = %o.code, "signed in");
        return Ok(o);
    }
    f.count = f.count.saturating_add(1);
    tracing::warn!(officer = %o.code, failures = f.count, "wrong PIN");
    if f.count >= crate::auth::MAX_FAILURES {
        f = Failures {
            count: 0,
            locked_until_ms: (now + Duration::minutes(crate::auth::LOCK_MINUTES))
                .timestamp_millis(),
        };
        store.set_failures(code, f)?;
        return Err(locked(store, f));
    }
    store.set_failures(code, f)?;
    Err(Error::WrongPin {
        left: crate::auth::MAX_FAILURES - f.count,
    })
}

/// The lock's end, in the checkpoint's local time.
fn locked(store: &Store, f: Failures) -> Error {
    let until = DateTime::from_timestamp_millis(f.locked_until_ms).unwrap_or_default();
    let tz = store
        .checkpoint()
        .map_or(chrono_tz::Asia::Shanghai, crate::domain::day::tz_of);
    Error::PinLocked {
        until: until.with_timezone(&tz).format("%H:%M:%S").to_string(),
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
