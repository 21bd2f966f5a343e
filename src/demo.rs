//! `kadian demo`: a realistic demo ledger — plates of many provinces, cars, buses, trucks
//! and cold chain, a few abnormal persons with valid registrations — so a newcomer sees a
//! working checkpoint. Deterministic for a seed; written through the normal durable commit.

use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::clock::Clock;
use crate::domain::idnumber::check_char;
use crate::domain::input::{PersonDraft, RecordDraft};
use crate::domain::plate::PROVINCES;
use crate::domain::{
    FreightLoop, HealthCode, Officer, Plate, Role, Temperature, TestProof, Vehicle, VehicleKind,
};
use crate::error::Result;
use crate::policy::Policy;
use crate::rng::Rng;
use crate::store::Store;

const SERIAL: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const NAMES: &[&str] = &[
    "王小明",
    "李娜",
    "张伟",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴芳",
];
const PLACES: &[&str] = &[
    "长沙",
    "武汉",
    "广州",
    "深圳",
    "岳阳",
    "益阳",
    "张家界",
    "重庆",
    "上海",
    "北京",
];
const DESTS: &[&str] = &[
    "常德市武陵区",
    "常德市鼎城区",
    "桃源县漳江镇",
    "汉寿县龙阳街道",
    "澧县澧阳街道",
];

pub fn plate(rng: &mut Rng, home: char) -> Plate {
    let provinces: Vec<char> = PROVINCES.chars().collect();
    let prov = if rng.chance(60) {
        home
    } else {
        *rng.pick(&provinces)
    };
    let letter = *rng.pick(b"ABCDEFGHJKLMN") as char;
    let mut s = format!("{prov}{letter}");
    for _ in 0..5 {
        s.push(*rng.pick(SERIAL) as char);
    }
    Plate::parse(&s).expect("generated from the valid alphabet")
}

pub fn id_number(rng: &mut Rng) -> String {
    let birth = NaiveDate::from_ymd_opt(1950, 1, 1).expect("valid")
        + Duration::days(rng.below(20_000) as i64);
    let mut s = format!(
        "4307{:02}{}{:03}",
        rng.below(30) + 1,
        birth.format("%Y%m%d"),
        rng.below(1000)
    );
    s.push(check_char(s.as_bytes()));
    s
}

fn person(rng: &mut Rng, abnormal: bool) -> PersonDraft {
    let mut p = PersonDraft::all_normal();
    p.checks.temperature = Temperature::from_tenths(358 + rng.below(12) as u16).expect("in range");
    p.checks.test = TestProof::Negative {
        hours_ago: rng.below(40) as u16 + 2,
    };
    if abnormal {
        match rng.below(5) {
            0 => {
                p.checks.temperature =
                    Temperature::from_tenths(374 + rng.below(15) as u16).expect("in range")
            }
            1 => p.checks.health_code = HealthCode::Yellow,
            2 => p.checks.itinerary_risk = true,
            3 => p.checks.test = TestProof::None,
            _ => p.checks.health_code = HealthCode::Red,
        }
        p.name = rng.pick(NAMES).to_string();
        p.id_number = id_number(rng);
        p.phone = format!("13{}{:08}", rng.below(10), rng.below(100_000_000));
        p.destination = rng.pick(DESTS).to_string();
        p.service.sampled = p.checks.test == TestProof::None;
    }
    p
}

