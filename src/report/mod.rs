//! The day report (日报 / 零报告) and the push lists (推送目的地社区): pure functions over
//! the store's tally and records. Exports are in `export/`.

pub mod export;
#[cfg(test)]
mod tally_tests;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::{DayCounts, DayTally, Disposition, PushFigures, Record, SignedReport};
use crate::error::Result;
use crate::i18n::{I18n, Msg};
use crate::policy::Policy;
use crate::store::Store;

/// The one tally of a day: the store's counters, hours and shifts, with the day's push
/// figures. The 日报 screen, the default text, the JSON and the exports all read this.
pub fn tally(store: &Store, policy: &Policy, day: NaiveDate) -> Result<DayTally> {
    let mut t = store.day_tally(day)?;
    let list = push_list(store, policy, &[day], true)?;
    t.push = PushFigures {
        to_push: list.len() as u64,
        pushed: list.iter().filter(|e| e.pushed).count() as u64,
    };
    Ok(t)
}

/// The default wording: a 零报告 when nothing abnormal happened, else an incident report.
pub fn default_text(t: &DayTally, i18n: &I18n) -> String {
    i18n.render(&default_msg(t))
}

/// The default wording as a message, in no language yet.
pub fn default_msg(t: &DayTally) -> Msg {
    let c = &t.counts;
    let head = Msg::new("report.default.head")
        .with("day", t.day)
        .with("checkpoint", &t.checkpoint_name)
        .with("vehicles", c.vehicles)
        .with("persons", c.persons)
        .with("sampled", c.sampled)
        .with("disinfected", c.disinfected)
        .with("freight_closed", c.freight_closed)
        .with("cold_chain", c.cold_chain);
    let tail = if t.zero_report() {
        Msg::new("report.default.zero")
    } else {
        let parts = Disposition::ALL
            .iter()
            .filter(|d| **d != Disposition::Pass)
            .filter_map(|d| {
                let n = c.by_disposition.get(d.code()).copied().unwrap_or(0);
                (n > 0).then(|| {
                    Msg::new("report.default.part")
                        .with_msg("disposition", Msg::named(*d))
                        .with("n", n)
                })
            });
        Msg::new("report.default.incident")
            .with("abnormal", c.abnormal)
            .with_msg("parts", Msg::list(parts))
            .with_msg("push", push_msg(&t.push))
    };
    Msg::new("report.default.text")
        .with_msg("head", head)
        .with_msg("tail", tail)
}

/// What the text says of the pushes: only what the figures say (none to push, all pushed,
/// or how many are still pending).
fn push_msg(p: &PushFigures) -> Msg {
    if p.to_push == 0 {
        Msg::new("report.default.push_none")
    } else if p.pending() == 0 {
        Msg::new("report.default.push_done").with("to_push", p.to_push)
    } else {
        Msg::new("report.default.push_pending")
            .with("to_push", p.to_push)
            .with("pushed", p.pushed)
            .with("pending", p.pending())
    }
}

/// The report JSON (`kadian report --format json`, documented in the README).
pub fn report_json(t: &DayTally, signed: Option<&SignedReport>, text: &str) -> Value {
    let c = &t.counts;
    json!({
        "checkpoint": t.checkpoint,
        "checkpoint_name": t.checkpoint_name,
        "day": t.day.to_string(),
        "day_start": t.day_start,
        "records": c.records,
        "vehicles": c.vehicles,
        "vehicles_by_kind": c.by_kind,
        "persons": c.persons,
        "by_disposition": c.by_disposition,
        "abnormal_persons": c.abnormal,
        "on_site_tests": c.sampled,
        "vehicles_disinfected": c.disinfected,
        "freight_vehicles": c.freight,
        "freight_closed_loop": c.freight_closed,
        "cold_chain_vehicles": c.cold_chain,
        "overrides": c.overrides,
        "amended": t.amended,
        "voided": t.voided,
        "per_hour": t.per_hour.iter().map(|(h, n)| json!({"hour": h, "arrivals": n})).collect::<Vec<_>>(),
        "per_shift": t.per_shift.iter().map(|(s, c)| json!({"shift": s, "vehicles": c.vehicles, "persons": c.persons, "abnormal": c.abnormal})).collect::<Vec<_>>(),
        "officers": c.by_officer,
        "on_duty": t.on_duty,
        "push": {"to_push": t.push.to_push, "pushed": t.push.pushed},
        "signed": t.signed.as_ref().map(|s| json!({"version": s.version, "vehicles": s.vehicles,
            "persons": s.persons, "abnormal_persons": s.abnormal_persons})),
        "changed_since_signed": t.changed_since_signed,
        "zero_report": t.zero_report(),
        "version": signed.map(|s| s.version),
        "signed_by": signed.map(|s| s.signed_by.clone()),
        "signed_at": signed.map(|s| s.signed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "text": text,
    })
}

/// The text of a day: the latest signed version, else the default wording.
pub fn current_text(
    store: &Store,
    t: &DayTally,
    i18n: &I18n,
) -> Result<(Option<SignedReport>, String)> {
    let signed = store.reports(t.day)?.pop();
    let text = signed
        .as_ref()
        .map_or_else(|| default_text(t, i18n), |s| s.text.clone());
    Ok((signed, text))
}

pub use crate::domain::mask_name;

/// One abnormal person of a day, masked, for the 日报 screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbnormalLine {
    pub time: DateTime<Utc>,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub dispositions: Vec<Disposition>,
    pub destination: String,
    pub plate: String,
}

