//! Message lookup. Every string on screen comes from `assets/i18n/{zh,en}.toml` (flat
//! `key = "text"` tables, embedded in the binary). Chinese is the default.

use std::collections::HashMap;

use crate::domain::{Disposition, HealthCode, VehicleKind};

const ZH: &str = include_str!("../assets/i18n/zh.toml");
const EN: &str = include_str!("../assets/i18n/en.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh" | "zh-CN" | "cn" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct I18n {
    pub lang: Lang,
    map: HashMap<String, String>,
}

/// Reads a strings file: a TOML table of `"key" = "text"`. Anything else is an error that
/// names the line, never a panic (fuzzed below).
pub fn parse_strings(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = HashMap::with_capacity(table.len());
    for (k, v) in table {
        match v.as_str() {
            Some(s) => {
                out.insert(k, s.to_string());
            }
            None => return Err(format!("{k}: must be a text (\"…\")")),
        }
    }
    Ok(out)
}

fn load(text: &str) -> HashMap<String, String> {
    // The embedded files are checked by the tests below; a broken file is a build defect.
    parse_strings(text).expect("embedded i18n file is a table of texts")
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        let map = match lang {
            Lang::Zh => load(ZH),
            Lang::En => load(EN),
        };
        Self { lang, map }
    }

    /// The text for `key`; a missing key shows as `⟨key⟩` so it is noticed, never a panic.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    pub fn kind(&self, k: VehicleKind) -> &str {
        self.t(match k {
            VehicleKind::Car => "kind.car",
            VehicleKind::Bus => "kind.bus",
            VehicleKind::Truck => "kind.truck",
            VehicleKind::ColdChain => "kind.cold_chain",
            VehicleKind::Hazmat => "kind.hazmat",
            VehicleKind::Motorcycle => "kind.motorcycle",
            VehicleKind::Other => "kind.other",
        })
    }

    pub fn disposition(&self, d: Disposition) -> &str {
        self.t(match d {
            Disposition::CentralQuarantine => "disp.central_quarantine",
            Disposition::FeverClinic => "disp.fever_clinic",
            Disposition::HomeMonitoring => "disp.home_monitoring",
            Disposition::RegisterPush => "disp.register_push",
            Disposition::OnSiteTest => "disp.on_site_test",
            Disposition::TurnedBack => "disp.turned_back",
            Disposition::Pass => "disp.pass",
        })
    }

    pub fn health(&self, h: HealthCode) -> &str {
        self.t(match h {
            HealthCode::Green => "health.green",
            HealthCode::Yellow => "health.yellow",
            HealthCode::Red => "health.red",
        })
    }

    pub fn yes_no(&self, b: bool) -> &str {
        self.t(if b { "yes" } else { "no" })
    }

    /// A field error in the current language.
    pub fn error(&self, e: &crate::error::FieldError) -> String {
        match self.lang {
            Lang::Zh => e.zh.clone(),
            Lang::En => e.en.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let zh = load(ZH);
        let en = load(EN);
        let mut missing: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        missing.extend(en.keys().filter(|k| !zh.contains_key(*k)));
        assert!(missing.is_empty(), "keys in one language only: {missing:?}");
    }

    #[test]
    fn every_key_the_code_asks_for_exists() {
        let zh = load(ZH);
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for (i, _) in text.match_indices(".t(\"") {
                let rest = &text[i + 4..];
                let key = &rest[..rest.find('"').unwrap()];
                if !zh.contains_key(key) {
                    missing.push(format!("{}: {key}", p.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys used but not defined: {missing:#?}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// A strings file of any content is read or refused with a message, never a panic.
        #[test]
        fn strings_files_never_panic(text in "\\PC{0,200}", bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let _ = parse_strings(&text);
            let _ = parse_strings(&String::from_utf8_lossy(&bytes));
            let mut zh = ZH.to_string();
            let mid = (0..=zh.len() / 2).rev().find(|i| zh.is_char_boundary(*i)).unwrap_or(0);
            zh.insert_str(mid, &text);
            let _ = parse_strings(&zh);
        }
    }

    #[test]
    fn a_strings_file_with_a_non_text_value_is_refused_by_key() {
        assert!(
            parse_strings("\"a\" = 1")
                .unwrap_err()
                .contains("a: must be a text")
        );
        assert!(parse_strings("not toml").is_err());
    }
}
