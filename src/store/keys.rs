//! Key layout of the single sled tree. Every key starts with the key-format byte, then a
//! kind byte, so all of a kind is one prefix and a page is one range scan. Times are
//! big-endian milliseconds so keys sort by time.
//!
//! | kind | key after `[1, kind]` | value |
//! |---|---|---|
//! | `R` record | id | encoded `Record` |
//! | `D` by day | day `YYYYMMDD` · time · id | empty |
//! | `P` by plate | plate · 0xFF · time · id | empty |
//! | `I` by ID number | retired (meta `index_v2`): found through `J` and the record | — |
//! | `X` by disposition | tag · day · time · id, every tag but pass (0) | empty |
//! | `C` counter | day · name | u64 BE |
//! | `S` staff | code | encoded `Officer` |
//! | `M` meta | name | meta value |
//! | `F` PIN failures | staff code | encoded `Failures` |
//! | `T` counter per hour | local date · hour byte · name | u64 BE |
//! | `W` roster | ISO week `2026-W48` | encoded `Roster` |
//! | `V` leave | date · staff code | empty |
//! | `A` attendance | day · time · staff code | encoded `PostEvent` |
//! | `H` handover | day · time · id | encoded `Handover` |
//! | `Y` signed report | day · version u32 BE | encoded `SignedReport` |
//! | `Q` pushed | record id · 0xFF · person index | encoded `PushMark` |
//! | `O` original | record id | the record as first logged, kept once it is amended |
//! | `Z` day sign-off | day | encoded `SignOff` |
//! | `N` by name | name · 0xFF · time · id | empty |
//! | `J` by ID suffix | last 4 of the ID number · time · id | empty |
//! | `K` by phone | phone · time · id | empty |
//! | `U` audit | day · time · staff code | encoded `AuditEntry` |
//! | `L` chain link | day · seq u32 BE | encoded `Link` (entry key, SHA-256, chain hash) |
//! | `E` amendment | record id · 0xFF · time · amendment id | encoded `Amendment` |
//! | `B` waiting amendment | record id · 0xFF · time · amendment id | encoded `Amendment` whose record has not arrived |
//! | `G` sync conflict | entry id · 0xFF · SHA-256 hex of the version kept aside | encoded `Conflict` |
//!
//! Meta names used by sync: `identity`, `trust/LAPTOP`, `mark/DESTINATION`,
//! `reference/LAPTOP`. By the purge: `purged_before`, `scrub/YYYY-MM-DD` (journal byte spans
//! of that day's personal details, see `spans`), `scrub_spans` (the journal was indexed).
//! `index_v2`: the retired `I` and pass `X` keys are gone from this tree. A command post
//! keeps each checkpoint in a tree `cp/CODE` with this same layout.
//!
//! The layout is the store's alone: nothing outside `store` builds or reads these keys.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Disposition, Record};

pub const KEY_V1: u8 = 1;
pub const RECORD: u8 = b'R';
pub const BY_DAY: u8 = b'D';
pub const BY_PLATE: u8 = b'P';
pub const BY_ID_NUMBER: u8 = b'I';
pub const BY_DISPOSITION: u8 = b'X';
pub const COUNTER: u8 = b'C';
pub const STAFF: u8 = b'S';
pub const META: u8 = b'M';
pub const FAILURES: u8 = b'F';
pub const HOUR_COUNTER: u8 = b'T';
pub const ROSTER: u8 = b'W';
pub const LEAVE: u8 = b'V';
pub const ATTENDANCE: u8 = b'A';
pub const HANDOVER: u8 = b'H';
pub const REPORT: u8 = b'Y';
pub const PUSHED: u8 = b'Q';
pub const ORIGINAL: u8 = b'O';
pub const AMENDMENT: u8 = b'E';
pub const SIGNOFF: u8 = b'Z';
pub const CHAIN: u8 = b'L';
pub const BY_NAME: u8 = b'N';
pub const BY_ID_SUFFIX: u8 = b'J';
pub const BY_PHONE: u8 = b'K';
pub const AUDIT: u8 = b'U';
pub const PENDING: u8 = b'B';
pub const CONFLICT: u8 = b'G';
/// Records that arrived (or were amended or voided) after their day's sign-off.
pub const AFTER_SIGNOFF: u8 = b'a';
/// The figures a signed day report version was signed over.
pub const REPORT_FIGURES: u8 = b'y';

/// Separator after a variable-length plate (0xFF never occurs in UTF-8).
const SEP: u8 = 0xFF;

pub fn prefix(kind: u8) -> Vec<u8> {
    vec![KEY_V1, kind]
}

