//! Messages in one language. A message is a key of `assets/i18n/{zh,en}.toml` (flat
//! `key = "text"` tables, embedded in the binary) with named arguments, rendered by `I18n`
//! with `{name}` substitution. Chinese is the default.
//!
//! Library errors carry a `Msg`, not text; a front end renders them with its own `I18n`. So
//! that `Display` (an `anyhow` chain, a `to_string()` in a log line) also shows one language,
//! it renders in the process language, which the binary sets once at start
//! (`set_process_lang`); tests never set it and render with `I18n::new(Lang::…)` instead.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

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

static PROCESS_LANG: AtomicU8 = AtomicU8::new(0);

/// The language `Display` renders messages in, for this process. Set once by the binary
/// (`--lang`), before any message is shown.
pub fn set_process_lang(lang: Lang) {
    PROCESS_LANG.store(lang as u8, Ordering::Relaxed);
}

pub fn process_lang() -> Lang {
    match PROCESS_LANG.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Zh,
    }
}

/// A value with a stable code whose name on screen is the text of `{PREFIX}.{code}`
/// (`disp.pass`, `kind.car`, `role.leader` …).
pub trait Named: Copy {
    const PREFIX: &'static str;
    fn name_code(self) -> &'static str;
}

/// A message: a key of the strings files and its named arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: Cow<'static, str>,
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Data, shown as it is: a plate, a code, a number, a file name.
    Text(String),
    /// Another message, rendered in the same language (a disposition, an action …).
    Msg(Msg),
    /// A field path (`persons[0].phone`), shown by its label (`第1人手机`).
    Field(String),
    /// Messages shown one after the other, separated by `list.sep` (`、` / `, `).
    List(Vec<Msg>),
}

/// The key of a message still written as a "中文 / English" pair (`FieldError::new`); its
/// arguments `zh` and `en` hold the two texts. Kept while the last sites are converted.
pub const PAIR: &str = "~pair";
/// The key of a text from outside the strings files, possibly a "中文 / English" pair written
/// before messages had keys (argument `text`): the side of the language is shown.
pub const LEGACY: &str = "~legacy";
/// The key of a list of messages (argument `items`), see `Msg::list`.
pub const LIST: &str = "~list";

impl Msg {
    pub fn new(key: impl Into<Cow<'static, str>>) -> Self {
        Self {
            key: key.into(),
            args: Vec::new(),
        }
    }

    /// The name of a coded value (`Msg::named(Disposition::Pass)` → 放行 / pass).
    pub fn named<T: Named>(v: T) -> Self {
        Self::new(format!("{}.{}", T::PREFIX, v.name_code()))
    }

    /// Adds a data argument, shown as it is.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Adds an argument that is itself a message.
    pub fn with_msg(mut self, name: &'static str, value: Msg) -> Self {
        self.args.push((name, Arg::Msg(value)));
        self
    }

    /// Adds a field path, shown by its label.
    pub fn with_field(mut self, name: &'static str, path: impl Into<String>) -> Self {
        self.args.push((name, Arg::Field(path.into())));
        self
    }

    /// A message still written in both languages (see `PAIR`).
    pub fn pair(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(PAIR).with("zh", zh.into()).with("en", en.into())
    }

    /// A text from outside the strings files (see `LEGACY`).
    pub fn legacy(text: impl Into<String>) -> Self {
        Self::new(LEGACY).with("text", text.into())
    }

    /// Messages one after the other: `集中隔离1人、发热门诊2人` / `central quarantine 1, …`.
    pub fn list(items: impl IntoIterator<Item = Msg>) -> Self {
        let mut m = Self::new(LIST);
        m.args
            .push(("items", Arg::List(items.into_iter().collect())));
        m
    }

    fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&I18n::process().render(self))
    }
}

/// Anything that can be said as a message: errors, field errors, messages.
pub trait Localized {
    fn msg(&self) -> Msg;
}

