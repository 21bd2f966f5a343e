//! Staff in the store: adding, disabling, PINs, sign-in with the failure count and lock.
//! Staff changes are ledger entries (journaled like records); the failure counter is
//! working state kept directly in sled (losing it in a power cut only forgives some tries).

use chrono::{DateTime, Duration, Utc};

use super::{Entry, Store, codec, keys};
use crate::auth::{self, Failures};
use crate::domain::{Officer, Permission};
use crate::error::{Error, Result};

/// Who asks for a change: a signed-in staff member (permissions apply) or the command line
/// run by whoever holds the laptop (the operating system account is the gate).
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    System,
    Staff(&'a Officer),
}

impl Actor<'_> {
    /// Refuses with `Forbidden` unless the actor may do `p`.
    pub fn require(&self, p: Permission, what: &str) -> Result<()> {
        match self {
            Actor::System => Ok(()),
            Actor::Staff(o) if o.active && o.role.may(p) => Ok(()),
            Actor::Staff(o) => Err(Error::Forbidden {
                who: o.code.clone(),
                role: o.role.code().to_string(),
                what: crate::error::action(what),
            }),
        }
    }
}

impl Store {
    fn failures(&self, code: &str) -> Result<Failures> {
        match self.tree.get(keys::failures(code))? {
            Some(v) => codec::decode("pin failures", &v),
            None => Ok(Failures::default()),
        }
    }

    fn set_failures(&self, code: &str, f: Failures) -> Result<()> {
        self.tree.insert(keys::failures(code), codec::encode(&f))?;
        Ok(())
    }

    /// Adds a staff member (`replace = false`) or stores a changed one.
    pub fn save_officer(&self, actor: Actor, officer: Officer, replace: bool) -> Result<()> {
        actor.require(Permission::Administer, "staff")?;
        self.put_officer(officer, replace)
    }

    fn existing(&self, code: &str) -> Result<Officer> {
        self.officer(code)?
            .ok_or_else(|| Error::UnknownOfficer(code.to_string()))
    }

    pub fn set_active(&self, actor: Actor, code: &str, active: bool) -> Result<Officer> {
        let mut o = self.existing(code)?;
        o.active = active;
        self.save_officer(actor, o.clone(), true)?;
        Ok(o)
    }

    /// Sets a new PIN (hashed) and clears the failure count.
    pub fn set_pin(&self, actor: Actor, code: &str, pin: &str) -> Result<()> {
        let mut o = self.existing(code)?;
        o.pin_hash = Some(auth::hash_pin(pin)?);
        self.save_officer(actor, o, true)?;
        self.set_failures(code, Failures::default())
    }

    /// Checks a PIN. A wrong one counts; the fifth in a row locks the person for
    /// `LOCK_MINUTES`. The caller pauses `WRONG_PIN_DELAY` on a refusal.
    pub fn sign_in(&self, code: &str, pin: &str, now: DateTime<Utc>) -> Result<Officer> {
        let o = self.existing(code)?;
        if !o.active {
            return Err(Error::Inactive(o.code));
        }
        let hash = o
            .pin_hash
            .clone()
            .ok_or_else(|| Error::NoPin(o.code.clone()))?;
        let mut f = self.failures(code)?;
        if f.locked_until_ms > now.timestamp_millis() {
            return Err(locked(f));
        }
        if auth::pin_matches(&hash, pin) {
            if f != Failures::default() {
                self.set_failures(code, Failures::default())?;
            }
            tracing::info!(officer = %o.code, "signed in");
            return Ok(o);
        }
        f.count = f.count.saturating_add(1);
        tracing::warn!(officer = %o.code, failures = f.count, "wrong PIN");
        if f.count >= auth::MAX_FAILURES {
            f = Failures {
                count: 0,
                locked_until_ms: (now + Duration::minutes(auth::LOCK_MINUTES)).timestamp_millis(),
            };
            self.set_failures(code, f)?;
            return Err(locked(f));
        }
        self.set_failures(code, f)?;
        Err(Error::WrongPin {
            left: auth::MAX_FAILURES - f.count,
        })
    }

    /// Journals a staff entry (no permission check: callers go through `save_officer`).
    pub(super) fn journal_officer(&self, o: Officer) -> Result<()> {
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Officer(o)])
    }
}

fn locked(f: Failures) -> Error {
    let until = DateTime::from_timestamp_millis(f.locked_until_ms).unwrap_or_default();
    Error::PinLocked {
        until: until
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%H:%M:%S")
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::store::tests::ready_store;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
    }

    #[test]
    fn sign_in_counts_failures_and_locks_after_five() {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        assert!(matches!(
            s.sign_in("S01", "1234", now()),
            Err(Error::NoPin(_))
        ));
        s.set_pin(Actor::System, "S01", "2468").unwrap();
        assert_eq!(s.sign_in("S01", "2468", now()).unwrap().code, "S01");
        for left in (1..5).rev() {
            assert!(
                matches!(s.sign_in("S01", "0000", now()), Err(Error::WrongPin { left: l }) if l == left)
            );
        }
        assert!(matches!(
            s.sign_in("S01", "0000", now()),
            Err(Error::PinLocked { .. })
        ));
        // Even the right PIN is refused while locked, and accepted after the lock.
        assert!(matches!(
            s.sign_in("S01", "2468", now()),
            Err(Error::PinLocked { .. })
        ));
        let later = now() + Duration::minutes(auth::LOCK_MINUTES) + Duration::seconds(1);
        assert!(s.sign_in("S01", "2468", later).is_ok());
        // The stored officer never holds the PIN in clear.
        let stored = s.officer("S01").unwrap().unwrap();
        assert!(!stored.pin_hash.unwrap().contains("2468"));
    }

    #[test]
    fn permissions_are_enforced_in_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        let officer = Officer::new("O1", "值守", Role::Officer);
        let admin = Officer::new("A1", "管理", Role::Admin);
        s.save_officer(Actor::System, officer.clone(), false)
            .unwrap();
        let e = s.save_officer(
            Actor::Staff(&officer),
            Officer::new("X", "x", Role::Admin),
            false,
        );
        assert!(matches!(e, Err(Error::Forbidden { .. })));
        assert!(s.officer("X").unwrap().is_none());
        s.save_officer(
            Actor::Staff(&admin),
            Officer::new("X", "x", Role::Officer),
            false,
        )
        .unwrap();
        assert!(s.set_active(Actor::Staff(&officer), "X", false).is_err());
        assert!(
            !s.set_active(Actor::Staff(&admin), "X", false)
                .unwrap()
                .active
        );
        assert!(matches!(
            s.sign_in("X", "1234", now()),
            Err(Error::Inactive(_))
        ));
        assert!(
            Actor::Staff(&officer)
                .require(Permission::Lead, "sign")
                .is_err()
        );
        assert!(
            Actor::Staff(&Officer::new("L", "l", Role::Leader))
                .require(Permission::Lead, "sign")
                .is_ok()
        );
    }
}