pub fn abnormal_persons(store: &Store, day: NaiveDate) -> Result<Vec<AbnormalLine>> {
    let abnormal: Vec<Disposition> = Disposition::ALL
        .into_iter()
        .filter(|d| *d != Disposition::Pass)
        .collect();
    let mut out = Vec::new();
    for r in store.records_with(day, &abnormal)? {
        for p in r.persons.iter().filter(|p| p.is_abnormal()) {
            let reg = p.registration.as_ref();
            out.push(AbnormalLine {
                time: r.time,
                name: reg.map_or_else(String::new, |g| mask_name(&g.name)),
                id_number: reg.map_or_else(String::new, |g| g.id_number.masked()),
                phone: reg.map_or_else(String::new, |g| g.phone.masked()),
                dispositions: p.dispositions().to_vec(),
                destination: reg.map_or_else(String::new, |g| g.destination.clone()),
                plate: r
                    .vehicle
                    .as_ref()
                    .map_or_else(String::new, |v| v.plate.to_string()),
            });
        }
    }
    Ok(out)
}

/// A person to push to their destination community.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PushEntry {
    pub record: String,
    pub person: u8,
    pub time: DateTime<Utc>,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub destination: String,
    /// County / district part of the destination (the sheet), and the rest (town, community).
    pub district: String,
    pub community: String,
    pub origin: String,
    pub plate: String,
    pub dispositions: Vec<Disposition>,
    pub pushed: bool,
}

/// `常德市武陵区某某社区` → (`常德市武陵区`, `某某社区`): cut after the first 区 or 县 (else
/// after the last 市, as in 津市市); a destination without one is its own district.
pub fn split_destination(dest: &str) -> (String, String) {
    let chars: Vec<char> = dest.chars().collect();
    let at = chars
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, c)| matches!(c, '区' | '县'))
        .or_else(|| chars.iter().enumerate().skip(1).rfind(|(_, c)| **c == '市'))
        .map(|(i, _)| i + 1);
    match at {
        Some(i) => (chars[..i].iter().collect(), chars[i..].iter().collect()),
        None => (dest.to_string(), String::new()),
    }
}

/// Registered persons whose dispositions the policy pushes, over `days`, grouped by district
/// then community then time. Already-pushed persons only with `include_pushed`.
pub fn push_list(
    store: &Store,
    policy: &Policy,
    days: &[NaiveDate],
    include_pushed: bool,
) -> Result<Vec<PushEntry>> {
    let pushed_dispositions: Vec<Disposition> = Disposition::ALL
        .into_iter()
        .filter(|d| policy.requires_push(&[*d]))
        .collect();
    let mut out = Vec::new();
    for day in days {
        for r in store.records_with(*day, &pushed_dispositions)? {
            push_entries(store, policy, &r, include_pushed, &mut out)?;
        }
    }
    out.sort_by(|a, b| {
        (&a.district, &a.community, a.time).cmp(&(&b.district, &b.community, b.time))
    });
    Ok(out)
}

fn push_entries(
    store: &Store,
    policy: &Policy,
    r: &Record,
    include_pushed: bool,
    out: &mut Vec<PushEntry>,
) -> Result<()> {
    for (i, p) in r.persons.iter().enumerate() {
        let Some(reg) = &p.registration else { continue };
        if !policy.requires_push(p.dispositions()) {
            continue;
        }
        let pushed = store.is_pushed(&r.id, i as u8)?;
        if pushed && !include_pushed {
            continue;
        }
        let (district, community) = split_destination(&reg.destination);
        out.push(PushEntry {
            record: r.id.clone(),
            person: i as u8,
            time: r.time,
            name: reg.name.clone(),
            id_number: reg.id_number.to_string(),
            phone: reg.phone.as_str().to_string(),
            destination: reg.destination.clone(),
            district,
            community,
            origin: r
                .vehicle
                .as_ref()
                .map_or_else(String::new, |v| v.origin.clone()),
            plate: r
                .vehicle
                .as_ref()
                .map_or_else(String::new, |v| v.plate.to_string()),
            dispositions: p.dispositions().to_vec(),
            pushed,
        });
    }
    Ok(())
}

