//! TUI tests of the 记录 tab: the table, the filter bar and the detail view at 80×24, masked
//! details and the audited reveal, amend and void with a reason.

mod common;

use common::desk::{Desk, add_staff, checkpoint_store};
use crossterm::event::KeyCode;
use kadian::domain::Role;
use kadian::policy::Policy;

const YELLOW: &str = r#"{"vehicle":{"plate":"湘J54321","kind":"客车"},"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},"name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区"},{"temperature":36.6,"health_code":"green","test":{"result":"negative","hours_ago":10}}]}"#;
const CAR: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;

fn desk_as(role: Role) -> Desk {
    let (store, dir) = checkpoint_store();
    add_staff(&store, "L01", "李队", role);
    let policy = Policy::default_policy();
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 24, 1, 0, 0).unwrap();
    for line in [CAR, YELLOW, CAR] {
        let d = kadian::domain::input::RecordJson::parse_line(line).unwrap();
        let n = policy.assess(&d, now, now.date_naive()).unwrap();
        store.add_record(n, "L01", "default-2026.1", now).unwrap();
    }
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    d.key(KeyCode::F(9)); // 登记 → 记录
    d
}

#[test]
fn table_filter_bar_and_detail() {
    let mut d = desk_as(Role::Leader);
    let screen = d.screen();
    insta::assert_snapshot!("records_table", screen);
    assert!(screen.contains("共 3  1–3"));
    d.key(KeyCode::F(3));
    d.typed("J543");
    insta::assert_snapshot!("records_filter_bar", d.screen());
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(screen.contains("J543  共 1  1–1"), "{screen}");
    d.key(KeyCode::Enter);
    // The id is random (a ULID): keep it out of the snapshot.
    let id = d.app.records.detail.as_ref().unwrap().record.id.clone();
    let screen = d.screen().replace(&id, "HN-01-<ulid>");
    insta::assert_snapshot!("records_detail", screen);
    assert!(
        screen.contains("1101**********002X")
            && screen.contains("139****1111")
            && screen.contains("王**")
    );
    assert!(!screen.contains("11010519491231002X"), "masked by default");
}

#[test]
fn a_leader_reveals_with_an_audit_entry_an_officer_cannot() {
    let mut d = desk_as(Role::Officer);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.ctrl(KeyCode::Char('r'));
    let screen = d.screen();
    assert!(screen.contains("无权"), "{screen}");
    assert!(!screen.contains("11010519491231002X"));
    assert!(d.store.audit(None).unwrap().is_empty());

    let mut d = desk_as(Role::Leader);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.ctrl(KeyCode::Char('r'));
    assert!(d.screen().contains("11010519491231002X"));
    let audit = d.store.audit(None).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].by.as_str(), audit[0].what.as_str()),
        ("L01", "reveal")
    );
}

#[test]
fn amend_and_void_from_the_detail_view() {
    let mut d = desk_as(Role::Leader);
    d.key(KeyCode::Enter); // newest: the last CAR
    let id = d.app.records.detail.as_ref().unwrap().record.id.clone();
    d.key(KeyCode::F(5));
    d.key(KeyCode::Tab);
    for _ in 0..8 {
        d.key(KeyCode::Backspace);
    }
    d.typed("湘J11111");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("理由"), "a reason is required");
    d.key(KeyCode::Tab);
    d.typed("车牌录错");
    d.key(KeyCode::F(2));
    let r = d.store.record(&id).unwrap().unwrap();
    assert_eq!(r.vehicle.unwrap().plate.as_str(), "湘J11111");
    assert_eq!(
        d.store
            .original(&id)
            .unwrap()
            .unwrap()
            .vehicle
            .unwrap()
            .plate
            .as_str(),
        "湘J12345"
    );
    assert!(d.screen().contains("更正记录"));
    // Void: the last field choice.
    d.key(KeyCode::F(6));
    d.typed("重复登记"); // focus: the field; letters go nowhere
    d.key(KeyCode::Tab);
    d.typed("重复登记");
    d.key(KeyCode::F(2));
    assert!(d.store.record(&id).unwrap().unwrap().voided);
    d.key(KeyCode::Esc);
    assert!(d.screen().contains("作废"));
    assert_eq!(
        d.store
            .day_counts(d.store.day_of(d.clock.0))
            .unwrap()
            .records,
        2
    );
}

