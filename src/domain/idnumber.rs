//! Resident identity card number (公民身份号码, GB 11643-1999): 6-digit region code,
//! 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check character.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::FieldError;

const FIELD: &str = "id_number";
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes (first two digits): the 31 mainland provinces, Taiwan (71), and
/// 81/82/83 used by residence permits of Hong Kong, Macao and Taiwan residents.
pub const PROVINCE_CODES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// A valid 18-character ID number, upper-case `X` check character.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

/// The check character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses and validates; `today` bounds the birth date. Lowercase `x` is accepted as `X`.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let s = input.trim().to_uppercase();
        let err = |key| FieldError::rule(FIELD, key);
        if s.chars().count() != 18 {
            return Err(err("rule.id.length").with("n", s.chars().count()));
        }
        let b = s.as_bytes();
        if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
            return Err(err("rule.id.digits"));
        }
        let province = (b[0] - b'0') * 10 + (b[1] - b'0');
        if !PROVINCE_CODES.contains(&province) {
            return Err(err("rule.id.province").with("code", format!("{province:02}")));
        }
        let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d")
            .ok()
            .filter(|d| *d >= NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid constant date"));
        let Some(birth) = birth else {
            return Err(err("rule.id.birth_invalid").with("date", &s[6..14]));
        };
        if birth > today {
            return Err(err("rule.id.birth_future").with("date", &s[6..14]));
        }
        let expected = check_char(&b[..17]);
        if b[17] as char != expected {
            return Err(err("rule.id.check").with("expected", expected));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `4307**********1234`: first 4 and last 4 characters.
    pub fn masked(&self) -> String {
        format!("{}**********{}", &self.0[..4], &self.0[14..])
    }
}

impl TryFrom<String> for IdNumber {
    type Error = FieldError;
    /// Decoding stored data: every rule but "not in the future" (which only matters at entry).
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s, NaiveDate::MAX)
    }
}

impl From<IdNumber> for String {
    fn from(v: IdNumber) -> String {
        v.0
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for IdNumber {
    /// Debug output masks the number so it never lands in a log in clear.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn accepts_known_valid_numbers() {
        for s in ["11010519491231002X", "430702199001011230"] {
            assert!(IdNumber::parse(s, today()).is_ok(), "{s}");
        }
        let lower = IdNumber::parse("11010519491231002x", today()).unwrap();
        assert_eq!(lower.as_str(), "11010519491231002X");
    }

    #[test]
    fn refuses_each_rule_with_its_reason() {
        let cases = [
            ("1101051949123100", "18"),
            ("11010519491231002A", "digit or X"),
            ("99010519491231002X", "province"),
            ("110105194902300020", "not a valid date"),
            ("110105203001010011", "future"),
            ("110105194912310021", "check digit"),
        ];
        for (s, rule) in cases {
            let e = IdNumber::parse(s, today()).unwrap_err();
            assert_eq!(e.field, "id_number");
            let en = crate::i18n::I18n::new(crate::i18n::Lang::En).render(&e.rule);
            assert!(en.contains(rule), "{s}: {en}");
        }
    }

    #[test]
    fn residence_permits_81_82_83_are_accepted() {
        for p in ["81", "82", "83"] {
            let mut first17 = format!("{p}000019900101001");
            first17.push(check_char(first17.as_bytes()));
            assert!(IdNumber::parse(&first17, today()).is_ok(), "{first17}");
        }
    }

    #[test]
    fn masks_all_but_first_and_last_four() {
        let id = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(id.masked(), "1101**********002X");
        assert!(!format!("{id:?}").contains("19491231"));
    }

    pub(crate) fn valid_id() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PROVINCE_CODES.to_vec()),
            0u32..10000,
            0i64..(365 * 120),
            0u32..1000,
        )
            .prop_map(|(p, region, days, seq)| {
                let birth =
                    NaiveDate::from_ymd_opt(1906, 1, 1).unwrap() + chrono::Duration::days(days);
                let mut s = format!("{p:02}{region:04}{}{seq:03}", birth.format("%Y%m%d"));
                s.push(check_char(s.as_bytes()));
                s
            })
    }

    proptest! {
        #[test]
        fn any_generated_valid_id_is_accepted(s in valid_id()) {
            prop_assert!(IdNumber::parse(&s, today()).is_ok());
        }

        #[test]
        fn any_single_changed_digit_is_refused(s in valid_id(), pos in 0usize..18, delta in 1u8..10) {
            let mut b = s.into_bytes();
            if b[pos] == b'X' { b[pos] = b'0' + delta; } else {
                b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            }
            let changed = String::from_utf8(b).unwrap();
            prop_assert!(IdNumber::parse(&changed, today()).is_err(), "{}", changed);
        }
    }
}
