//! Staff in the store: members, their PIN hashes and the failure count of wrong PINs (who
//! may change staff, and the sign-in rules, are `ops`').
//! Staff changes are ledger entries (journaled like records); the failure counter is
//! working state kept directly in sled (losing it in a power cut only forgives some tries).

use super::{Entry, Store, codec, keys};
use crate::auth::{self, Failures};
use crate::domain::Officer;
use crate::error::{Error, Result};

impl Store {
    /// Consecutive wrong PINs and the lock of `code` (working state, not a ledger entry).
    pub fn failures(&self, code: &str) -> Result<Failures> {
        match self.tree.get(keys::failures(code))? {
            Some(v) => codec::decode("pin failures", &v),
            None => Ok(Failures::default()),
        }
    }

    pub fn set_failures(&self, code: &str, f: Failures) -> Result<()> {
        self.tree.insert(keys::failures(code), codec::encode(&f))?;
        Ok(())
    }

    fn existing(&self, code: &str) -> Result<Officer> {
        self.officer(code)?
            .ok_or_else(|| Error::UnknownOfficer(code.to_string()))
    }

    /// Sets a new PIN (hashed) and clears the failure count.
    pub fn set_pin(&self, code: &str, pin: &str) -> Result<()> {
        let mut o = self.existing(code)?;
        o.pin_hash = Some(auth::hash_pin(pin)?);
        self.put_officer(o, true)?;
        self.set_failures(code, Failures::default())
    }

    /// Journals a staff entry (who may change staff is decided in `ops::staff`).
    pub(super) fn journal_officer(&self, o: Officer) -> Result<()> {
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Officer(o)])
    }
}
