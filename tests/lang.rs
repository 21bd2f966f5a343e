//! One language per message: every library error and every rule, field label and report
//! wording renders with no Han character in English and no English word in Chinese (codes
//! and units aside, see `i18n::CODE_WORDS`). Data in the arguments is ASCII here, so the
//! check sees only the wording.

mod common;

use kadian::error::{Error, FieldError};
use kadian::i18n::{I18n, Lang, Msg, foreign_words};

const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

fn check(what: &str, text: &str, lang: Lang) {
    let bad = foreign_words(text, lang);
    assert!(bad.is_empty(), "{what} ({lang:?}): {bad:?} in {text:?}");
}

/// Every library error kind, with ASCII data.
fn every_error() -> Vec<Error> {
    vec![
        Error::Field(FieldError::rule("vehicle.plate", "rule.plate.empty")),
        Error::Locked("/d1".into()),
        Error::NotInitialised("/d1".into()),
        Error::NotWritable("/d1".into(), "x1".into()),
        Error::AlreadyInitialised("/d1".into(), "T01".into()),
        Error::UnknownOfficer("S09".into()),
        Error::DuplicateStaff("S01".into()),
        Error::Inactive("S01".into()),
        Error::NoPin("S01".into()),
        Error::PinNeeded("S01".into()),
        Error::LastAdmin("A01".into()),
        Error::WrongPin { left: 2 },
        Error::PinLocked {
            until: "09:20".into(),
        },
        Error::Forbidden {
            who: "S01".into(),
            role: "officer".into(),
            what: kadian::error::action("amend"),
        },
        Error::Corrupt {
            what: "r1".into(),
            detail: "x1".into(),
        },
        Error::Sled(sled::Error::Unsupported("x1".into())),
        Error::Io(std::io::Error::other("x1")),
        Error::DiskFull("x1".into()),
        Error::Policy(
            Msg::new("policy.field")
                .with("field", "x1")
                .with_msg("rule", Msg::new("rule.policy.retention")),
        ),
        Error::Bundle {
            file: "b1.kdb".into(),
            detail: Msg::new("error.bundle.version")
                .with("version", 2)
                .with("ours", 1),
        },
        Error::Key {
            key: "k1.key".into(),
            detail: Msg::new("error.key.not_key_file")
                .with_msg("why", Msg::new("error.key.missing").with("field", "public")),
        },
        Error::Untrusted {
            file: "b1.kdb".into(),
            laptop: "L1".into(),
            checkpoint: "T01".into(),
            fingerprint: "AB12".into(),
        },
        Error::CommandPost(Msg::new("error.post.read_only").with("code", "T01")),
    ]
}

/// The data of an error that comes from outside kadian (an OS or database message).
fn outside_text(e: &Error) -> Option<String> {
    match e {
        Error::Sled(s) => Some(s.to_string()),
        _ => None,
    }
}

#[test]
fn every_error_kind_renders_in_one_language() {
    for lang in LANGS {
        let i18n = I18n::new(lang);
        for e in every_error() {
            let mut text = i18n.error(&e);
            assert!(!text.contains('{'), "{e:?}: an argument is missing: {text}");
            if let Some(data) = outside_text(&e) {
                text = text.replace(&data, "");
            }
            check(&format!("{e:?}"), &text, lang);
        }
    }
}

/// The keys of messages (errors, rules, field labels, report wording), each rendered with
/// an ASCII value for every `{name}` place.
#[test]
fn every_message_key_renders_in_one_language() {
    let prefixes = [
        "error.",
        "rule.",
        "field.",
        "policy.",
        "input.",
        "report.default.",
        "disp.",
        "kind.",
        "health.",
        "role.",
        "roster.v.",
        "act.",
        "cli.",
        "notice.",
    ];
    for lang in LANGS {
        let i18n = I18n::new(lang);
        let keys: Vec<String> = i18n
            .keys()
            .filter(|k| prefixes.iter().any(|p| k.starts_with(p)))
            .map(str::to_string)
            .collect();
        assert!(keys.len() > 80, "{}", keys.len());
        for key in keys {
            let template = i18n.t(&key).to_string();
            let mut m = Msg::new(key.clone());
            for name in template
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}'))
            {
                m = m.with(Box::leak(name.0.to_string().into_boxed_str()), "7");
            }
            let text = i18n.render(&m);
            assert!(!text.contains('{'), "{key}: {text}");
            check(&key, &text, lang);
        }
    }
}