impl Localized for Msg {
    fn msg(&self) -> Msg {
        self.clone()
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

/// The label key of a field path's last part, where the screens have one.
pub fn field_label_key(path: &str) -> Option<&'static str> {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    match path.split(['.', '[']).next() {
        Some("posts") if leaf == "need" => return Some("field.need"),
        Some("posts") => return Some("field.post"),
        Some("shifts") => return Some("field.shifts"),
        _ => {}
    }
    Some(match leaf {
        "plate" => "field.plate",
        "kind" | "default_kind" => "field.kind",
        "temperature" => "field.temperature",
        "health_code" => "field.health",
        "itinerary_risk" => "field.itinerary",
        "identity_refused" => "field.refused",
        "sampled" => "field.sampled",
        "disinfected" => "field.disinfected",
        "cold_chain" => "field.cold_chain",
        "test" | "hours_ago" | "result" => "field.test",
        "name" => "field.name",
        "id_number" => "field.id_number",
        "phone" => "field.phone",
        "destination" if path.starts_with("vehicle") => "field.destination",
        "destination" => "field.person_destination",
        "origin" => "field.origin",
        "reason" => "field.reason",
        "dispositions" if path.starts_with("override") => "field.override",
        "dispositions" => "field.disposition",
        "occupants" | "persons" => "field.occupants",
        "tube_no" => "field.tube",
        "pin" => "field.pin",
        "code" => "field.code",
        "role" => "field.role",
        "province" => "field.province",
        "tz" => "field.tz",
        "day_start" => "field.day_start",
        "time" => "field.time",
        "record" => "field.record",
        "set" => "field.set",
        "post" | "posts" => "field.post",
        "shifts" => "field.shifts",
        "first_shift" => "field.first_shift",
        "week" => "field.week",
        "duty" => "field.duty",
        "vehicle" => "field.vehicle",
        "checkpoint" => "field.checkpoint",
        "command_post" => "field.command_post",
        "officer_code" => "setup.officer_code",
        "officer_name" => "setup.officer_name",
        "before" => "field.before",
        "by" | "signed_by" => "field.by",
        "day" => "field.day",
        "from" => "field.from",
        "to" => "field.to",
        "since" => "field.since",
        "id_suffix" => "filter.id_suffix",
        "pin_file" => "field.pin_file",
        "input" => "field.input",
        "roster" => "tab.roster",
        "text" => "field.text",
        "matters" => "handover.matters",
        "notes" => "handover.notes",
        "outbox" => "sync.outbox",
        "inbox" => "sync.inbox",
        "override" => "field.override",
        "id" => "field.id",
        _ => return None,
    })
}

/// The person a field path is about (`persons[1].phone` → 2), counted from 1.
fn person_of(path: &str) -> Option<usize> {
    let rest = path.strip_prefix("persons[")?;
    rest[..rest.find(']')?].parse::<usize>().ok().map(|i| i + 1)
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        let map = match lang {
            Lang::Zh => load(ZH),
            Lang::En => load(EN),
        };
        Self { lang, map }
    }

    /// The strings of one language, loaded once for the process.
    pub fn shared(lang: Lang) -> &'static I18n {
        static ZH_I: OnceLock<I18n> = OnceLock::new();
        static EN_I: OnceLock<I18n> = OnceLock::new();
        match lang {
            Lang::Zh => ZH_I.get_or_init(|| I18n::new(Lang::Zh)),
            Lang::En => EN_I.get_or_init(|| I18n::new(Lang::En)),
        }
    }

    /// The strings of the process language (see `set_process_lang`).
    pub fn process() -> &'static I18n {
        Self::shared(process_lang())
    }

    /// The text for `key`; a missing key shows as the key so it is noticed, never a panic.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// Every key of the strings files.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// Whether the strings files define `key`.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The name of a coded value: a disposition, a vehicle kind, a health code, a role.
    pub fn name<T: Named>(&self, v: T) -> &str {
        let code = v.name_code();
        self.map
            .get(&format!("{}.{code}", T::PREFIX))
            .map_or(code, String::as_str)
    }

    pub fn kind(&self, k: impl Named) -> &str {
        self.name(k)
    }

    pub fn disposition(&self, d: impl Named) -> &str {
        self.name(d)
    }

    pub fn health(&self, h: impl Named) -> &str {
        self.name(h)
    }

    pub fn yes_no(&self, b: bool) -> &str {
        self.t(if b { "yes" } else { "no" })
    }

    /// A field path by its label: `persons[1].phone` → `手机（第2人）` / `Phone (person 2)`;
    /// a path without a label is shown as it is.
    pub fn field_label(&self, path: &str) -> String {
        let label = match field_label_key(path) {
            Some(k) => self.t(k).to_string(),
            None => path.to_string(),
        };
        match person_of(path) {
            Some(n) if path.contains('.') => self.render(
                &Msg::new("field.of_person")
                    .with("field", label)
                    .with("n", n),
            ),
            Some(n) => self.render(&Msg::new("field.person").with("n", n)),
            None => label,
        }
    }

    /// The text of a message, its `{name}` places filled with its arguments.
    pub fn render(&self, m: &Msg) -> String {
        match m.key.as_ref() {
            PAIR => {
                let side = if self.lang == Lang::En { "en" } else { "zh" };
                return self.arg_text(m.arg(side));
            }
            LEGACY => return legacy_side(&self.arg_text(m.arg("text")), self.lang),
            LIST => return self.arg_text(m.arg("items")),
            _ => {}
        }
        let template = self.t(&m.key);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if m.arg(&after[..close]).is_some() => {
                    out.push_str(&self.arg_text(m.arg(&after[..close])));
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn arg_text(&self, a: Option<&Arg>) -> String {
        match a {
            Some(Arg::Text(s)) => s.clone(),
            Some(Arg::Msg(m)) => self.render(m),
            Some(Arg::Field(p)) => self.field_label(p),
            Some(Arg::List(items)) => items
                .iter()
                .map(|m| self.render(m))
                .collect::<Vec<_>>()
                .join(self.t("list.sep")),
            None => String::new(),
        }
    }

    /// An error (or any message) in this language.
    pub fn error(&self, e: &impl Localized) -> String {
        self.render(&e.msg())
    }
}

/// The side of a "中文 / English" text in `lang`; a text without " / " is shown whole.
fn legacy_side(text: &str, lang: Lang) -> String {
    match text.split_once(" / ") {
        Some((zh, en)) if zh.chars().any(is_han) => match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        },
        _ => text.to_string(),
    }
}

