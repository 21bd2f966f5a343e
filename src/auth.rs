//! PINs: validated, hashed with argon2 (random salt, PHC string) and never stored or logged
//! in clear; a wrong PIN costs a delay and five in a row lock the person for a while.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::time::Duration;

use crate::error::FieldError;

/// Wrong PINs in a row before the person is locked.
pub const MAX_FAILURES: u8 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 5;
/// Pause after a wrong PIN, so guessing is slow.
pub const WRONG_PIN_DELAY: Duration = Duration::from_secs(1);

/// A PIN is 4–8 digits.
pub fn validate_pin(pin: &str) -> Result<(), FieldError> {
    if (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(FieldError::rule("pin", "rule.pin"))
    }
}

/// Validates and hashes a PIN.
pub fn hash_pin(pin: &str) -> Result<String, FieldError> {
    validate_pin(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| FieldError::rule("pin", "rule.pin_hash").with("detail", e))
}

/// Whether `pin` matches the stored hash (false for a damaged hash).
pub fn pin_matches(hash: &str, pin: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

/// Consecutive failures and the lock, kept per person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failures {
    pub count: u8,
    /// Unix milliseconds until which sign-in is refused.
    pub locked_until_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_hashed_salted_and_verified() {
        let a = hash_pin("2468").unwrap();
        let b = hash_pin("2468").unwrap();
        assert_ne!(a, b, "a random salt per hash");
        assert!(a.starts_with("$argon2id$"));
        assert!(!a.contains("2468"));
        assert!(pin_matches(&a, "2468"));
        assert!(!pin_matches(&a, "2469"));
        assert!(!pin_matches("garbage", "2468"));
    }

    #[test]
    fn pin_rules() {
        for bad in ["", "123", "123456789", "12a4", " 1234"] {
            assert_eq!(validate_pin(bad).unwrap_err().field, "pin", "{bad:?}");
        }
        assert!(validate_pin("0000").is_ok());
    }
}
