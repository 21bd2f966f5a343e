//! Motor vehicle number plate (号牌, GA 36-2018): province abbreviation, issuing-authority
//! letter, then 5 characters (7 in all), 6 for new-energy plates (8 in all), or 4 and a
//! suffix character (挂 学 警 港 澳 领 使).

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::FieldError;

const FIELD: &str = "vehicle.plate";

/// The 31 province-level abbreviations used on plates.
pub const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// Suffix characters that replace the last serial character.
pub const SUFFIXES: &str = "挂学警港澳领使";

/// A valid plate, normalised: half-width, upper case, no separator.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Plate(String);

/// Full-width ASCII (Ａ-Ｚ, ０-９, ａ-ｚ) to half-width, lower to upper case; other characters kept.
pub fn normalise_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_uppercase()
}

/// Trims and normalises typed text: full-width to half-width, upper case.
pub fn normalise(input: &str) -> String {
    input.trim().chars().map(normalise_char).collect()
}

/// Serial characters: digits and capital letters except I and O (GA 36).
fn is_serial(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

impl Plate {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        // A middle dot or spaces are how plates are printed (湘J·12345); they are not part of it.
        let s: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, '·' | '•' | ' ' | '\u{3000}'))
            .map(normalise_char)
            .collect();
        let err = |key| FieldError::rule(FIELD, key);
        let chars: Vec<char> = s.chars().collect();
        if chars.is_empty() {
            return Err(err("rule.plate.empty"));
        }
        if !PROVINCES.contains(chars[0]) {
            return Err(err("rule.plate.province").with("c", chars[0]));
        }
        if chars.len() < 2 || !chars[1].is_ascii_uppercase() || chars[1] == 'I' || chars[1] == 'O' {
            return Err(err("rule.plate.authority"));
        }
        let serial = &chars[2..];
        let ok = match serial.len() {
            5 => {
                let (body, last) = serial.split_at(4);
                body.iter().all(|c| is_serial(*c))
                    && (is_serial(last[0]) || SUFFIXES.contains(last[0]))
            }
            // New energy: small cars D/F first, large vehicles D/F last.
            6 => {
                serial.iter().all(|c| is_serial(*c))
                    && (matches!(serial[0], 'D' | 'F') || matches!(serial[5], 'D' | 'F'))
            }
            _ => {
                return Err(err("rule.plate.length").with("n", chars.len()));
            }
        };
        if !ok {
            return Err(err("rule.plate.serial").with("suffixes", SUFFIXES));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province(&self) -> char {
        self.0.chars().next().unwrap_or('?')
    }
}

impl TryFrom<String> for Plate {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}

impl From<Plate> for String {
    fn from(p: Plate) -> String {
        p.0
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plate({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_plate_families() {
        for p in [
            "湘J12345",
            "京A1B2C3",
            "粤BD12345",
            "沪A12345F",
            "湘J1234挂",
            "粤Z1234港",
            "湘A1234警",
            "湘J1A234",
        ] {
            assert!(Plate::parse(p).is_ok(), "{p}");
        }
    }

    #[test]
    fn normalises_width_case_and_separators() {
        assert_eq!(Plate::parse("湘ｊ１２３４５").unwrap().as_str(), "湘J12345");
        assert_eq!(Plate::parse(" 湘j·12345 ").unwrap().as_str(), "湘J12345");
    }

    #[test]
    fn refuses_with_the_rule() {
        let cases = [
            ("", "empty"),
            ("X J12345", "province"),
            ("湘112345", "issuing-authority"),
            ("湘I12345", "issuing-authority"),
            ("湘J1234", "7 characters"),
            ("湘J12O45", "serial"),
            ("湘J123456", "serial"),
            ("湘J挂1234", "serial"),
            ("not a plate", "province"),
        ];
        for (p, rule) in cases {
            let e = Plate::parse(p).unwrap_err();
            let en = crate::i18n::I18n::new(crate::i18n::Lang::En).render(&e.rule);
            assert!(en.contains(rule), "{p}: {en}");
            assert_eq!(e.field, "vehicle.plate");
        }
    }

    proptest! {
        #[test]
        fn generated_ordinary_plates_round_trip(
            prov in proptest::sample::select(PROVINCES.chars().collect::<Vec<_>>()),
            letter in "[A-HJ-NP-Z]",
            serial in "[0-9A-HJ-NP-Z]{5}",
        ) {
            let s = format!("{prov}{letter}{serial}");
            let p = Plate::parse(&s.to_lowercase()).unwrap();
            prop_assert_eq!(p.as_str(), s.as_str());
        }

        #[test]
        fn never_panics_on_any_input(s in "\\PC{0,12}") {
            let _ = Plate::parse(&s);
        }
    }
}
