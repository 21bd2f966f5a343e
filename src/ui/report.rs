//! The 日报 tab at 80×24:
//!
//! ```text
//! ┌日报 2026-11-24 情况报告 未签发 ────────────────────────────── Ctrl+PgUp/PgDn 换日┐
//! │车辆 384 人员 880 异常 45 落地检 8 消杀 152 货车闭环 74/81 冷链 34 改判 0 更正 0 作废 0│
//! │小客车 190 客车 57 货车 47 冷链车 34 摩托车 56   早班 120 中班 150 夜班 114          │
//! │每小时到达 ▁▂▃▅▇█▇▅▃▂▁▁▂▃▅▇█▇▅▃▂▁▁ (two rows, two columns an hour)                 │
//! │00       03       06  …  hour labels                                               │
//! │放行     ██████████████ 835   居家监测 █ 9      (dispositions, two columns)         │
//! │异常人员（脱敏） 09:15 王** 4307**********1234 139****1111 居家监测 常德市鼎城区     │
//! │报告（可编辑）  今日卡点运行正常…  (wrapped, caret at the real cursor)               │
//! │交接班 早班 C01→C02 · 到岗 D01 D02 …                                               │
//! └───────────────────────────────────────────────────────────────────────────────────┘
//! ```

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::theme;
use crate::app::App;
use crate::domain::{Disposition, VehicleKind};
use crate::i18n::Msg;
use crate::width::{pad, pad_left, truncate};

