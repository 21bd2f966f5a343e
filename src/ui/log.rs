//! The 登记 (log desk) screen at 80×24:
//!
//! ```text
//!  卡点 T01 演示卡点 │ [登记] 记录 排班 日报 │ 值班 S01 张三            11-24 09:15
//! ┌车辆──────────────────────────────────────────────────────────────────────────┐
//! │车牌 湘J12345   车型 ‹小客车›  人数 1   消杀 ‹否›                              │
//! │来自 长沙            去往 常德市武陵区                                         │
//! │(货车) 清单‹否› 承诺‹否› 报备‹否› 冷链货物‹否›                                  │
//! │── 人员 1/1 ──────────────────────────────────────────────────────────────────│
//! │体温 36.5  健康码 ‹绿码›  行程风险 ‹否›  核酸 24  身份拒检 ‹否›                │
//! │采样 ‹否›                                                                     │
//! │全部正常：不登记个人信息                 (or 姓名 … 身份证 … 手机 …)           │
//! │                                          (or 目的地 …)                       │
//! │改判 ‹不改判›                                                                 │
//! │处置 ▶ 放行                                                                   │
//! │✓ 已保存 湘J12340 放行 09:14:58                                               │
//! └──────────────────────────────────────────────────────────────────────────────┘
//!  今日  车辆 12  人员 30  异常 2
//!  09:14 湘J12340 小客车 1人 放行
//!  … (8 rows, newest first)
//!  F1 帮助 F2 保存 F3 加人 …                                                      (footer)
//! ```
//! The fast path: cursor starts in 车牌 after the pre-filled province; type the rest, F2.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::row::Row;
use super::theme;
use crate::app::App;
use crate::app::form::{FieldId, KindChoice, LogForm};

/// Rows of the form block, borders included.
const FORM_HEIGHT: u16 = 13;

struct Ctx<'a> {
    app: &'a App,
    form: &'a LogForm,
}

impl Ctx<'_> {
    fn t(&self, key: &'static str) -> &str {
        self.app.i18n.t(key)
    }

    fn style(&self, person: Option<usize>, field: FieldId) -> Style {
        if self.form.focus == field && (person.is_none() || person == Some(self.form.current)) {
            theme::focused()
        } else if self
            .form
            .shown_error(&self.app.eval, person, field)
            .is_some()
        {
            theme::error()
        } else {
            theme::value()
        }
    }

    fn person_of(&self, field: FieldId) -> Option<usize> {
        field.is_person().then_some(self.form.current)
    }

    /// A text field: label, value, caret when focused.
    fn text(&self, row: &mut Row, label: &'static str, field: FieldId, width: usize) {
        let input = self.form.text_of(field).expect("text field");
        let caret = (self.form.focus == field).then(|| input.caret_columns());
        let style = self.style(self.person_of(field), field);
        row.field(self.t(label), input.text(), width, style, caret);
    }

    /// A choice field shown as ‹value›.
    fn choice(&self, row: &mut Row, label: &'static str, field: FieldId, value: &str) {
        let style = self.style(self.person_of(field), field);
        row.field(self.t(label), &format!("‹{value}›"), 0, style, None);
    }

    fn yes_no(&self, row: &mut Row, label: &'static str, field: FieldId, v: bool) {
        self.choice(row, label, field, self.app.i18n.yes_no(v));
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(form) = app.form.as_ref() else {
        return;
    };
    let [form_area, list_area] =
        Layout::vertical([Constraint::Length(FORM_HEIGHT), Constraint::Min(0)]).areas(area);
    let ctx = Ctx { app, form };
    let rows = form_rows(&ctx);
    let inner = Block::default().borders(Borders::ALL).inner(form_area);
    let mut cursor = None;
    let mut lines: Vec<Line> = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        if let Some(c) = r.cursor {
            cursor = Some(Position::new(inner.x + c as u16, inner.y + i as u16));
        }
        lines.push(r.into_line());
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(ctx.t("log.vehicle"), theme::title()));
    frame.render_widget(Paragraph::new(lines).block(block), form_area);
    if let Some(pos) = cursor.filter(|p| p.x < inner.right() && p.y < inner.bottom()) {
        frame.set_cursor_position(pos);
    }
    draw_today(frame, list_area, app);
}

