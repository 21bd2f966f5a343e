//! Versioned encoding of everything the store writes and every bundle entry: a leading
//! format byte, then bincode 2 (serde, standard config). A later schema adds a format byte
//! and a migration here. Below both the store and the bundle format, which share it.

use serde::{Serialize, de::DeserializeOwned};

use crate::error::{Error, Result};

/// Current value format.
pub const FORMAT_V1: u8 = 1;
/// Format 1 followed by zero bytes: a journal frame rewritten in place, shorter, by the
/// retention purge (the frame keeps its length so every journal offset stays valid).
pub const FORMAT_V1_PADDED: u8 = 2;

/// The most bytes one decoded value may claim (a record is a few hundred bytes).
const DECODE_LIMIT: usize = 16 * 1024 * 1024;

/// `v` encoded as format 1 and padded with zeros to `len` (the purge's in-place journal
/// rewrite); None if the new encoding does not fit.
pub fn encode_padded<T: Serialize>(v: &T, len: usize) -> Option<Vec<u8>> {
    let mut out = encode(v);
    if out.len() > len {
        return None;
    }
    out[0] = FORMAT_V1_PADDED;
    out.resize(len, 0);
    Some(out)
}

pub fn encode<T: Serialize>(v: &T) -> Vec<u8> {
    let mut out = vec![FORMAT_V1];
    // Encoding into a Vec cannot fail for our types (no maps with non-string keys, no
    // unsupported serde features); a failure here is a programming error caught by tests.
    bincode::serde::encode_into_std_write(v, &mut out, bincode::config::standard())
        .expect("encoding domain types with bincode cannot fail");
    out
}

pub fn decode<T: DeserializeOwned>(what: &str, bytes: &[u8]) -> Result<T> {
    let corrupt = |detail: String| Error::Corrupt {
        what: what.into(),
        detail,
    };
    let (padded, rest) = match bytes.split_first() {
        Some((&FORMAT_V1, rest)) => (false, rest),
        Some((&FORMAT_V1_PADDED, rest)) => (true, rest),
        Some((v, _)) => return Err(corrupt(format!("unknown format version {v}"))),
        None => return Err(corrupt("empty value".into())),
    };
    // A limit, so a damaged length prefix is an error, not a huge allocation that aborts the
    // process (found by the fuzz test below).
    let config = bincode::config::standard().with_limit::<DECODE_LIMIT>();
    let (v, used) =
        bincode::serde::decode_from_slice(rest, config).map_err(|e| corrupt(e.to_string()))?;
    let tail = &rest[used..];
    if padded && tail.iter().any(|b| *b != 0) {
        return Err(corrupt("padding is not zero".into()));
    }
    if !padded && !tail.is_empty() {
        return Err(corrupt("trailing bytes".into()));
    }
    Ok(v)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::Record;
    use crate::domain::entry::Entry;
    use crate::domain::input::RecordJson;
    use crate::policy::Policy;
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    pub(crate) fn sample_record() -> Record {
        let line = r#"{"vehicle":{"plate":"湘J12345","kind":"货车","origin":"长沙","destination":"常德","disinfected":true},
            "persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}},
            {"temperature":37.8,"health_code":"yellow","test":{"result":"none"},"name":"王小明",
             "id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区","sampled":true,"tube_no":"B-17"}]}"#;
        let draft = RecordJson::parse_line(line).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
        let new = Policy::default_policy()
            .assess(&draft, now, now.date_naive())
            .unwrap();
        Record {
            id: "T01-01JZ0000000000000000000".into(),
            checkpoint: "T01".into(),
            officer: "S01".into(),
            time: new.time,
            entered_at: now,
            vehicle: new.vehicle,
            persons: new.persons,
            policy_version: "default-2026.1".into(),
            amendments: 0,
            voided: false,
        }
    }

    #[test]
    fn record_round_trips() {
        let r = sample_record();
        let bytes = encode(&Entry::Record(r.clone()));
        assert_eq!(bytes[0], FORMAT_V1);
        assert_eq!(decode::<Entry>("t", &bytes).unwrap(), Entry::Record(r));
    }

    #[test]
    fn unknown_version_and_garbage_are_errors() {
        let mut bytes = encode(&Entry::Record(sample_record()));
        bytes[0] = 9;
        assert!(
            decode::<Entry>("t", &bytes)
                .unwrap_err()
                .to_string()
                .contains("version 9")
        );
        assert!(decode::<Entry>("t", &[]).is_err());
    }

    fn arb_checks() -> impl Strategy<Value = crate::domain::Checks> {
        use crate::domain::{Checks, HealthCode, Temperature, TestProof};
        (
            340u16..=430,
            0usize..3,
            any::<bool>(),
            prop_oneof![
                (0u16..=720).prop_map(|h| TestProof::Negative { hours_ago: h }),
                Just(TestProof::None),
                Just(TestProof::Positive)
            ],
            any::<bool>(),
        )
            .prop_map(|(t, h, itinerary_risk, test, identity_refused)| Checks {
                temperature: Temperature::from_tenths(t).unwrap(),
                health_code: [HealthCode::Green, HealthCode::Yellow, HealthCode::Red][h],
                itinerary_risk,
                test,
                identity_refused,
            })
    }

    proptest! {
        #[test]
        fn any_assessed_record_round_trips(checks in proptest::collection::vec(arb_checks(), 1..5), ms in 0i64..4_000_000_000_000) {
            let policy = Policy::default_policy();
            let mut r = sample_record();
            r.time = chrono::DateTime::from_timestamp_millis(ms).unwrap();
            r.persons = checks.into_iter().map(|c| {
                let mut d = crate::domain::input::PersonDraft::all_normal();
                d.checks = c;
                d.name = "王小明".into();
                d.id_number = "11010519491231002X".into();
                d.phone = "13900001111".into();
                d.destination = "常德".into();
                policy.assess_person(&d, r.time.date_naive()).unwrap()
            }).collect();
            let entry = Entry::Record(r);
            prop_assert_eq!(decode::<Entry>("t", &encode(&entry)).unwrap(), entry);
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(b in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode::<Entry>("t", &b);
            let mut v = vec![FORMAT_V1];
            v.extend(&b);
            let _ = decode::<Entry>("t", &v);
        }
    }
}

#[cfg(test)]
mod limits {
    use super::*;
    use crate::domain::entry::Entry;

    #[test]
    fn a_huge_length_prefix_is_an_error_not_an_abort() {
        // Entry::Record, then a string length of u64::MAX in bincode's varint encoding.
        let mut bytes = vec![FORMAT_V1, 2, 253];
        bytes.extend_from_slice(&u64::MAX.to_le_bytes());
        bytes.extend_from_slice(b"rest");
        assert!(decode::<Entry>("t", &bytes).is_err());
        let mut officer = vec![FORMAT_V1, 1, 253];
        officer.extend_from_slice(&(1u64 << 62).to_le_bytes());
        assert!(decode::<Entry>("t", &officer).is_err());
    }
}
