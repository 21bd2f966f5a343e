//! The record filter as people type it — on the 记录 tab's filter bar or as `kadian list`
//! options — parsed by one set of rules, so a filter the command line refuses is refused on
//! screen too, with the field named.

use chrono::NaiveDate;

use crate::domain::{Disposition, VehicleKind};
use crate::error::FieldError;
use crate::store::{Filter, plate_part};

/// A filter as typed: empty texts mean "any".
#[derive(Clone, Debug, Default)]
pub struct FilterText<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub plate: &'a str,
    pub name: &'a str,
    pub id_suffix: &'a str,
    pub phone: &'a str,
    pub officer: &'a str,
    pub disposition: Option<Disposition>,
    pub kind: Option<VehicleKind>,
    pub amended_only: bool,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date(field: &str, s: &str) -> Result<Option<NaiveDate>, FieldError> {
    some(s)
        .map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| FieldError::rule(field, "rule.date"))
        })
        .transpose()
}

/// Parses a typed filter; the first field that does not parse is named with its rule.
pub fn parse(t: &FilterText) -> Result<Filter, FieldError> {
    let (from, to) = (date("from", t.from)?, date("to", t.to)?);
    if let (Some(f), Some(l)) = (from, to)
        && f > l
    {
        return Err(FieldError::rule("to", "rule.filter.order"));
    }
    let plate = match some(t.plate) {
        None => None,
        Some(p) => {
            let p = plate_part(&p);
            let ok = !p.is_empty()
                && p.chars().all(|c| {
                    c.is_ascii_uppercase()
                        || c.is_ascii_digit()
                        || crate::domain::plate::PROVINCES.contains(c)
                        || crate::domain::plate::SUFFIXES.contains(c)
                });
            if !ok {
                return Err(FieldError::rule("plate", "rule.filter.plate"));
            }
            Some(p)
        }
    };
    let id_suffix = match some(t.id_suffix) {
        None => None,
        Some(s) => {
            let s = s.to_uppercase();
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
                return Err(FieldError::rule("id_suffix", "rule.filter.id_suffix"));
            }
            Some(s)
        }
    };
    let phone = some(t.phone);
    if let Some(p) = &phone
        && (p.len() > 11 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(FieldError::rule("phone", "rule.filter.phone"));
    }
    Ok(Filter {
        from,
        to,
        plate,
        name: some(t.name),
        id_suffix,
        phone,
        disposition: t.disposition,
        officer: some(t.officer),
        kind: t.kind,
        amended_only: t.amended_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_set_of_rules_names_the_field() {
        let ok = parse(&FilterText {
            from: "2026-11-24",
            plate: "湘j12",
            id_suffix: "002x",
            phone: "139",
            ..Default::default()
        })
        .unwrap();
        assert_eq!(ok.plate.as_deref(), Some("湘J12"));
        assert_eq!(ok.id_suffix.as_deref(), Some("002X"));
        for (t, field) in [
            (
                FilterText {
                    from: "24.11.2026",
                    ..Default::default()
                },
                "from",
            ),
            (
                FilterText {
                    from: "2026-11-25",
                    to: "2026-11-24",
                    ..Default::default()
                },
                "to",
            ),
            (
                FilterText {
                    plate: "J-12",
                    ..Default::default()
                },
                "plate",
            ),
            (
                FilterText {
                    id_suffix: "02X",
                    ..Default::default()
                },
                "id_suffix",
            ),
            (
                FilterText {
                    id_suffix: "AB12",
                    ..Default::default()
                },
                "id_suffix",
            ),
            (
                FilterText {
                    phone: "139-0000",
                    ..Default::default()
                },
                "phone",
            ),
            (
                FilterText {
                    phone: "139000011112",
                    ..Default::default()
                },
                "phone",
            ),
        ] {
            assert_eq!(parse(&t).unwrap_err().field, field, "{t:?}");
        }
        assert_eq!(parse(&FilterText::default()).unwrap(), Filter::default());
    }
}