/// Latin words a Chinese text may hold: codes, units and key names that are written the same
/// in Chinese (`PIN`, `ID`, `JSON` …). Besides these, a word with a digit (`S01`, `UTF-8`,
/// `F2`, `2026-W48`), a single capital letter (`X`, `I`), a `kadian …` command in backquotes
/// and a `--option` count as codes; so does the program's name (`kadian: …` on an error).
pub const CODE_WORDS: &[&str] = &[
    "kadian", "PIN", "ID", "JSON", "CSV", "XLSX", "TOML", "km/h", "°C", "GB", "GBK", "MOD",
    "HH:MM", "IANA", "A-Z", "Ctrl", "Shift", "Esc", "Enter", "Tab", "Space", "PgUp", "PgDn", "Up",
    "Down", "Left", "Right",
    // The demo checkpoint's code (a code like T01, which the digits already pass).
    "DEMO",
];

/// The words of `text` that do not belong in `lang`: Han characters in English; in Chinese,
/// Latin words other than codes and units (see `CODE_WORDS`). Empty means one language.
/// Data (names, places, plates) is the caller's to leave out.
pub fn foreign_words(text: &str, lang: Lang) -> Vec<String> {
    match lang {
        Lang::En => text
            .split(|c: char| !is_han(c))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        Lang::Zh => {
            // Commands in backquotes are typed as they are.
            let mut plain = String::new();
            for (i, part) in text.split('`').enumerate() {
                if i % 2 == 0 {
                    plain.push_str(part);
                    plain.push(' ');
                }
            }
            plain
                .split(|c: char| !(c.is_ascii_alphanumeric() || "_-/:.+°".contains(c)))
                .filter(|w| !w.starts_with("--"))
                .map(|w| w.trim_matches(|c: char| ".:/+-".contains(c)))
                .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
                .filter(|w| {
                    // `Ctrl+R`, `PgDn/PgUp`: codes joined; `km/h`: a code whole.
                    !(is_code(w) || w.split(['/', '+']).all(is_code))
                })
                .map(str::to_string)
                .collect()
        }
    }
}

/// A code or unit a Chinese text may hold as it is (see `CODE_WORDS`).
fn is_code(w: &str) -> bool {
    CODE_WORDS.contains(&w)
        || w.chars().any(|c| c.is_ascii_digit())
        || (w.len() == 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        || !w.chars().any(|c| c.is_ascii_alphabetic())
}

/// A Han (Chinese) character.
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
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
            // `.t("key")`, `Msg::new("key")`, and any literal of a rule or error key.
            for (pat, skip) in [
                (".t(\"", 4),
                ("Msg::new(\"", 10),
                ("\"rule.", 1),
                ("\"error.", 1),
            ] {
                for (i, _) in text.match_indices(pat) {
                    let rest = &text[i + skip..];
                    let key = &rest[..rest.find('"').unwrap()];
                    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                    let in_comment = text[line_start..i].trim_start().starts_with("//");
                    let key_like = !key.ends_with('.')
                        && key.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c)
                        });
                    if key_like && !in_comment && !zh.contains_key(key) {
                        missing.push(format!("{}: {key}", p.display()));
                    }
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
    fn foreign_words_are_han_in_english_and_words_in_chinese() {
        assert_eq!(foreign_words("wrong PIN 错", Lang::En), ["错"]);
        assert!(
            foreign_words(
                "PIN错误，F2 保存，Ctrl+R 查看，PgDn/PgUp，36.5 °C，`kadian init`",
                Lang::Zh
            )
            .is_empty()
        );
        assert!(foreign_words("用 --data-dir 另选，S01，UTF-8，2026-W48", Lang::Zh).is_empty());
        assert_eq!(foreign_words("已保存 saved", Lang::Zh), ["saved"]);
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
