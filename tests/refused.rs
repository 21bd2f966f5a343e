//! 拒检 (the person refused the check): nothing is measured, so nothing measured is stored
//! or shown, the disposition is the policy's refusal rule, and the form never says 全部正常.
//! Through `kadian add` and through the 登记 form.

mod common;

use common::desk::desk;
use common::{kadian, ready};
use crossterm::event::KeyCode;
use serde_json::Value;

const REFUSED: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"identity_refused":true}]}"#;

fn json_lines(out: &std::process::Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn add_a_refused_person_stores_no_measurement_and_turns_them_back() {
    let dir = ready();
    let out = kadian(dir.path())
        .args(["add", "--officer", "S01", "--format", "json", "-"])
        .write_stdin(format!("{REFUSED}\n"))
        .output()
        .unwrap();
    let acks = json_lines(&out);
    assert_eq!(acks[0]["dispositions"], serde_json::json!(["turned_back"]));
    let id = acks[0]["id"].as_str().unwrap().to_string();

    let rows = json_lines(
        &kadian(dir.path())
            .args(["list", "--format", "json"])
            .output()
            .unwrap(),
    );
    let p = &rows[0]["persons"][0];
    assert_eq!(p["identity_refused"], true);
    for field in ["temperature", "health_code", "itinerary_risk", "test"] {
        assert!(p[field].is_null(), "{field} not measured: {p}");
    }
    assert_eq!(p["dispositions"], serde_json::json!(["turned_back"]));
    let shown = json_lines(
        &kadian(dir.path())
            .args(["show", &id, "--format", "json"])
            .output()
            .unwrap(),
    );
    let p = &shown[0]["persons"][0];
    assert!(p["temperature"].is_null() && p["test"].is_null(), "{p}");

    let out = kadian(dir.path()).args(["show", &id]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("体温 未测") && !text.contains("36.5"),
        "{text}"
    );

    // A measurement given for a refused person is a contradiction, refused with the field.
    let contradiction = r#"{"persons":[{"identity_refused":true,"temperature":36.5}]}"#;
    let out = kadian(dir.path())
        .args(["add", "--officer", "S01", "-"])
        .write_stdin(format!("{contradiction}\n"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("拒检人员未测量"), "{err}");
    // Without 拒检 the measurements are still required.
    let out = kadian(dir.path())
        .args(["add", "--officer", "S01", "-"])
        .write_stdin("{\"persons\":[{}]}\n")
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_form_for_a_refused_person_says_not_measured_never_all_normal() {
    let mut d = desk();
    d.typed("J12345");
    let form = d.app.form.as_mut().unwrap();
    form.focus = kadian::app::form::FieldId::Refused;
    d.key(KeyCode::Right); // 拒检 是
    let screen = d.screen();
    assert!(!screen.contains("全部正常"), "{screen}");
    assert!(screen.contains("体温 未测"), "{screen}");
    assert!(screen.contains("拒检：未测量"), "{screen}");
    assert!(screen.contains("劝返"), "{screen}");
    d.key(KeyCode::F(2));
    assert!(
        d.screen().contains("已保存 湘J12345 劝返"),
        "{}",
        d.screen()
    );
    let day = d.store.day_of(d.clock.0);
    let r = &d.store.day_page(day, 0, 1).unwrap()[0];
    let c = r.persons[0].checks;
    assert!(c.identity_refused && !c.measured());
    assert_eq!(c, kadian::domain::Checks::refused());
    assert!(r.persons[0].registration.is_none());
}