/// A random but realistic record: mostly cars, some trucks, cold chain, buses, walk-ins;
/// `abnormal_percent` of persons abnormal (and registered).
pub fn random_draft(
    rng: &mut Rng,
    time: chrono::DateTime<Utc>,
    home: char,
    abnormal_percent: u64,
) -> RecordDraft {
    let kind = *rng.pick(&[
        VehicleKind::Car,
        VehicleKind::Car,
        VehicleKind::Car,
        VehicleKind::Car,
        VehicleKind::Truck,
        VehicleKind::ColdChain,
        VehicleKind::Bus,
        VehicleKind::Motorcycle,
    ]);
    let walk_in = rng.chance(3);
    let occupants = match kind {
        VehicleKind::Bus => 3 + rng.below(8),
        VehicleKind::Car => 1 + rng.below(3),
        _ => 1,
    };
    let persons = (0..occupants).map(|_| {
        let abnormal = rng.chance(abnormal_percent);
        person(rng, abnormal)
    });
    let persons: Vec<PersonDraft> = persons.collect();
    let vehicle = (!walk_in).then(|| Vehicle {
        plate: plate(rng, home),
        kind,
        origin: rng.pick(PLACES).to_string(),
        destination: rng.pick(DESTS).to_string(),
        disinfected: kind.is_freight() || rng.chance(20),
        freight: kind.is_freight().then_some(FreightLoop {
            listed: true,
            pledge: true,
            reported: rng.chance(90),
        }),
        cold_chain: kind == VehicleKind::ColdChain,
    });
    RecordDraft {
        time: Some(time),
        vehicle,
        persons,
    }
}

/// The demo's twelve staff — D01 admin, D02–D03 leaders, D04–D12 officers, all with PIN
/// 0000 — and this week's roster. Returns the admin's code.
fn demo_staff(store: &Store, now: chrono::DateTime<Utc>) -> Result<String> {
    const STAFF: [&str; 12] = [
        "张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳", "徐强",
        "孙丽",
    ];
    let pin = crate::auth::hash_pin("0000")?;
    for (i, name) in STAFF.iter().enumerate() {
        let role = match i {
            0 => Role::Admin,
            1 | 2 => Role::Leader,
            _ => Role::Officer,
        };
        let mut o = Officer::new(&format!("D{:02}", i + 1), name, role);
        o.pin_hash = Some(pin.clone());
        store.put_officer(o, false)?;
    }
    let cfg = store.duty_config()?;
    let tz = store
        .checkpoint()
        .map_or(chrono_tz::Asia::Shanghai, crate::domain::tz_of);
    let week = crate::domain::duty::week_of(cfg.slot_at(now, tz).date);
    let monday = crate::domain::duty::parse_week(&week)?;
    if let Ok(r) = crate::roster::generate(
        &cfg,
        &store.officers()?,
        &week,
        monday,
        &Default::default(),
        &Default::default(),
        7,
    ) {
        store.save_roster(r)?;
    }
    Ok("D01".into())
}

/// Fills `days` days ending today with `per_day` records each; initialises a demo
/// checkpoint and officer if the dir is empty. Returns the number of records written.
pub fn fill(store: &Store, days: u16, per_day: u32, seed: u64, clock: &dyn Clock) -> Result<usize> {
    let now = clock.now();
    if store.checkpoint().is_none() {
        let laptop = ulid::Ulid::from_datetime(clock.now().into()).to_string();
        let cp = crate::domain::Checkpoint::new(
            "DEMO",
            "演示卡点（常德北收费站）",
            "湘",
            "Asia/Shanghai",
            0,
            laptop,
        )?;
        store.init(cp)?;
    }
    let officer = match store.officers()?.into_iter().find(|o| o.active) {
        Some(o) => o.code,
        None => demo_staff(store, now)?,
    };
    let policy = Policy::load(store.dir())?;
    let home = store.checkpoint().map_or('湘', |c| c.province);
    let mut rng = Rng::new(seed);
    let today = store.day_of(now);
    let mut written = 0;
    for back in (0..days).rev() {
        let day = today - Duration::days(i64::from(back));
        let start = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
            - Duration::hours(8);
        let span = if back == 0 {
            (now - start).num_seconds().max(60)
        } else {
            86_400
        };
        let mut batch = Vec::new();
        for _ in 0..per_day {
            let time = start + Duration::seconds(rng.below(span as u64) as i64);
            let draft = random_draft(&mut rng, time, home, 5);
            let new = policy.assess(&draft, now, today).map_err(|e| {
                crate::error::Error::Policy(crate::i18n::Msg::legacy(format!(
                    "demo generated an invalid record: {e:?}"
                )))
            })?;
            batch.push(new);
        }
        batch.sort_by_key(|n| n.time);
        for chunk in batch.chunks(500) {
            written += store
                .add_records(chunk.to_vec(), &officer, &policy.version, now)?
                .len();
        }
    }
    Ok(written)
}