#[test]
fn sign_off_then_amendments_are_marked_and_admins_read_the_audit() {
    let mut d = desk_as(Role::Admin);
    // 日报 → F3 sign-off with the PIN.
    d.ctrl(KeyCode::Right);
    d.ctrl(KeyCode::Right);
    d.key(KeyCode::F(3));
    d.typed("2468");
    d.key(KeyCode::F(2));
    let day = d.store.day_of(d.clock.0);
    assert_eq!(d.store.signed_off(day).unwrap().unwrap().by, "L01");
    assert!(d.screen().contains("已签字确认 L01"));
    // The sign-off offers a bundle for the command post; Esc declines.
    assert!(d.screen().contains("写出同步包报指挥部"), "{}", d.screen());
    d.key(KeyCode::Esc);
    // Back on 记录: amend, which is marked as after sign-off; reveal; read the audit.
    d.ctrl(KeyCode::Left);
    d.ctrl(KeyCode::Left);
    d.key(KeyCode::Enter);
    d.key(KeyCode::F(5));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.typed("补录");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("签字确认后更正"));
    d.ctrl(KeyCode::Char('r'));
    d.key(KeyCode::Esc);
    d.ctrl(KeyCode::Char('a'));
    let screen = d.screen();
    assert!(
        screen.contains("审计日志") && screen.contains("L01 查看完整个人信息"),
        "{screen}"
    );
}

#[test]
fn the_filter_bar_refuses_what_kadian_list_refuses_naming_the_field() {
    // One set of rules (`ops::filter`): `kadian list --phone abc` is refused, so is the bar.
    let mut d = desk_as(Role::Officer);
    d.key(KeyCode::F(3));
    for _ in 0..3 {
        d.key(KeyCode::Tab); // plate → name → ID suffix → phone
    }
    d.typed("139a");
    d.key(KeyCode::Enter);
    let status = d.app.status.as_ref().expect("a status line");
    assert!(!status.ok);
    assert!(status.text.starts_with("手机: "), "{}", status.text);
    assert!(
        status.text.contains("手机号"),
        "the rule, in Chinese: {}",
        status.text
    );
    assert!(
        d.app.overlay.is_some(),
        "the bar stays open to correct the field"
    );
}

/// Steps the amend dialog's field choice `n` times to the right.
fn choose_field(d: &mut Desk, n: usize) {
    for _ in 0..n {
        d.key(KeyCode::Right);
    }
}

#[test]
fn the_amend_dialog_names_fields_by_label_and_asks_for_the_details_a_change_requires() {
    let mut d = desk_as(Role::Leader);
    d.key(KeyCode::Enter); // newest: the last CAR, an all-normal person
    let id = d.app.records.detail.as_ref().unwrap().record.id.clone();
    d.key(KeyCode::F(5));
    let screen = d.screen();
    assert!(screen.contains("‹车牌›"), "{screen}");
    // plate, kind, origin, destination, disinfected, cold_chain, then person 1's fields.
    choose_field(&mut d, 1);
    assert!(d.screen().contains("‹小客车›"), "a kind by its name");
    choose_field(&mut d, 6);
    let screen = d.screen();
    assert!(
        screen.contains("‹第1人健康码›") && screen.contains("‹绿码›"),
        "{screen}"
    );
    assert!(!screen.contains("persons[") && !screen.contains("green"));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right); // 黄码: registration becomes required
    let screen = d.screen().replace(&id, "HN-01-<ulid>");
    insta::assert_snapshot!("amend_asks_details", screen);
    assert!(screen.contains("‹黄码›") && screen.contains("第1人身份证"));
    for text in [
        "王小明",
        "11010519491231002X",
        "13900001111",
        "常德市鼎城区",
        "复核为黄码",
    ] {
        d.key(KeyCode::Tab);
        d.typed(text);
    }
    d.key(KeyCode::F(2));
    let r = d.store.record(&id).unwrap().unwrap();
    assert_eq!(
        r.persons[0].checks.health_code,
        kadian::domain::HealthCode::Yellow
    );
    let reg = r.persons[0]
        .registration
        .as_ref()
        .expect("registered in the same dialog");
    assert_eq!(reg.phone.as_str(), "13900001111");

    // Back to green: the dialog says the details will go before saving.
    d.key(KeyCode::F(5));
    choose_field(&mut d, 7);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Left);
    let screen = d.screen().replace(&id, "HN-01-<ulid>");
    insta::assert_snapshot!("amend_warns_details_dropped", screen);
    assert!(screen.contains("第1人将无需登记"), "{screen}");
}

#[test]
fn the_amend_dialog_masks_personal_details_unless_revealed() {
    let mut d = desk_as(Role::Leader);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter); // the YELLOW record, person 1 registered
    d.key(KeyCode::F(5));
    choose_field(&mut d, 6 + 8); // person 1's ID number
    let screen = d.screen();
    assert!(screen.contains("‹第1人身份证›"), "{screen}");
    assert!(screen.contains("1101**********002X"), "{screen}");
    assert!(!screen.contains("11010519491231002X"), "masked: {screen}");
    choose_field(&mut d, 1); // phone
    let screen = d.screen();
    assert!(screen.contains("139****1111") && !screen.contains("13900001111"));
    assert!(d.app.overlay.is_some());
    d.key(KeyCode::Esc);
    // Revealed (audited) in the detail: the dialog starts from the value in clear.
    d.ctrl(KeyCode::Char('r'));
    d.key(KeyCode::F(5));
    choose_field(&mut d, 6 + 8);
    assert!(d.screen().contains("11010519491231002X"));
    assert_eq!(d.store.audit(None).unwrap().len(), 1);
}
