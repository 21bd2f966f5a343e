//! The 排班 tab and the duty lines. At 80×24:
//!
//! ```text
//!  HN-01 常德北收费站 │ 登记  记录 [排班] 日报 │ 值班 L01 李队            11-24 09:15
//! ┌值排表 2026-W48 ───────────────────────────────────────────────────────────────┐
//! │日期    班次  带班      测温岗    查码岗    登记岗    消杀岗                   │
//! │11-23一 早班  李队      张三      王五      赵六      钱七                     │
//! │        中班  …  (scrolls; cursor cell highlighted, swap mark underlined)      │
//! │11-24二 夜班  …  (a row names the calendar day its shift starts on, when it   │
//! │        早班  …   changes: the 夜班 from 00:00 is under the next day)          │
//! └───────────────────────────────────────────────────────────────────────────────┘
//! ┌五个到位 早班 08:00–16:00 ─────────────────────────────────────────────────────┐
//! │带班 ✓李队  测温岗 1/1  查码岗 0/1✗  登记岗 1/1  消杀岗 1/1                     │
//! │缺岗 C04 王五(查码岗)   脱岗 —                                                │
//! │本班 车辆 12 人员 30 异常 1          规则：✓ / ✗ 第一条问题                     │
//! └───────────────────────────────────────────────────────────────────────────────┘
//!  ⚠ 缺岗 C04(查码岗)                                          到岗 测温岗 (F7 离岗)
//! F1帮助 F3排人 F4撤人 F5对调 F6生成 F7到岗 F12交班 …
//! ```

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme;
use crate::app::App;
use crate::i18n::Msg;
use crate::onpost::{Alert, DutyStatus};
use crate::width::{pad, truncate};

const LABEL_W: usize = 13;

fn name_of(app: &App, code: &str) -> String {
    app.officers
        .iter()
        .find(|o| o.code == code)
        .map_or_else(|| code.to_string(), |o| o.name.clone())
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [grid, panel] = Layout::vertical([Constraint::Min(6), Constraint::Length(5)]).areas(area);
    draw_grid(frame, grid, app);
    draw_panel(frame, panel, app);
}

