//! Tests of the store: shared set-up (a checkpoint, a ready store, records from JSON lines),
//! then opening, commit and replay; one file per part of the store after that.

mod amendments;
mod purge;
mod search;
mod tally;
mod verify;

use super::*;
use crate::domain::input::RecordJson;
use crate::domain::{NewRecord, Officer, Record, Role, VehicleKind};
use crate::policy::Policy;
use chrono::TimeZone;

pub(crate) fn checkpoint() -> Checkpoint {
    Checkpoint {
        code: "T01".into(),
        name: "测试卡点".into(),
        province: '湘',
        tz: "Asia/Shanghai".into(),
        day_start_min: 0,
        laptop: "L1".into(),
        default_kind: VehicleKind::Car,
        default_occupants: 1,
    }
}

pub(crate) fn ready_store(dir: &Path) -> Store {
    let s = Store::open(dir).unwrap();
    s.init(checkpoint()).unwrap();
    s.put_officer(Officer::new("S01", "测试员", Role::Leader), false)
        .unwrap();
    s
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
}

fn new_record(line: &str) -> NewRecord {
    let d = RecordJson::parse_line(line).unwrap();
    Policy::default_policy()
        .assess(&d, now(), now().date_naive())
        .unwrap()
}

const CAR: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;
const YELLOW: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德"}]}"#;

#[test]
fn records_are_indexed_counted_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = ready_store(dir.path());
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.add_record(new_record(YELLOW), "S01", "v1", now())
            .unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    let day = s.day_of(now());
    let page = s.day_page(day, 0, 10).unwrap();
    assert_eq!(page.len(), 2);
    assert!(page[0].vehicle.is_none(), "newest first");
    assert_eq!(s.by_plate("湘J12345").unwrap().len(), 1);
    assert_eq!(s.by_id_number("11010519491231002X").unwrap().len(), 1);
    let c = s.day_counts(day).unwrap();
    assert_eq!((c.records, c.vehicles, c.persons, c.abnormal), (2, 1, 2, 1));
    assert_eq!(c.by_disposition["home_monitoring"], 1);
    assert_eq!(c.by_disposition["pass"], 1);
    assert_eq!(c.by_kind["car"], 1);
}

#[test]
fn init_twice_and_unknown_officer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    assert!(matches!(
        s.init(checkpoint()),
        Err(Error::AlreadyInitialised(..))
    ));
    assert!(matches!(
        s.add_record(new_record(CAR), "NOPE", "v1", now()),
        Err(Error::UnknownOfficer(_))
    ));
    assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 0);
}

#[test]
fn journal_frames_sled_lost_are_replayed_once() {
    // Simulates sled losing its recent writes (power cut before its background fsync): the
    // journal holds them, so reopening with sled's applied offset rolled back restores them,
    // and replaying an entry sled already holds does not double-count.
    let dir = tempfile::tempdir().unwrap();
    {
        let s = ready_store(dir.path());
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.tree
            .insert(keys::meta("journal_applied"), &0u64.to_be_bytes())
            .unwrap();
        s.close().unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 2);
    {
        let cp = s.tree.remove(keys::meta("journal_applied")).unwrap();
        assert!(cp.is_some());
        let id = s.day_page(s.day_of(now()), 0, 1).unwrap()[0].id.clone();
        s.tree.remove(keys::record(&id)).unwrap();
        let day = s.day_of(now());
        s.tree
            .insert(keys::counter(day, "records"), &1u64.to_be_bytes())
            .unwrap();
        s.tree
            .insert(keys::counter(day, "vehicles"), &1u64.to_be_bytes())
            .unwrap();
        s.tree
            .insert(keys::counter(day, "persons"), &1u64.to_be_bytes())
            .unwrap();
        s.close().unwrap();
    }
    drop(s);
    let s = Store::open_existing(dir.path()).unwrap();
    let c = s.day_counts(s.day_of(now())).unwrap();
    assert_eq!((c.records, c.vehicles, c.persons), (2, 2, 2));
}

#[test]
fn day_boundary_follows_zone_and_day_start() {
    let mut cp = checkpoint();
    let t = Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap(); // 07:30 on the 24th in Shanghai
    assert_eq!(
        day_of(&cp, t),
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    );
    cp.day_start_min = 8 * 60;
    assert_eq!(
        day_of(&cp, t),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
}

#[test]
fn a_second_open_of_the_same_dir_says_locked() {
    let dir = tempfile::tempdir().unwrap();
    let _s = ready_store(dir.path());
    assert!(matches!(Store::open(dir.path()), Err(Error::Locked(_))));
}