fn with(kind: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut k = prefix(kind);
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

/// `YYYYMMDD` as ASCII digits (written by hand: this is on every key of every record).
pub fn day_bytes(day: NaiveDate) -> [u8; 8] {
    use chrono::Datelike;
    let mut out = [b'0'; 8];
    let mut n = day.year().clamp(0, 9999) as u32 * 10_000 + day.month() * 100 + day.day();
    for b in out.iter_mut().rev() {
        *b = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out
}

fn time_bytes(t: DateTime<Utc>) -> [u8; 8] {
    // Offset so that times before 1970 still sort correctly as unsigned bytes.
    (t.timestamp_millis() as u64 ^ (1 << 63)).to_be_bytes()
}

pub fn record(id: &str) -> Vec<u8> {
    with(RECORD, &[id.as_bytes()])
}

pub fn by_day(day: NaiveDate, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(BY_DAY, &[&day_bytes(day), &time_bytes(t), id.as_bytes()])
}

pub fn day_prefix(day: NaiveDate) -> Vec<u8> {
    with(BY_DAY, &[&day_bytes(day)])
}

pub fn by_plate(plate: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        BY_PLATE,
        &[plate.as_bytes(), &[SEP], &time_bytes(t), id.as_bytes()],
    )
}

pub fn plate_prefix(plate: &str) -> Vec<u8> {
    with(BY_PLATE, &[plate.as_bytes(), &[SEP]])
}

/// A key of the retired full-ID-number index (to build an older data dir in tests).
#[cfg(test)]
pub fn by_id_number(idn: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        BY_ID_NUMBER,
        &[idn.as_bytes(), &time_bytes(t), id.as_bytes()],
    )
}

pub fn by_disposition(tag: u8, day: NaiveDate, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        BY_DISPOSITION,
        &[&[tag], &day_bytes(day), &time_bytes(t), id.as_bytes()],
    )
}

pub fn counter(day: NaiveDate, name: &str) -> Vec<u8> {
    with(COUNTER, &[&day_bytes(day), name.as_bytes()])
}

pub fn counter_prefix(day: NaiveDate) -> Vec<u8> {
    with(COUNTER, &[&day_bytes(day)])
}

pub fn staff(code: &str) -> Vec<u8> {
    with(STAFF, &[code.as_bytes()])
}

pub fn meta(name: &str) -> Vec<u8> {
    with(META, &[name.as_bytes()])
}

/// The record id at the end of an index key whose fixed part is `fixed_len` bytes long.
pub fn id_after(key: &[u8], fixed_len: usize) -> Option<&str> {
    key.get(fixed_len..)
        .and_then(|b| std::str::from_utf8(b).ok())
}

/// Length of the fixed part of a day-index key (prefix, day, time).
pub const DAY_KEY_FIXED: usize = 2 + 8 + 8;

/// The record id in a plate-index key.
pub fn id_in_plate_key(key: &[u8]) -> Option<&str> {
    let sep = key.iter().position(|b| *b == SEP)?;
    id_after(key, sep + 1 + 8)
}

pub fn failures(code: &str) -> Vec<u8> {
    with(FAILURES, &[code.as_bytes()])
}

pub fn hour_counter(date: NaiveDate, hour: u8, name: &str) -> Vec<u8> {
    with(HOUR_COUNTER, &[&day_bytes(date), &[hour], name.as_bytes()])
}

pub fn hour_prefix(date: NaiveDate, hour: u8) -> Vec<u8> {
    with(HOUR_COUNTER, &[&day_bytes(date), &[hour]])
}

pub fn roster(week: &str) -> Vec<u8> {
    with(ROSTER, &[week.as_bytes()])
}

pub fn leave(date: NaiveDate, code: &str) -> Vec<u8> {
    with(LEAVE, &[&day_bytes(date), code.as_bytes()])
}

pub fn leave_prefix(date: NaiveDate) -> Vec<u8> {
    with(LEAVE, &[&day_bytes(date)])
}

pub fn attendance(day: NaiveDate, t: DateTime<Utc>, code: &str) -> Vec<u8> {
    with(
        ATTENDANCE,
        &[&day_bytes(day), &time_bytes(t), code.as_bytes()],
    )
}

pub fn attendance_prefix(day: NaiveDate) -> Vec<u8> {
    with(ATTENDANCE, &[&day_bytes(day)])
}

pub fn handover(day: NaiveDate, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(HANDOVER, &[&day_bytes(day), &time_bytes(t), id.as_bytes()])
}

pub fn handover_prefix(day: NaiveDate) -> Vec<u8> {
    with(HANDOVER, &[&day_bytes(day)])
}

pub fn report(day: NaiveDate, version: u32) -> Vec<u8> {
    with(REPORT, &[&day_bytes(day), &version.to_be_bytes()])
}

pub fn report_prefix(day: NaiveDate) -> Vec<u8> {
    with(REPORT, &[&day_bytes(day)])
}

pub fn pushed(record: &str, person: u8) -> Vec<u8> {
    with(PUSHED, &[record.as_bytes(), &[SEP, person]])
}