/// Field errors as the parsers make them, their fields shown by label.
#[test]
fn field_errors_of_the_parsers_render_in_one_language() {
    use kadian::domain::{HealthCode, IdNumber, Plate, Role, Temperature, TestProof};
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let errors: Vec<FieldError> = vec![
        Plate::parse("").unwrap_err(),
        Plate::parse("AJ12345").unwrap_err(),
        Plate::parse("X").unwrap_err(),
        IdNumber::parse("123", today).unwrap_err(),
        IdNumber::parse("110105194912310020", today).unwrap_err(),
        Temperature::parse("50").unwrap_err(),
        HealthCode::parse("blue").unwrap_err(),
        TestProof::parse("maybe").unwrap_err(),
        TestProof::negative(9999).unwrap_err(),
        Role::parse("boss").unwrap_err(),
        kadian::auth::validate_pin("12").unwrap_err(),
        kadian::amend::parse_set("plate").unwrap_err(),
        kadian::domain::Phone::parse("123")
            .unwrap_err()
            .within("persons[1]"),
    ];
    for lang in LANGS {
        let i18n = I18n::new(lang);
        for e in &errors {
            let text = i18n.error(e);
            check(&format!("{e:?}"), &text, lang);
            // The field is named by its label, not by its path.
            assert!(!text.starts_with(&e.field), "{text}");
        }
    }
    assert_eq!(
        I18n::new(Lang::En).error(&errors[12]),
        "Phone (person 2): mobile number must be 11 digits starting 13-19"
    );
    assert_eq!(
        I18n::new(Lang::Zh).error(&errors[12]),
        "第2人手机：手机号须为11位数字，以13-19开头"
    );
}

#[test]
fn a_record_line_refused_by_policy_names_its_fields_in_one_language() {
    let policy = kadian::policy::Policy::default_policy();
    let now = chrono::Utc::now();
    let line = r#"{"vehicle":null,"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative"}}]}"#;
    let errors = kadian::domain::input::RecordJson::parse_line(line)
        .and_then(|d| policy.assess(&d, now, now.date_naive()))
        .unwrap_err();
    for lang in LANGS {
        for e in &errors {
            check("assess", &I18n::new(lang).error(e), lang);
        }
    }
}

/// `kadian report` on a demo day: the report text in one language, with `--lang en` and zh.
#[test]
fn report_text_of_a_demo_day_is_in_one_language() {
    // The demo fills an empty data dir (never a real checkpoint's).
    let dir = tempfile::tempdir().unwrap();
    common::kadian(dir.path())
        .args(["demo", "--per-day", "300"])
        .assert()
        .success();
    for (flag, lang) in [("en", Lang::En), ("zh", Lang::Zh)] {
        let out = common::kadian(dir.path())
            .args(["--lang", flag, "report", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["zero_report"], false, "a demo day has abnormal persons");
        // The checkpoint's name is data.
        let name = v["checkpoint_name"].as_str().unwrap();
        let text = v["text"].as_str().unwrap().replace(name, "");
        check("report text", &text, lang);
        // The whole printout: the tally's lines, then the text.
        let out = common::kadian(dir.path())
            .args(["--lang", flag, "report"])
            .output()
            .unwrap();
        let printed = String::from_utf8(out.stdout).unwrap().replace(name, "");
        check("report printout", &printed, lang);
    }
}

/// Every action a permission check names (`require(…, Permission::Lead, "amend")`) has its
/// words (`act.amend`), so `Forbidden` says it in the user's language.
#[test]
fn every_action_checked_has_its_words() {
    let i18n = I18n::new(Lang::Zh);
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
        for (i, _) in text.match_indices("Permission::") {
            let call = &text[i..];
            let call = &call[..call.find(')').unwrap_or(call.len())];
            let Some(q) = call.find('"') else { continue };
            let code = &call[q + 1..];
            let code = &code[..code.find('"').unwrap_or(0)];
            if !i18n.has(&format!("act.{code}")) {
                missing.push(format!("{}: {code}", p.display()));
            }
        }
    }
    assert!(missing.is_empty(), "actions without words: {missing:#?}");
}

/// Every field a rule names has a label, so no field shows as its path (`id_suffix`).
#[test]
fn every_field_named_by_a_rule_has_a_label() {
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
        for pat in [
            "FieldError::rule(",
            "FieldError::new(",
            "FieldError::of(",
            "validate_text(",
            "validate_code(",
            "free_text(",
        ] {
            for (i, _) in text.match_indices(pat) {
                let rest = text[i + pat.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let field = &rest[..rest.find('"').unwrap()];
                if kadian::i18n::field_label_key(field).is_none() {
                    missing.push(format!("{}: {field}", p.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "fields without a label: {missing:#?}");
}