fn form_rows(c: &Ctx) -> Vec<Row> {
    let f = c.form;
    let app = c.app;
    let i18n = &app.i18n;
    let mut rows: Vec<Row> = (0..11).map(|_| Row::default()).collect();
    let walk_in = f.kind == KindChoice::WalkIn;
    let kind = match f.kind {
        KindChoice::Vehicle(k) => i18n.kind(k).to_string(),
        KindChoice::WalkIn => i18n.t("walk_in").to_string(),
    };
    // Row 0–2: the vehicle.
    if walk_in {
        rows[0].field(c.t("field.plate"), "—", 9, theme::hint(), None);
    } else {
        c.text(&mut rows[0], "field.plate", FieldId::Plate, 9);
    }
    rows[0].gap();
    c.choice(&mut rows[0], "field.kind", FieldId::Kind, &kind);
    rows[0].gap();
    c.text(&mut rows[0], "field.occupants", FieldId::Occupants, 2);
    if walk_in {
        rows[1].text(c.t("log.walk_in_hint"), theme::hint());
    } else {
        rows[0].gap();
        c.yes_no(
            &mut rows[0],
            "field.disinfected",
            FieldId::Disinfected,
            f.disinfected,
        );
        c.text(&mut rows[1], "field.origin", FieldId::Origin, 14);
        rows[1].gap();
        c.text(&mut rows[1], "field.destination", FieldId::Destination, 20);
    }
    if matches!(f.kind, KindChoice::Vehicle(k) if k.is_freight()) {
        rows[2]
            .text(c.t("log.freight"), theme::label())
            .text(" ", Style::default());
        c.yes_no(
            &mut rows[2],
            "field.listed",
            FieldId::Listed,
            f.freight.listed,
        );
        rows[2].gap();
        c.yes_no(
            &mut rows[2],
            "field.pledge",
            FieldId::Pledge,
            f.freight.pledge,
        );
        rows[2].gap();
        c.yes_no(
            &mut rows[2],
            "field.reported",
            FieldId::Reported,
            f.freight.reported,
        );
        rows[2].gap();
        c.yes_no(
            &mut rows[2],
            "field.cold_chain",
            FieldId::ColdChain,
            f.cold_chain,
        );
    }
    // Row 3: person header.
    let who = format!(
        "── {} {}/{} ",
        c.t("log.person"),
        f.current + 1,
        f.persons.len()
    );
    rows[3].text(&who, theme::title());
    if f.persons.len() > 1 {
        rows[3].text(c.t("log.person_hint"), theme::hint());
    }
    // Row 4–5: the five checks and the service.
    let p = f.person();
    if p.refused {
        // 拒检: nothing measured; the fields say so instead of showing the defaults.
        for label in [
            "field.temperature",
            "field.health",
            "field.itinerary",
            "field.test",
        ] {
            rows[4].field(c.t(label), c.t("log.not_measured"), 0, theme::hint(), None);
            rows[4].gap();
        }
    } else {
        c.text(&mut rows[4], "field.temperature", FieldId::Temperature, 4);
        rows[4].gap();
        c.choice(
            &mut rows[4],
            "field.health",
            FieldId::Health,
            i18n.health(p.health),
        );
        rows[4].gap();
        c.yes_no(
            &mut rows[4],
            "field.itinerary",
            FieldId::Itinerary,
            p.itinerary,
        );
        rows[4].gap();
        c.text(&mut rows[4], "field.test", FieldId::Test, 4);
        rows[4].gap();
    }
    c.yes_no(&mut rows[4], "field.refused", FieldId::Refused, p.refused);
    c.yes_no(&mut rows[5], "field.sampled", FieldId::Sampled, p.sampled);
    if p.sampled {
        rows[5].gap();
        c.text(&mut rows[5], "field.tube", FieldId::Tube, 12);
    }
    rows[5].gap().text(c.t("log.test_hint"), theme::hint());
    // Row 6–7: registration, only where the policy requires it.
    let required = app
        .eval
        .registration_required
        .get(f.current)
        .copied()
        .unwrap_or(false);
    if required {
        c.text(&mut rows[6], "field.name", FieldId::Name, 8);
        rows[6].gap();
        c.text(&mut rows[6], "field.id_number", FieldId::IdNumber, 18);
        rows[6].gap();
        c.text(&mut rows[6], "field.phone", FieldId::Phone, 11);
        c.text(
            &mut rows[7],
            "field.person_destination",
            FieldId::PersonDestination,
            24,
        );
    } else {
        // Only an all-normal person is "全部正常"; a refused one, or one whose disposition
        // needs no registration, is told so plainly.
        let in_force = app.eval.dispositions.get(f.current).cloned().flatten();
        let key = if p.refused {
            "log.refused_no_registration"
        } else if in_force
            .as_deref()
            .is_none_or(|d| d == [crate::domain::Disposition::Pass])
        {
            "log.no_registration"
        } else {
            "log.registration_not_required"
        };
        rows[6].text(c.t(key), theme::hint());
    }
    // Row 8: override.
    let ov = p.overridden.map_or_else(
        || c.t("log.no_override").to_string(),
        |d| i18n.disposition(d).to_string(),
    );
    c.choice(&mut rows[8], "field.override", FieldId::Override, &ov);
    if p.overridden.is_some() {
        rows[8].gap();
        c.text(&mut rows[8], "field.reason", FieldId::Reason, 30);
    }
    // Row 9: live dispositions of this person (and a summary of the others).
    rows[9]
        .text(c.t("log.disposition"), theme::label())
        .text(" ▶ ", Style::default());
    match app.eval.dispositions.get(f.current).cloned().flatten() {
        Some(ds) => {
            for (i, d) in ds.iter().enumerate() {
                if i > 0 {
                    rows[9].text("+", Style::default());
                }
                rows[9].text(i18n.disposition(*d), theme::disposition(*d));
            }
        }
        None => {
            rows[9].text("—", theme::hint());
        }
    }
    let others = app.eval.dispositions.iter().enumerate().filter(|(i, d)| {
        *i != f.current
            && d.as_ref()
                .is_some_and(|d| d.as_slice() != [crate::domain::Disposition::Pass])
    });
    let others: Vec<String> = others.map(|(i, _)| (i + 1).to_string()).collect();
    if !others.is_empty() {
        rows[9].gap().text(
            &format!("{} {}", c.t("log.others_abnormal"), others.join(",")),
            theme::error(),
        );
    }
    // Row 10: the focused field's error, else the status line.
    let focus_person = c.person_of(f.focus);
    let focus_error = f.shown_error(&app.eval, focus_person, f.focus).or_else(|| {
        app.eval
            .errors
            .iter()
            .find(|(p, fi, _)| f.shown_error(&app.eval, *p, *fi).is_some())
            .map(|(_, _, e)| e)
    });
    if let Some(e) = focus_error {
        rows[10].text(
            &format!("✗ {}: {}", field_label(c, e), i18n.render(&e.rule)),
            theme::error(),
        );
    } else if let Some(s) = &app.status {
        let style = if s.ok { theme::ok() } else { theme::error() };
        rows[10].text(
            &format!("{} {}", if s.ok { "✓" } else { "✗" }, s.text),
            style,
        );
    }
    rows
}