pub fn disposition_day_prefix(tag: u8, day: NaiveDate) -> Vec<u8> {
    with(BY_DISPOSITION, &[&[tag], &day_bytes(day)])
}

/// Length of the fixed part of a disposition-index key (prefix, tag, day, time).
pub const DISPOSITION_KEY_FIXED: usize = 2 + 1 + 8 + 8;

pub fn original(id: &str) -> Vec<u8> {
    with(ORIGINAL, &[id.as_bytes()])
}

pub fn amendment(record: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        AMENDMENT,
        &[record.as_bytes(), &[SEP], &time_bytes(t), id.as_bytes()],
    )
}

pub fn amendment_prefix(record: &str) -> Vec<u8> {
    with(AMENDMENT, &[record.as_bytes(), &[SEP]])
}

pub fn after_signoff(record: &str) -> Vec<u8> {
    with(AFTER_SIGNOFF, &[record.as_bytes()])
}

pub fn report_figures(day: NaiveDate, version: u32) -> Vec<u8> {
    with(REPORT_FIGURES, &[&day_bytes(day), &version.to_be_bytes()])
}

pub fn signoff(day: NaiveDate) -> Vec<u8> {
    with(SIGNOFF, &[&day_bytes(day)])
}

pub fn chain(day: NaiveDate, seq: u32) -> Vec<u8> {
    with(CHAIN, &[&day_bytes(day), &seq.to_be_bytes()])
}

pub fn chain_prefix(day: NaiveDate) -> Vec<u8> {
    with(CHAIN, &[&day_bytes(day)])
}

/// A key of `kind` with the given rest (the inverse of dropping the two prefix bytes).
pub fn with_kind(kind: u8, rest: &[u8]) -> Vec<u8> {
    with(kind, &[rest])
}

pub fn by_name(name: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        BY_NAME,
        &[name.as_bytes(), &[SEP], &time_bytes(t), id.as_bytes()],
    )
}

pub fn by_id_suffix(suffix: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        BY_ID_SUFFIX,
        &[suffix.as_bytes(), &time_bytes(t), id.as_bytes()],
    )
}

pub fn by_phone(phone: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(BY_PHONE, &[phone.as_bytes(), &time_bytes(t), id.as_bytes()])
}

/// A search prefix of `kind` for a value, with the separator where the index has one.
pub fn search_prefix(kind: u8, value: &str) -> Vec<u8> {
    match kind {
        BY_NAME | BY_PLATE => with(kind, &[value.as_bytes(), &[SEP]]),
        _ => with(kind, &[value.as_bytes()]),
    }
}

/// What was shown is part of the key: two reveals by one person in the same millisecond
/// (a record, then a list) are two entries.
pub fn audit(day: NaiveDate, t: DateTime<Utc>, who: &str, what: &str) -> Vec<u8> {
    with(
        AUDIT,
        &[
            &day_bytes(day),
            &time_bytes(t),
            who.as_bytes(),
            what.as_bytes(),
        ],
    )
}

pub fn pending(record: &str, t: DateTime<Utc>, id: &str) -> Vec<u8> {
    with(
        PENDING,
        &[record.as_bytes(), &[SEP], &time_bytes(t), id.as_bytes()],
    )
}

pub fn pending_prefix(record: &str) -> Vec<u8> {
    with(PENDING, &[record.as_bytes(), &[SEP]])
}

pub fn conflict(id: &str, sha_hex: &str) -> Vec<u8> {
    with(CONFLICT, &[id.as_bytes(), &[SEP], sha_hex.as_bytes()])
}

/// The search index keys of a record version (plate, ID numbers, dispositions); the day
/// index is separate, because a voided record stays listed on its day.
pub fn search_keys(day: NaiveDate, r: &Record) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Some(v) = &r.vehicle {
        out.push(by_plate(v.plate.as_str(), r.time, &r.id));
    }
    for p in &r.persons {
        if let Some(reg) = &p.registration {
            let idn = reg.id_number.as_str();
            // The full ID number is found through its last four digits (10,000 values; a
            // few records each), so it has no index of its own.
            out.push(by_id_suffix(&idn[idn.len() - 4..], r.time, &r.id));
            out.push(by_name(&reg.name, r.time, &r.id));
            out.push(by_phone(reg.phone.as_str(), r.time, &r.id));
        }
    }
    out.sort();
    out.dedup();
    // 放行 (pass) is what most records are: an index of it would hold most of the day and
    // save nothing over the day index, so only the other dispositions are indexed.
    for d in r.dispositions() {
        if d != Disposition::Pass {
            out.push(by_disposition(d.tag(), day, r.time, &r.id));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_bytes_are_the_date_as_yyyymmdd() {
        for (y, m, d) in [(2026, 11, 24), (1999, 1, 1), (2, 3, 4), (9999, 12, 31)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                day_bytes(day).to_vec(),
                format!("{y:04}{m:02}{d:02}").into_bytes()
            );
        }
    }
}
