//! Criterion benchmarks of the inner pieces on the commit path: validation, policy,
//! codec. The durable commit itself (disk-bound) is measured by `kadian bench`, side by
//! side with a raw fdatasync append; see BENCHMARKS.md.

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use kadian::domain::input::RecordJson;
use kadian::domain::{IdNumber, Plate, Record};
use kadian::policy::Policy;
use kadian::store::{Entry, codec};

const LINE: &str = r#"{"vehicle":{"plate":"湘J12345","kind":"货车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":37.8,"health_code":"yellow","test":{"result":"none"},"name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区"}]}"#;

fn benches(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
    let today = now.date_naive();
    let policy = Policy::default_policy();
    c.bench_function("parse_plate", |b| {
        b.iter(|| Plate::parse(std::hint::black_box("湘j·12345")).unwrap())
    });
    c.bench_function("parse_id_number", |b| {
        b.iter(|| IdNumber::parse(std::hint::black_box("11010519491231002X"), today).unwrap())
    });
    c.bench_function("json_line_to_assessed_record", |b| {
        b.iter(|| {
            policy
                .assess(
                    &RecordJson::parse_line(std::hint::black_box(LINE)).unwrap(),
                    now,
                    today,
                )
                .unwrap()
        })
    });
    let new = policy
        .assess(&RecordJson::parse_line(LINE).unwrap(), now, today)
        .unwrap();
    let record = Record {
        id: "T01-01JZ0000000000000000000".into(),
        checkpoint: "T01".into(),
        officer: "S01".into(),
        time: new.time,
        entered_at: now,
        vehicle: new.vehicle,
        persons: new.persons,
        policy_version: policy.version.clone(),
        amendments: 0,
        voided: false,
    };
    let entry = Entry::Record(record);
    c.bench_function("encode_record", |b| {
        b.iter(|| codec::encode(std::hint::black_box(&entry)))
    });
    let bytes = codec::encode(&entry);
    c.bench_function("decode_record", |b| {
        b.iter(|| codec::decode::<Entry>("bench", std::hint::black_box(&bytes)).unwrap())
    });
}

fn roster(c: &mut Criterion) {
    use kadian::domain::duty::{DutyConfig, parse_week};
    use kadian::domain::{Officer, Role};
    let cfg = DutyConfig::default_config();
    let staff: Vec<Officer> = (1..=12)
        .map(|i| {
            Officer::new(
                &format!("C{i:02}"),
                "x",
                if i <= 3 { Role::Leader } else { Role::Officer },
            )
        })
        .collect();
    let monday = parse_week("2026-W48").unwrap();
    let mut seed = 0;
    c.bench_function("roster_generate_week_12_staff_5_posts_3_shifts", |b| {
        b.iter(|| {
            seed += 1;
            kadian::roster::generate(
                &cfg,
                &staff,
                "2026-W48",
                monday,
                &Default::default(),
                &Default::default(),
                seed,
            )
            .unwrap()
        })
    });
}

criterion_group!(core, benches, roster);
criterion_main!(core);
