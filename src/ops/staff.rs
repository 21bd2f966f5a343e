//! Staff administration: add, change, disable or enable someone, set a PIN. Admins do it;
//! before the first admin with a PIN exists (a fresh data dir), the set-up does it.

use super::{Actor, auth};
use crate::clock::Clock;
use crate::domain::{Checkpoint, Officer, Permission};
use crate::error::{Error, Result};
use crate::store::Store;

/// Who asks for a staff change: an admin, or nobody yet on a data dir still being set up.
pub enum Admin<'a> {
    Actor(&'a Actor),
    /// Accepted only while [`auth::needs_first_admin`] holds.
    SetUp,
}

fn check(store: &Store, by: &Admin) -> Result<()> {
    match by {
        Admin::Actor(a) => a.require(store, Permission::Administer, "staff"),
        Admin::SetUp if auth::needs_first_admin(store)? => Ok(()),
        Admin::SetUp => Err(crate::error::FieldError::rule("by", "rule.staff.admin").into()),
    }
}

/// Adds a staff member (with a PIN, hashed, if given).
pub fn add(store: &Store, by: Admin, mut officer: Officer, pin: Option<&str>) -> Result<Officer> {
    check(store, &by)?;
    if let Some(pin) = pin {
        officer.pin_hash = Some(crate::auth::hash_pin(pin)?);
    }
    store.put_officer(officer.clone(), false)?;
    Ok(officer)
}

/// Changes a member's name, role or phone (never their code or PIN here).
pub fn edit(store: &Store, by: Admin, changed: Officer) -> Result<Officer> {
    check(store, &by)?;
    let mut o = existing(store, &changed.code)?;
    o.name = changed.name;
    o.role = changed.role;
    o.phone = changed.phone;
    refuse_last_admin(store, &o)?;
    store.put_officer(o.clone(), true)?;
    Ok(o)
}

/// Disables or enables a member: a disabled one cannot sign in or be rostered.
pub fn set_active(store: &Store, by: Admin, code: &str, active: bool) -> Result<Officer> {
    check(store, &by)?;
    let mut o = existing(store, code)?;
    o.active = active;
    refuse_last_admin(store, &o)?;
    store.put_officer(o.clone(), true)?;
    Ok(o)
}

/// Sets a new PIN and clears the failure count.
pub fn set_pin(store: &Store, by: Admin, code: &str, pin: &str) -> Result<()> {
    check(store, &by)?;
    store.set_pin(code, pin)
}

/// A member changes their own PIN (the actor signed in with the current one).
pub fn set_own_pin(store: &Store, actor: &Actor, pin: &str) -> Result<()> {
    actor.require(store, Permission::Log, "pin")?;
    store.set_pin(actor.code(), pin)
}

fn existing(store: &Store, code: &str) -> Result<Officer> {
    store
        .officer(code)?
        .ok_or_else(|| Error::UnknownOfficer(code.to_string()))
}

/// The last active admin with a PIN cannot be disabled or demoted: nobody could manage
/// the staff afterwards.
fn refuse_last_admin(store: &Store, changed: &Officer) -> Result<()> {
    let admins_after = store
        .officers()?
        .into_iter()
        .map(|o| {
            if o.code == changed.code {
                changed.clone()
            } else {
                o
            }
        })
        .filter(|o| o.active && o.role == crate::domain::Role::Admin && o.pin_hash.is_some())
        .count();
    let was_admin = store
        .officer(&changed.code)?
        .is_some_and(|o| o.active && o.role == crate::domain::Role::Admin && o.pin_hash.is_some());
    if was_admin && admins_after == 0 {
        return Err(Error::LastAdmin(changed.code.clone()));
    }
    Ok(())
}

/// First run: creates the checkpoint (when the dir has none) and its first officer, an
/// admin with the PIN typed twice on the set-up screen. Refused once an admin exists.
pub fn set_up(
    store: &Store,
    clock: &dyn Clock,
    checkpoint: Option<Checkpoint>,
    mut officer: Officer,
    pin: &str,
) -> Result<Actor> {
    if !auth::needs_first_admin(store)? {
        return Err(crate::error::FieldError::rule("by", "rule.staff.admin").into());
    }
    if let Some(mut cp) = checkpoint {
        if cp.is_demo() {
            return Err(
                crate::error::FieldError::rule("checkpoint", "rule.checkpoint.demo")
                    .with("code", crate::domain::DEMO_CODE)
                    .into(),
            );
        }
        cp.laptop = ulid::Ulid::from_datetime(clock.now().into()).to_string();
        store.init(cp)?;
    }
    officer.pin_hash = Some(crate::auth::hash_pin(pin)?);
    store.put_officer(officer.clone(), false)?;
    Ok(auth::first_actor(officer, clock.now()))
}
