//! TUI snapshot tests of the 登记 screen and the set-up at 80×24 (see common/desk.rs).

mod common;

use common::desk::{Desk, checkpoint_store, desk};
use crossterm::event::{Event, KeyCode};
use kadian::i18n::{I18n, Lang};
use kadian::store::Store;

#[test]
fn log_desk_empty() {
    let mut d = desk();
    insta::assert_snapshot!(d.screen());
    // The real cursor sits right after the pre-filled province, where an IME expects it.
    assert_eq!(d.cursor(), (1 + 5 + 2, 2));
}

#[test]
fn log_desk_fast_path_plate_and_f2() {
    let mut d = desk();
    d.typed("j12345");
    d.key(KeyCode::F(2));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(screen.contains("已保存 湘J12345 放行"));
    let day = d.store.day_of(d.clock.0);
    assert_eq!(d.store.day_counts(day).unwrap().vehicles, 1);
    // Ready for the next car: the plate is back to the province, cursor in it.
    assert_eq!(d.app.form.as_ref().unwrap().plate.text(), "湘");
}

#[test]
fn log_desk_abnormal_person_with_errors() {
    let mut d = desk();
    d.typed("J12345");
    // Plate → kind → persons → disinfected → from → to → temperature
    for _ in 0..6 {
        d.key(KeyCode::Tab);
    }
    for _ in 0..4 {
        d.key(KeyCode::Backspace);
    }
    d.typed("38.2");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right); // health code: yellow
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab); // → name
    d.typed("王小明");
    d.key(KeyCode::Tab);
    d.typed("110105194912310021"); // wrong check digit
    d.key(KeyCode::Tab);
    d.key(KeyCode::F(2));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(screen.contains("发热门诊+居家监测"));
    assert!(screen.contains("校验码错误"));
    let day = d.store.day_counts(d.store.day_of(d.clock.0)).unwrap();
    assert_eq!(day.records, 0, "nothing stored while a field is invalid");
}

#[test]
fn log_desk_abnormal_person_saved_after_fixing() {
    let mut d = desk();
    d.typed("J12345");
    let form = d.app.form.as_mut().unwrap();
    form.focus = kadian::app::form::FieldId::Health;
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.typed("王小明");
    d.key(KeyCode::Tab);
    d.event(Event::Paste("11010519491231002x".into()));
    d.key(KeyCode::Tab);
    d.typed("13900001111");
    d.key(KeyCode::Tab);
    d.typed("常德市鼎城区");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("已保存 湘J12345 居家监测"));
    let day = d.store.day_of(d.clock.0);
    let r = &d.store.day_page(day, 0, 1).unwrap()[0];
    let reg = r.persons[0].registration.as_ref().unwrap();
    assert_eq!(reg.id_number.as_str(), "11010519491231002X");
    assert_eq!(r.officer, "S01");
}

#[test]
fn first_run_set_up_creates_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut d = Desk::on(store, dir);
    d.key(KeyCode::F(2));
    assert!(
        d.screen().contains("卡点："),
        "empty code refused with the field named"
    );
    d.typed("HN-01");
    d.key(KeyCode::Tab);
    d.typed("常德北收费站");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.typed("S01");
    d.key(KeyCode::Tab);
    d.typed("张三");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("PIN"), "a missing PIN is refused");
    d.key(KeyCode::Tab);
    d.typed("2468");
    d.key(KeyCode::F(2));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert_eq!(d.store.checkpoint().unwrap().code, "HN-01");
    assert!(screen.contains("值班 S01 张三"));
}

#[test]
fn english_is_complete_on_the_log_desk() {
    let mut d = desk();
    d.app.i18n = I18n::new(Lang::En);
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(!screen.contains("field."), "no missing keys on screen");
}

#[test]
fn help_overlay_lists_the_keymap() {
    let mut d = desk();
    d.key(KeyCode::F(1));
    let screen = d.screen();
    assert!(screen.contains("F2") && screen.contains("保存"));
    d.key(KeyCode::Esc);
    assert!(!d.app.help);
}

#[test]
fn a_checkpoint_without_staff_asks_only_for_the_officer() {
    let (store, dir) = checkpoint_store();
    let mut d = Desk::on(store, dir);
    assert_eq!(d.app.setup.focus, 3);
    d.typed("S02");
    d.key(KeyCode::Tab);
    d.typed("李四");
    d.key(KeyCode::Tab);
    d.typed("1357");
    d.key(KeyCode::Tab);
    assert_eq!(
        d.app.setup.focus, 3,
        "the checkpoint fields are not editable any more"
    );
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("值班 S02 李四"));
    assert_eq!(d.store.officers().unwrap().len(), 1);
}

#[test]
fn tiny_and_huge_terminals_do_not_panic() {
    let mut d = desk();
    for (w, h) in [
        (1, 1),
        (3, 2),
        (20, 5),
        (60, 18),
        (61, 19),
        (79, 23),
        (200, 60),
    ] {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
        for _ in 0..4 {
            term.draw(|f| kadian::ui::draw(f, &d.app)).unwrap();
            d.key(KeyCode::F(9));
        }
        d.key(KeyCode::F(1));
        term.draw(|f| kadian::ui::draw(f, &d.app)).unwrap();
        d.key(KeyCode::Esc);
        // An overlay (the 记录 filter bar) on the same size.
        d.key(KeyCode::F(9));
        d.key(KeyCode::F(3));
        term.draw(|f| kadian::ui::draw(f, &d.app)).unwrap();
        d.key(KeyCode::Esc);
        d.key(KeyCode::F(9));
        d.key(KeyCode::F(9));
        d.key(KeyCode::F(9));
    }
}

#[test]
fn a_window_too_small_says_so_and_the_form_survives_the_resize() {
    let mut d = desk();
    d.typed("J12345");
    let mut small = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 10)).unwrap();
    small.draw(|f| kadian::ui::draw(f, &d.app)).unwrap();
    let text = small.backend().to_string();
    assert!(
        text.contains("窗口太小") && text.contains("60×18") && text.contains("40×10"),
        "{text}"
    );
    // Back to 80×24: the plate typed before is still there.
    let screen = d.screen();
    assert!(screen.contains("湘J12345"), "{screen}");
}

/// The screen shown while a large store opens: drawn at once, then the store is handed over;
/// a store another kadian holds comes back as the one-line error, not a hang.
#[test]
fn the_store_opens_behind_an_opening_screen() {
    let dir = tempfile::tempdir().unwrap();
    let i18n = kadian::i18n::I18n::new(kadian::i18n::Lang::Zh);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 8)).unwrap();
    term.draw(|f| {
        kadian::ui::draw_opening(
            f,
            &i18n,
            std::path::Path::new("/data/kadian"),
            std::time::Duration::from_millis(2300),
        )
    })
    .unwrap();
    insta::assert_snapshot!(format!("{}", term.backend()));

    let (store, first) = kadian::tui::open_behind_splash(&mut term, dir.path(), &i18n).unwrap();
    assert!(first <= std::time::Duration::from_secs(60));
    assert!(store.checkpoint().is_none(), "a new, empty data dir");
    let again = kadian::tui::open_behind_splash(&mut term, dir.path(), &i18n);
    let err = again.err().expect("the dir is held by the first store");
    assert!(matches!(err, kadian::error::Error::Locked(_)), "{err:?}");
    drop(store);
}