fn draw_grid(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let v = &app.roster;
    let cfg = &app.duty_cfg;
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!("{} {} ", i18n.t("roster.title"), v.week),
        theme::title(),
    ));
    let inner = block.inner(area);
    let cols = cfg.posts.len().max(1);
    let cell_w = ((inner.width as usize).saturating_sub(LABEL_W) / cols).clamp(6, 14);
    let mut lines = Vec::new();
    let mut head = vec![Span::styled(
        pad(i18n.t("roster.when"), LABEL_W),
        theme::title(),
    )];
    head.extend(
        cfg.posts
            .iter()
            .map(|p| Span::styled(pad(&truncate(&p.name, cell_w - 1), cell_w), theme::title())),
    );
    lines.push(Line::from(head));
    let rows = 7 * cfg.shifts.len();
    let visible = (inner.height as usize).saturating_sub(1).max(1);
    let first = v
        .row
        .saturating_sub(visible - 1)
        .min(rows.saturating_sub(visible));
    let Some(monday) = v.monday else {
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    };
    let weekdays = i18n.t("roster.weekdays").chars().collect::<Vec<_>>();
    let tz = app.tz();
    // The calendar day a row's shift starts on: a night shift from 00:00 belongs to the
    // duty day before but is shown under the day it is worked.
    let starts_on = |row: usize| {
        let (day, shift) = (row / cfg.shifts.len(), row % cfg.shifts.len());
        let date = monday + chrono::Duration::days(day as i64);
        cfg.slot(date, shift, tz)
            .start
            .with_timezone(&tz)
            .date_naive()
    };
    for row in first..(first + visible).min(rows) {
        let (day, shift) = (row / cfg.shifts.len(), row % cfg.shifts.len());
        let date = monday + chrono::Duration::days(day as i64);
        let on = starts_on(row);
        let when = if row == first || starts_on(row - 1) != on {
            use chrono::Datelike;
            let wd = on.weekday().num_days_from_monday() as usize;
            format!(
                "{}{} {}",
                on.format("%m-%d"),
                weekdays.get(wd).copied().unwrap_or(' '),
                cfg.shifts[shift].name
            )
        } else {
            format!("        {}", cfg.shifts[shift].name)
        };
        let mut spans = vec![Span::raw(pad(&truncate(&when, LABEL_W - 1), LABEL_W))];
        for col in 0..cfg.posts.len() {
            let staff = v
                .roster
                .as_ref()
                .and_then(|r| r.slot(date, shift as u8, col as u8))
                .map(|s| {
                    s.staff
                        .iter()
                        .map(|c| name_of(app, c))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            let shown = if staff.is_empty() {
                "·".to_string()
            } else {
                truncate(&staff, cell_w - 1)
            };
            let mut style = Style::default();
            if (row, col) == (v.row, v.col) {
                style = theme::focused();
            }
            if v.marked == Some((row, col)) {
                style = style.add_modifier(Modifier::UNDERLINED | Modifier::BOLD);
            }
            spans.push(Span::styled(pad(&shown, cell_w - 1), style));
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
    }
    if v.roster.is_none() {
        lines.push(Line::styled(i18n.t("roster.none"), theme::hint()));
    }
    let block = if v.confirm_replace {
        let ask = i18n.render(&Msg::new("roster.confirm_replace").with("week", &v.week));
        block.title_bottom(Span::styled(
            truncate(&format!(" {ask} "), (area.width as usize).saturating_sub(2)),
            theme::error(),
        ))
    } else {
        block
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_panel(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let Some(d) = &app.duty else {
        frame.render_widget(Block::default().borders(Borders::ALL), area);
        return;
    };
    let tz = app.tz();
    let title = format!(
        "{} {} {}–{} ",
        i18n.t("duty.title"),
        d.shift,
        d.start.with_timezone(&tz).format("%H:%M"),
        d.end.with_timezone(&tz).format("%H:%M")
    );
    let mut block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    if let Some(s) = &app.status {
        let style = if s.ok { theme::ok() } else { theme::error() };
        block = block.title_bottom(Span::styled(
            truncate(
                &format!(" {} ", s.text),
                (area.width as usize).saturating_sub(4),
            ),
            style,
        ));
    }
    let posts = post_spans(app, d, false);
    let list = |xs: &[(String, String)]| {
        if xs.is_empty() {
            "—".to_string()
        } else {
            xs.iter()
                .map(|(c, p)| format!("{c} {}({p})", name_of(app, c)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    // Red while there is somebody to name.
    let named = |xs: &[(String, String)]| {
        Span::styled(
            list(xs),
            if xs.is_empty() {
                Style::default()
            } else {
                theme::error()
            },
        )
    };
    let missing = Line::from(vec![
        Span::styled(format!("{} ", i18n.t("duty.missing")), theme::label()),
        named(&d.missing),
        Span::styled(format!("   {} ", i18n.t("duty.left")), theme::label()),
        named(&d.left),
    ]);
    let rules = match app.roster.problems.first() {
        None if app.roster.roster.is_some() => {
            Span::styled(format!("   {}", i18n.t("roster.rules_ok")), theme::ok())
        }
        None => Span::raw(""),
        Some(p) => Span::styled(format!("   ✗ {}", truncate(p, 40)), theme::error()),
    };
    let counts = Line::from(vec![
        Span::raw(counts_text(app, i18n.t("duty.shift_counts"), d)),
        rules,
    ]);
    frame.render_widget(
        Paragraph::new(vec![Line::from(posts), missing, counts]).block(block),
        area,
    );
}

/// `{label} 车辆 12 人员 30 异常 1`: the shift's counts so far.
pub fn counts_text(app: &App, label: &str, d: &DutyStatus) -> String {
    let i18n = &app.i18n;
    format!(
        "{label} {} {}  {} {}  {} {}",
        i18n.t("count.vehicles"),
        d.counts.vehicles,
        i18n.t("count.persons"),
        d.counts.persons,
        i18n.t("count.abnormal"),
        d.counts.abnormal
    )
}

/// Each post's staffing: `带班 ✓张伟  测温岗 1/1  查码岗 0/1✗`, green or red; `compact`
/// drops the 岗 suffix and the leader's name (for the 登记 screen).
pub fn post_spans(app: &App, d: &DutyStatus, compact: bool) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for p in &d.posts {
        let ok = p.present.len() >= usize::from(p.need);
        let name = if compact {
            p.post.trim_end_matches('岗').to_string()
        } else {
            p.post.clone()
        };
        let text = match (p.leader, p.present.first()) {
            (true, Some(_)) if compact => format!("{name}✓ "),
            (true, Some(c)) => format!("{name} ✓{} ", name_of(app, c)),
            (true, None) => format!("{name}✗ "),
            (false, _) => format!(
                "{name} {}/{}{} ",
                p.present.len(),
                p.need,
                if ok { "" } else { "✗" }
            ),
        };
        out.push(Span::styled(
            text,
            if ok { theme::ok() } else { theme::error() },
        ));
    }
    out
}

/// Short text of the alerts (缺岗/脱岗/无带班/缺人), for the line shown on every screen.
pub fn alerts_text(app: &App, d: &DutyStatus) -> Vec<String> {
    let i18n = &app.i18n;
    d.alerts()
        .into_iter()
        .map(|a| match a {
            Alert::NoLeader => i18n.t("alert.no_leader").to_string(),
            Alert::Understaffed {
                post,
                present,
                need,
            } => format!("{post} {present}/{need}"),
            Alert::Missing { code, post } => format!("{} {code}({post})", i18n.t("duty.missing")),
            Alert::Left { code, post } => format!("{} {code}({post})", i18n.t("duty.left")),
        })
        .collect()
}

/// The duty line above the footer on every screen: alerts until resolved, and where the
/// signed-in officer is checked in.
pub fn draw_duty_line(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let (Some(d), Some(o)) = (&app.duty, &app.officer) else {
        return;
    };
    if app.command_post {
        // A command post has no posts to staff: the line says what it is for instead.
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!(" {}", i18n.t("post.line")),
                theme::label(),
            )),
            area,
        );
        return;
    }
    let mine = match d.post_of(&o.code) {
        Some(p) => format!(
            "{} {p} (F7 {})",
            i18n.t("duty.on_post"),
            i18n.t("duty.check_out")
        ),
        None => format!(
            "{} (F7 {})",
            i18n.t("duty.not_on_post"),
            i18n.t("duty.check_in")
        ),
    };
    let alerts = alerts_text(app, d);
    let room = (area.width as usize).saturating_sub(crate::width::width(mine.as_str()) + 2);
    let left = if alerts.is_empty() {
        Span::styled(format!(" {}", i18n.t("duty.all_on_post")), theme::ok())
    } else {
        Span::styled(
            truncate(&format!(" ⚠ {}", alerts.join(" · ")), room),
            theme::error(),
        )
    };
    let used = left.width();
    let gap = (area.width as usize).saturating_sub(used + crate::width::width(mine.as_str()) + 1);
    let line = Line::from(vec![
        left,
        Span::raw(" ".repeat(gap)),
        Span::styled(mine, theme::label()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