/// The on-screen label of the field an error names.
fn field_label(c: &Ctx, e: &crate::error::FieldError) -> String {
    let leaf = e.field.rsplit('.').next().unwrap_or(&e.field);
    let key = match leaf {
        "plate" => "field.plate",
        "temperature" => "field.temperature",
        "health_code" => "field.health",
        "test" | "hours_ago" | "result" => "field.test",
        "name" => "field.name",
        "id_number" => "field.id_number",
        "phone" => "field.phone",
        "destination" if e.field.starts_with("vehicle") => "field.destination",
        "destination" => "field.person_destination",
        "origin" => "field.origin",
        "reason" => "field.reason",
        "dispositions" => "field.override",
        "occupants" | "persons" => "field.occupants",
        "tube_no" => "field.tube",
        _ => return e.field.clone(),
    };
    c.app.i18n.t(key).to_string()
}

fn draw_today(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let c = &app.counts;
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {} ", i18n.t("log.today")), theme::title()),
        Span::raw(format!(
            " {} {}  {} {}  ",
            i18n.t("count.vehicles"),
            c.vehicles,
            i18n.t("count.persons"),
            c.persons
        )),
        Span::styled(
            format!("{} {}", i18n.t("count.abnormal"), c.abnormal),
            if c.abnormal > 0 {
                theme::error()
            } else {
                Style::default()
            },
        ),
    ])];
    // 五个到位 at a glance, beside the day's counts.
    if let Some(d) = &app.duty {
        lines[0].spans.push(Span::styled(
            format!("  │ {} ", i18n.t("duty.title")),
            theme::label(),
        ));
        lines[0]
            .spans
            .extend(super::roster::post_spans(app, d, true));
    }
    for r in &app.today {
        let t = app.local(r.time).format("%H:%M").to_string();
        let mut spans = vec![Span::raw(format!(
            " {}",
            crate::view::record_line_head(r, &t, i18n)
        ))];
        for (i, d) in r.dispositions().iter().enumerate() {
            spans.push(Span::raw(if i == 0 { " " } else { "+" }));
            spans.push(Span::styled(
                i18n.disposition(*d).to_string(),
                theme::disposition(*d),
            ));
        }
        if r.voided {
            spans.push(Span::styled(
                format!(" [{}]", i18n.t("record.voided")),
                theme::error(),
            ));
        } else if r.amendments > 0 {
            spans.push(Span::styled(
                format!(" [{}]", i18n.t("record.amended")),
                theme::hint(),
            ));
        }
        lines.push(Line::from(spans));
    }
    if app.today.is_empty() {
        lines.push(Line::styled(
            format!(" {}", i18n.t("log.none_today")),
            theme::hint(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
