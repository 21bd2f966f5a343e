//! Taking the personal details (name, ID number, phone, destination) out of one record or
//! one amendment, for a retention purge and for records of purged days arriving later. The
//! records, their dispositions and every count stay.

use crate::domain::Record;
use crate::domain::amendment::Amendment;

/// Fields of an amendment that carry personal details.
const PERSONAL: [&str; 4] = ["name", "id_number", "phone", "destination"];

/// Removes the registration (name, ID number, phone, destination) of every person.
pub fn scrub_record(r: &mut Record) -> bool {
    let mut changed = false;
    for p in &mut r.persons {
        changed |= p.registration.take().is_some();
    }
    changed
}

pub fn scrub_amendment(a: &mut Amendment) -> bool {
    let mut changed = scrub_record(&mut a.result);
    for c in &mut a.changes {
        if PERSONAL.iter().any(|f| c.field.ends_with(f)) && !c.value.is_empty() {
            c.value.clear();
            changed = true;
        }
    }
    changed
}
