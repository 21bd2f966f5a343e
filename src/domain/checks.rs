//! The values one person's five checks produce: temperature, health code, test proof,
//! and the phone number used for registration. Each is valid by construction.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::FieldError;

/// Mobile phone number: `1[3-9]` and 9 more digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let b = s.as_bytes();
        let ok = b.len() == 11
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1]);
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(FieldError::rule("phone", "rule.phone"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `139****1111`
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl TryFrom<String> for Phone {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}
impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}
impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

/// Body temperature in tenths of a degree Celsius, 34.0–43.0 °C. Anything outside, or with
/// more than one decimal, is a typing error and refused rather than rounded.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Temperature(u16);

const TEMP_FIELD: &str = "temperature";
const TEMP_MIN: u16 = 340;
const TEMP_MAX: u16 = 430;

fn temp_range_error() -> FieldError {
    FieldError::rule(TEMP_FIELD, "rule.temperature")
}

impl Temperature {
    pub fn from_tenths(t: u16) -> Result<Self, FieldError> {
        if (TEMP_MIN..=TEMP_MAX).contains(&t) {
            Ok(Self(t))
        } else {
            Err(temp_range_error())
        }
    }

    /// From a JSON number: must be a whole number of tenths.
    pub fn from_celsius(c: f64) -> Result<Self, FieldError> {
        let tenths = (c * 10.0).round();
        if !c.is_finite() || (c * 10.0 - tenths).abs() > 1e-6 || !(0.0..=1000.0).contains(&tenths) {
            return Err(temp_range_error());
        }
        Self::from_tenths(tenths as u16)
    }

    /// From typed text: `36.6`, `36`, also full-width digits; `366` is not read as 36.6.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = super::plate::normalise(input);
        let (int, frac) = match s.split_once('.') {
            Some((_, "")) => return Err(temp_range_error()),
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        let digits =
            |x: &str| !x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || !(frac.is_empty() || (frac.len() == 1 && digits(frac))) {
            return Err(temp_range_error());
        }
        let i: u16 = int.parse().map_err(|_| temp_range_error())?;
        let f: u16 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| temp_range_error())?
        };
        Self::from_tenths(i * 10 + f)
    }

    pub fn tenths(self) -> u16 {
        self.0
    }
    pub fn celsius(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl TryFrom<u16> for Temperature {
    type Error = FieldError;
    fn try_from(t: u16) -> Result<Self, FieldError> {
        Self::from_tenths(t)
    }
}
impl From<Temperature> for u16 {
    fn from(t: Temperature) -> u16 {
        t.0
    }
}
impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}
impl fmt::Debug for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}°C")
    }
}

/// 健康码 colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HealthCode {
    Green,
    Yellow,
    Red,
}

impl HealthCode {
    /// Accepts `green|yellow|red` (any case) and `绿|黄|红` (also with 码).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        match input.trim().trim_end_matches('码').to_lowercase().as_str() {
            "green" | "绿" | "g" => Ok(Self::Green),
            "yellow" | "黄" | "y" => Ok(Self::Yellow),
            "red" | "红" | "r" => Ok(Self::Red),
            _ => Err(FieldError::rule("health_code", "rule.health_code")),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            Self::Green => "绿",
            Self::Yellow => "黄",
            Self::Red => "红",
        }
    }
}

/// 核酸 test proof shown at the checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TestProof {
    /// Negative, sampled this many hours ago.
    Negative {
        hours_ago: u16,
    },
    None,
    Positive,
}

/// Longest "hours since sampling" we accept: 30 days. More is a typing error.
pub const MAX_TEST_HOURS: u16 = 720;

impl TestProof {
    pub fn negative(hours_ago: i64) -> Result<Self, FieldError> {
        if (0..=i64::from(MAX_TEST_HOURS)).contains(&hours_ago) {
            Ok(Self::Negative {
                hours_ago: hours_ago as u16,
            })
        } else {
            Err(FieldError::rule("test.hours_ago", "rule.test.hours_range")
                .with("max", MAX_TEST_HOURS))
        }
    }

    /// Typed text: a number of hours means negative; `无`/`none`/`-` none; `阳`/`positive`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = super::plate::normalise(input);
        match s.to_lowercase().as_str() {
            "无" | "none" | "-" | "n" => Ok(Self::None),
            "阳" | "阳性" | "positive" | "pos" | "+" => Ok(Self::Positive),
            t => match t.trim_end_matches('h').parse::<i64>() {
                Ok(h) => Self::negative(h),
                Err(_) => Err(FieldError::rule("test", "rule.test.typed")),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_rules() {
        assert!(Phone::parse("13900001111").is_ok());
        for bad in [
            "12900001111",
            "1390000111",
            "139000011112",
            "1390000111a",
            "",
        ] {
            assert_eq!(Phone::parse(bad).unwrap_err().field, "phone", "{bad}");
        }
        assert_eq!(Phone::parse("13900001111").unwrap().masked(), "139****1111");
    }

    #[test]
    fn temperature_is_one_decimal_in_range() {
        assert_eq!(Temperature::parse("36.6").unwrap().tenths(), 366);
        assert_eq!(Temperature::parse("37").unwrap().tenths(), 370);
        assert_eq!(Temperature::parse("３７.３").unwrap().tenths(), 373);
        for bad in ["366", "36.65", "33.9", "43.1", "abc", "", "-36", "36."] {
            assert!(Temperature::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Temperature::from_celsius(36.6).unwrap().tenths(), 366);
        assert!(Temperature::from_celsius(36.65).is_err());
        assert!(Temperature::from_celsius(f64::NAN).is_err());
        assert!(Temperature::from_celsius(1e300).is_err());
    }

    #[test]
    fn health_code_and_test_parse() {
        assert_eq!(HealthCode::parse("黄码").unwrap(), HealthCode::Yellow);
        assert_eq!(HealthCode::parse("RED").unwrap(), HealthCode::Red);
        assert!(HealthCode::parse("blue").is_err());
        assert_eq!(
            TestProof::parse("20").unwrap(),
            TestProof::Negative { hours_ago: 20 }
        );
        assert_eq!(TestProof::parse("无").unwrap(), TestProof::None);
        assert_eq!(TestProof::parse("阳").unwrap(), TestProof::Positive);
        assert!(TestProof::parse("9999").is_err());
        assert!(TestProof::negative(-1).is_err());
    }

    proptest! {
        #[test]
        fn every_tenth_in_range_round_trips(t in 340u16..=430) {
            let s = format!("{}.{}", t / 10, t % 10);
            prop_assert_eq!(Temperature::parse(&s).unwrap().tenths(), t);
            prop_assert_eq!(Temperature::from_celsius(f64::from(t) / 10.0).unwrap().tenths(), t);
        }
        #[test]
        fn temperature_parse_never_panics(s in "\\PC{0,8}") { let _ = Temperature::parse(&s); }

        #[test]
        fn every_valid_mobile_is_accepted(s in "1[3-9][0-9]{9}") {
            let p = Phone::parse(&s).unwrap();
            prop_assert_eq!(p.as_str(), s.as_str());
        }

        #[test]
        fn a_mobile_with_a_wrong_prefix_or_length_is_refused(
            s in "1[0-2][0-9]{9}|1[3-9][0-9]{0,8}|1[3-9][0-9]{10,12}|[02-9][0-9]{10}"
        ) {
            prop_assert!(Phone::parse(&s).is_err());
        }

        #[test]
        fn health_and_test_parse_never_panic(s in "\\PC{0,8}") {
            let _ = HealthCode::parse(&s);
            let _ = TestProof::parse(&s);
        }
    }
}