const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Wraps `text` to `width` columns; returns the lines and the (row, col) of char `caret`.
fn wrap(text: &str, width: usize, caret: usize) -> (Vec<String>, (usize, usize)) {
    let mut lines = vec![String::new()];
    let (mut w, mut at) = (0, (0, 0));
    for (i, c) in text.chars().enumerate() {
        let cw = c.width().unwrap_or(0);
        if c == '\n' || w + cw > width {
            lines.push(String::new());
            w = 0;
        }
        if i == caret {
            at = (lines.len() - 1, w);
        }
        if c != '\n' {
            if let Some(l) = lines.last_mut() {
                l.push(c);
            }
            w += cw;
        }
    }
    if caret >= text.chars().count() {
        at = (lines.len() - 1, w);
    }
    (lines, at)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let v = &app.report;
    let Some(data) = &v.data else {
        frame.render_widget(
            Block::default()
                .borders(Borders::ALL)
                .title(i18n.t("tab.report")),
            area,
        );
        return;
    };
    if let Some(c) = &data.consolidated {
        return draw_consolidated(frame, area, app, c);
    }
    let t = &data.tally;
    let c = &t.counts;
    let kind_label = if t.zero_report() {
        i18n.t("report.zero")
    } else {
        i18n.t("report.incident")
    };
    let signed = match data.versions.last() {
        Some(s) => format!(
            "{} {} v{} {}",
            i18n.t("report.signed"),
            s.signed_by,
            s.version,
            app.local(s.signed_at).format("%m-%d %H:%M")
        ),
        None => i18n.t("report.unsigned").to_string(),
    };
    let signed = match &data.signed_off {
        Some(s) => format!("{signed} · {} {}", i18n.t("report.signed_off"), s.by),
        None => signed,
    };
    let edited = if v.edited && !data.versions.is_empty() {
        format!(" · {}", i18n.t("report.new_version"))
    } else {
        String::new()
    };
    let title = format!(
        " {} {} {kind_label} {signed}{edited} ",
        i18n.t("tab.report"),
        t.day
    );
    let mut block = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        if t.zero_report() {
            theme::ok()
        } else {
            theme::error()
        },
    ));
    block = with_progress_or_status(block, app, area);
    let inner = block.inner(area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::raw(truncate(
        &format!(
            "{} {}  {} {}  {} {}  {} {}  {} {}  {} {}/{}  {} {}  {} {}  {} {}  {} {}",
            i18n.t("count.vehicles"),
            c.vehicles,
            i18n.t("count.persons"),
            c.persons,
            i18n.t("count.abnormal"),
            c.abnormal,
            i18n.t("report.sampled"),
            c.sampled,
            i18n.t("report.disinfected"),
            c.disinfected,
            i18n.t("report.freight"),
            c.freight_closed,
            c.freight,
            i18n.t("report.cold_chain"),
            c.cold_chain,
            i18n.t("report.overrides"),
            c.overrides,
            i18n.t("report.amended"),
            t.amended,
            i18n.t("report.voided"),
            t.voided,
        ),
        w,
    )));
    if let Some(sf) = t.signed.as_ref().filter(|_| t.changed_since_signed) {
        // Records, amendments or voids arrived after signing: the signed figures beside the
        // current ones until a new version is signed.
        let msg = crate::i18n::Msg::new("report.signed_figures")
            .with("version", sf.version)
            .with("vehicles", sf.vehicles)
            .with("persons", sf.persons)
            .with("abnormal", sf.abnormal_persons);
        lines.push(Line::styled(
            truncate(&i18n.render(&msg), w),
            theme::error(),
        ));
    }
    let kinds: Vec<String> = VehicleKind::ALL
        .iter()
        .filter_map(|k| {
            c.by_kind
                .get(k.code())
                .filter(|n| **n > 0)
                .map(|n| format!("{} {n}", i18n.kind(*k)))
        })
        .collect();
    let shifts: Vec<String> = t
        .per_shift
        .iter()
        .map(|(s, sc)| format!("{s} {}", sc.records))
        .collect();
    lines.push(Line::raw(truncate(
        &format!("{}   {}", kinds.join(" "), shifts.join(" ")),
        w,
    )));
    // Arrivals per hour: two rows of eighth-blocks, two columns an hour.
    let max = t.per_hour.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let label = pad(i18n.t("report.per_hour"), 10);
    let mut top = String::new();
    let mut bottom = String::new();
    for (_, n) in &t.per_hour {
        let level = (*n * 16).div_ceil(max) as usize; // 0..=16
        let (hi, lo) = (level.saturating_sub(8), level.min(8));
        let cell = |i: usize| BARS[i].to_string().repeat(2);
        top.push_str(&cell(hi));
        bottom.push_str(&cell(lo));
    }
    lines.push(Line::from(vec![
        Span::raw(pad("", 10)),
        Span::styled(truncate(&top, w.saturating_sub(10)), theme::title()),
    ]));
    lines.push(Line::from(vec![
        Span::raw(label),
        Span::styled(truncate(&bottom, w.saturating_sub(10)), theme::title()),
    ]));
    let hours: String = t
        .per_hour
        .iter()
        .step_by(3)
        .map(|(h, _)| format!("{:<6}", &h[..2]))
        .collect();
    lines.push(Line::styled(
        truncate(
            &format!(
                "{}{hours}",
                pad(&i18n.render(&Msg::new("report.max").with("n", max)), 10)
            ),
            w,
        ),
        theme::hint(),
    ));
    // Dispositions: two columns of bars.
    let dmax = c.by_disposition.values().copied().max().unwrap_or(0).max(1);
    let ds: Vec<Disposition> = Disposition::ALL.iter().rev().copied().collect();
    // Each column is 29 wide before its count: the label as wide as the longest one (English
    // names are longer than Chinese), the bar the rest.
    let label_w = ds
        .iter()
        .map(|d| crate::width::width(i18n.disposition(*d)) + 1)
        .max()
        .unwrap_or(9)
        .clamp(9, 17);
    let bar_w = 29 - label_w;
    for pair in ds.chunks(2) {
        let mut spans = Vec::new();
        for d in pair {
            let n = c.by_disposition.get(d.code()).copied().unwrap_or(0);
            let len = ((n * bar_w as u64).div_ceil(dmax)) as usize;
            spans.push(Span::styled(
                pad(&truncate(i18n.disposition(*d), label_w - 1), label_w),
                theme::disposition(*d),
            ));
            spans.push(Span::styled(
                pad(&"█".repeat(len), bar_w),
                theme::disposition(*d),
            ));
            spans.push(Span::raw(format!("{n:>6}   ")));
        }
        lines.push(Line::from(spans));
    }
    // Abnormal persons, masked.
    lines.push(Line::styled(
        format!(
            "{} ({})",
            i18n.t("report.abnormal_list"),
            data.abnormal.len()
        ),
        theme::label(),
    ));
    for a in data.abnormal.iter().take(2) {
        let ds: Vec<&str> = a
            .dispositions
            .iter()
            .map(|d| i18n.disposition(*d))
            .collect();
        lines.push(Line::styled(
            truncate(
                &format!(
                    " {} {} {} {} {} {} {}",
                    app.local(a.time).format("%H:%M"),
                    a.name,
                    a.id_number,
                    a.phone,
                    ds.join("+"),
                    a.destination,
                    a.plate
                ),
                w,
            ),
            theme::error(),
        ));
    }
    if data.abnormal.len() > 2 {
        lines.push(Line::styled(
            format!(" … {}", data.abnormal.len() - 2),
            theme::hint(),
        ));
    }
    // The report text, wrapped; the real cursor at its caret.
    lines.push(Line::styled(i18n.t("report.text"), theme::label()));
    let text_rows = (inner.height as usize)
        .saturating_sub(lines.len() + 1 + usize::from(data.purge_due))
        .clamp(1, 4);
    let (wrapped, (crow, ccol)) = wrap(v.text.text(), w.saturating_sub(1), caret_chars(app));
    let first = crow.saturating_sub(text_rows - 1);
    let text_top = lines.len();
    for l in wrapped.iter().skip(first).take(text_rows) {
        lines.push(Line::styled(l.clone(), theme::value()));
    }
    while lines.len() < text_top + text_rows {
        lines.push(Line::raw(""));
    }
    if data.purge_due {
        lines.push(Line::styled(
            truncate(i18n.t("purge.due"), w),
            theme::error(),
        ));
    }
    let hand: Vec<String> = data
        .handovers
        .iter()
        .map(|h| format!("{} {}→{}", h.shift, h.from, h.to))
        .collect();
    lines.push(Line::styled(
        truncate(
            &format!(
                "{} {} · {} {}",
                i18n.t("report.handovers"),
                if hand.is_empty() {
                    "—".into()
                } else {
                    hand.join(" ")
                },
                i18n.t("report.on_duty"),
                t.on_duty.join(" ")
            ),
            w,
        ),
        theme::hint(),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if app.overlay.is_none() {
        let y = inner.y + (text_top + crow - first) as u16;
        if y < inner.bottom() {
            frame.set_cursor_position(Position::new(inner.x + ccol as u16, y));
        }
    }
}

/// The caret of the report text, in characters.
fn caret_chars(app: &App) -> usize {
    // TextInput exposes the caret in columns; recover characters by walking the text.
    let target = app.report.text.caret_columns();
    let mut w = 0;
    for (i, c) in app.report.text.text().chars().enumerate() {
        if w >= target {
            return i;
        }
        w += c.width().unwrap_or(0);
    }
    app.report.text.text().chars().count()
}

/// A command post's 日报 tab: who has not reported first (日报告制度), then one row per
/// checkpoint and the total.
///
/// ```text
/// ┌日报汇总 2026-11-24 常德指挥部 ───────────────────────────────────┐
/// │未报送日报/零报告：T02 南站                                         │  (red)
/// │卡点            记录   车辆   人员   异常   采样   日报              │
/// │T01 北站          12     10     30      1      1   零报告 v1 S01    │
/// │T02 南站           8      8     20      0      0   未报送           │
/// │合计              20     18     50      1      1                    │
/// └──────────────────────────────────────────────── F4 导出 ─────────┘
/// ```
fn draw_consolidated(frame: &mut Frame, area: Rect, app: &App, c: &crate::report::Consolidated) {
    let i18n = &app.i18n;
    let title = format!(" {} {} {} ", i18n.t("post.title"), c.day, c.command_post);
    let block = with_progress_or_status(
        Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(title, theme::title())),
        app,
        area,
    );
    let w = block.inner(area).width as usize;
    let mut lines = Vec::new();
    if c.lines.is_empty() {
        lines.push(Line::styled(
            truncate(i18n.t("post.none"), w),
            theme::hint(),
        ));
    } else if c.missing.is_empty() {
        lines.push(Line::styled(
            truncate(i18n.t("post.all_reported"), w),
            theme::ok(),
        ));
    } else {
        let names: Vec<String> = c
            .lines
            .iter()
            .filter(|l| c.missing.contains(&l.checkpoint))
            .map(|l| format!("{} {}", l.checkpoint, l.name))
            .collect();
        lines.push(Line::styled(
            truncate(
                &format!("⚠ {}{}", i18n.t("post.missing"), names.join("、")),
                w,
            ),
            theme::error(),
        ));
    }
    let row = |name: &str, k: &crate::store::DayCounts, report: &str| {
        format!(
            "{}{:>6} {:>6} {:>6} {:>6} {:>6}   {report}",
            pad(&truncate(name, 14), 14),
            k.records,
            k.vehicles,
            k.persons,
            k.abnormal,
            k.sampled
        )
    };
    lines.push(Line::styled(
        truncate(
            &format!(
                "{}{} {} {} {} {}   {}",
                pad(i18n.t("post.checkpoint"), 14),
                pad_left(i18n.t("post.records"), 6),
                pad_left(i18n.t("count.vehicles"), 6),
                pad_left(i18n.t("count.persons"), 6),
                pad_left(i18n.t("count.abnormal"), 6),
                pad_left(i18n.t("report.sampled"), 6),
                i18n.t("tab.report")
            ),
            w,
        ),
        theme::label(),
    ));
    for l in &c.lines {
        let (report, style) = match &l.report {
            Some(r) => (
                format!(
                    "{} v{} {}",
                    if r.zero {
                        i18n.t("report.zero")
                    } else {
                        i18n.t("report.incident")
                    },
                    r.version,
                    r.signed_by
                ),
                ratatui::style::Style::default(),
            ),
            None => (i18n.t("post.not_sent").to_string(), theme::error()),
        };
        lines.push(Line::styled(
            truncate(
                &row(&format!("{} {}", l.checkpoint, l.name), &l.counts, &report),
                w,
            ),
            style,
        ));
    }
    lines.push(Line::styled(
        truncate(&row(i18n.t("post.total"), &c.total, ""), w),
        theme::title(),
    ));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The 日报 block's bottom line: an export's progress bar, else the last status.
fn with_progress_or_status<'a>(block: Block<'a>, app: &App, area: Rect) -> Block<'a> {
    if let Some((done, total)) = app.report.export {
        let pct = (done * 100).checked_div(total).unwrap_or(0).min(100);
        let bar = format!(
            " {} [{}{}] {done}/{total} ",
            app.i18n.t("status.exporting"),
            "#".repeat((pct / 5) as usize),
            " ".repeat(20 - (pct / 5) as usize)
        );
        block.title_bottom(Span::styled(bar, theme::title()))
    } else if let Some(s) = &app.status {
        block.title_bottom(Span::styled(
            truncate(
                &format!(" {} ", s.text),
                (area.width as usize).saturating_sub(4),
            ),
            if s.ok { theme::ok() } else { theme::error() },
        ))
    } else {
        block
    }
}