/// One checkpoint's line in a command post's consolidated day report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckpointLine {
    pub checkpoint: String,
    pub name: String,
    pub counts: DayCounts,
    /// The newest signed 日报/零报告 of the day received, if any (日报告制度).
    pub report: Option<SignedReport>,
}

/// A command post's day: one line per checkpoint it knows (sent bundles, or trusted), the
/// total, and which have not sent their signed day report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Consolidated {
    pub command_post: String,
    pub day: NaiveDate,
    pub lines: Vec<CheckpointLine>,
    pub total: DayCounts,
    /// Checkpoints without a signed day report for the day.
    pub missing: Vec<String>,
}

pub fn consolidated(store: &Store, day: NaiveDate) -> Result<Consolidated> {
    let mut codes: std::collections::BTreeMap<String, String> = Default::default();
    for t in store.trusted_laptops()?.into_iter().filter(|t| t.active) {
        codes.entry(t.checkpoint).or_insert(t.name);
    }
    for c in store.checkpoints()? {
        let name = store
            .view(&c)?
            .checkpoint()
            .map(|cp| cp.name.clone())
            .unwrap_or_default();
        let e = codes.entry(c).or_default();
        if !name.is_empty() {
            *e = name;
        }
    }
    let own = store
        .checkpoint()
        .map(|c| c.code.clone())
        .unwrap_or_default();
    codes.remove(&own);
    let mut lines = Vec::new();
    let mut total = DayCounts::default();
    let mut missing = Vec::new();
    for (code, name) in codes {
        let v = store.view(&code)?;
        let (counts, report) = if v.checkpoint().is_some() {
            (v.day_counts(day)?, v.reports(day)?.pop())
        } else {
            (Default::default(), None)
        };
        total.merge(&counts, &code);
        if report.is_none() {
            missing.push(code.clone());
        }
        lines.push(CheckpointLine {
            checkpoint: code,
            name,
            counts,
            report,
        });
    }
    Ok(Consolidated {
        command_post: store
            .checkpoint()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        day,
        lines,
        total,
        missing,
    })
}

/// The consolidated day as JSON (`kadian report` at a command post; README).
pub fn consolidated_json(c: &Consolidated) -> Value {
    let counts = |k: &DayCounts| {
        json!({"records": k.records, "vehicles": k.vehicles, "persons": k.persons,
               "abnormal": k.abnormal, "sampled": k.sampled, "disinfected": k.disinfected,
               "freight": k.freight, "freight_closed": k.freight_closed, "cold_chain": k.cold_chain,
               "amended": k.amended, "voided": k.voided, "by_disposition": k.by_disposition,
               "by_kind": k.by_kind})
    };
    json!({
        "command_post": c.command_post,
        "day": c.day.to_string(),
        "checkpoints": c.lines.iter().map(|l| json!({
            "checkpoint": l.checkpoint,
            "name": l.name,
            "counts": counts(&l.counts),
            "reported": l.report.is_some(),
            "zero_report": l.report.as_ref().map(|r| r.zero),
            "signed_by": l.report.as_ref().map(|r| r.signed_by.clone()),
            "version": l.report.as_ref().map(|r| r.version),
        })).collect::<Vec<_>>(),
        "total": counts(&c.total),
        "missing_reports": c.missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_split_at_the_county_or_district() {
        let s = |d: &str| split_destination(d);
        assert_eq!(
            s("常德市武陵区某某社区"),
            ("常德市武陵区".into(), "某某社区".into())
        );
        assert_eq!(s("桃源县漳江镇"), ("桃源县".into(), "漳江镇".into()));
        assert_eq!(s("澧县澧阳街道"), ("澧县".into(), "澧阳街道".into()));
        assert_eq!(
            s("津市市金鱼岭街道"),
            ("津市市".into(), "金鱼岭街道".into())
        );
        assert_eq!(s("长沙"), ("长沙".into(), String::new()));
    }

    #[test]
    fn names_are_masked_to_the_surname() {
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name(""), "");
    }
}
