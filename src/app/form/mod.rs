//! The 登记 form: what the officer types for one vehicle (or walk-in) and its occupants,
//! the focus order, and the live evaluation (drafts, dispositions, errors per field).
//! Pure state; the evaluation is in `evaluate`, drawing in `ui::log`, saving in `effects`.

mod evaluate;

use super::text::{Edit, TextInput};
use crate::domain::input::{PLACE_MAX, RecordDraft};
use crate::domain::plate::PROVINCES;
use crate::domain::{Checkpoint, Disposition, FreightLoop, HealthCode, VehicleKind};
use crate::error::FieldError;

/// Every field of the form. Vehicle fields first, then the current person's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldId {
    Plate,
    Kind,
    Occupants,
    Disinfected,
    Origin,
    Destination,
    Listed,
    Pledge,
    Reported,
    ColdChain,
    Temperature,
    Health,
    Itinerary,
    Test,
    Refused,
    Sampled,
    Tube,
    Name,
    IdNumber,
    Phone,
    PersonDestination,
    Override,
    Reason,
}

impl FieldId {
    pub fn is_person(self) -> bool {
        matches!(
            self,
            Self::Temperature
                | Self::Health
                | Self::Itinerary
                | Self::Test
                | Self::Refused
                | Self::Sampled
                | Self::Tube
                | Self::Name
                | Self::IdNumber
                | Self::Phone
                | Self::PersonDestination
                | Self::Override
                | Self::Reason
        )
    }
}

/// The kind choice: the vehicle kinds, then 步行 (walk-in, no vehicle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindChoice {
    Vehicle(VehicleKind),
    WalkIn,
}

impl KindChoice {
    pub fn all() -> Vec<KindChoice> {
        let mut v: Vec<KindChoice> = VehicleKind::ALL
            .iter()
            .map(|k| KindChoice::Vehicle(*k))
            .collect();
        v.push(KindChoice::WalkIn);
        v
    }
}

/// One occupant as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonForm {
    pub temperature: TextInput,
    pub health: HealthCode,
    pub itinerary: bool,
    /// Hours since a negative sample, or 无 / 阳.
    pub test: TextInput,
    pub refused: bool,
    pub sampled: bool,
    pub tube: TextInput,
    pub name: TextInput,
    pub id_number: TextInput,
    pub phone: TextInput,
    pub destination: TextInput,
    /// Override choice: `None` = keep the computed dispositions.
    pub overridden: Option<Disposition>,
    pub reason: TextInput,
}

impl Default for PersonForm {
    fn default() -> Self {
        Self {
            temperature: TextInput::with("36.5", 4),
            health: HealthCode::Green,
            itinerary: false,
            test: TextInput::with("24", 4),
            refused: false,
            sampled: false,
            tube: TextInput::new(20),
            name: TextInput::new(20),
            id_number: TextInput::new(18),
            phone: TextInput::new(11),
            destination: TextInput::new(PLACE_MAX),
            overridden: None,
            reason: TextInput::new(60),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogForm {
    pub plate: TextInput,
    /// The plate still holds only the checkpoint's province, pre-filled.
    pub plate_prefilled: bool,
    pub province: char,
    pub kind: KindChoice,
    pub occupants: TextInput,
    pub disinfected: bool,
    pub origin: TextInput,
    pub destination: TextInput,
    pub freight: FreightLoop,
    pub cold_chain: bool,
    pub persons: Vec<PersonForm>,
    pub current: usize,
    pub focus: FieldId,
    /// F2 was pressed with errors: show every error, not only those of visited fields.
    pub attempted: bool,
    /// Fields the officer has left (person index for person fields).
    pub touched: Vec<(Option<usize>, FieldId)>,
}

/// The live evaluation of the form, recomputed after every change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormEval {
    pub draft: Option<RecordDraft>,
    /// (person index for person fields, field, error)
    pub errors: Vec<(Option<usize>, FieldId, FieldError)>,
    /// Per person: the dispositions in force, if its checks are readable.
    pub dispositions: Vec<Option<Vec<Disposition>>>,
    pub registration_required: Vec<bool>,
}

impl LogForm {
    pub fn new(cp: &Checkpoint) -> Self {
        let n = usize::from(cp.default_occupants.max(1));
        Self {
            plate: TextInput::with(&cp.province.to_string(), 8),
            plate_prefilled: true,
            province: cp.province,
            kind: KindChoice::Vehicle(cp.default_kind),
            occupants: TextInput::with(&n.to_string(), 2),
            disinfected: false,
            origin: TextInput::new(PLACE_MAX),
            destination: TextInput::new(PLACE_MAX),
            freight: FreightLoop::default(),
            cold_chain: false,
            persons: vec![PersonForm::default(); n],
            current: 0,
            focus: FieldId::Plate,
            attempted: false,
            touched: Vec::new(),
        }
    }

    pub fn person(&self) -> &PersonForm {
        &self.persons[self.current]
    }

    fn is_freight(&self) -> bool {
        matches!(self.kind, KindChoice::Vehicle(k) if k.is_freight())
    }

    /// The focus order for the current state (hidden fields are skipped).
    pub fn fields(&self, eval: &FormEval) -> Vec<FieldId> {
        use FieldId::*;
        let mut f = Vec::new();
        if self.kind != KindChoice::WalkIn {
            f.push(Plate);
        }
        f.extend([Kind, Occupants]);
        if self.kind != KindChoice::WalkIn {
            f.extend([Disinfected, Origin, Destination]);
        }
        if self.is_freight() {
            f.extend([Listed, Pledge, Reported, ColdChain]);
        }
        if self.person().refused {
            // 拒检: nothing measured, the measurement fields are not asked for.
            f.extend([Refused, Sampled]);
        } else {
            f.extend([Temperature, Health, Itinerary, Test, Refused, Sampled]);
        }
        if self.person().sampled {
            f.push(Tube);
        }
        if eval
            .registration_required
            .get(self.current)
            .copied()
            .unwrap_or(false)
        {
            f.extend([Name, IdNumber, Phone, PersonDestination]);
        }
        f.push(Override);
        if self.person().overridden.is_some() {
            f.push(Reason);
        }
        f
    }

    fn touch(&mut self) {
        let key = (self.focus.is_person().then_some(self.current), self.focus);
        if !self.touched.contains(&key) {
            self.touched.push(key);
        }
    }

    /// Moves the focus by `step` (+1 next, -1 previous) in the current field order.
    pub fn move_focus(&mut self, step: isize, eval: &FormEval) {
        self.touch();
        let fields = self.fields(eval);
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = fields.len() as isize;
        self.focus = fields[((i + step).rem_euclid(n)) as usize];
    }

    pub fn set_occupants(&mut self, n: usize) {
        let n = n.clamp(1, 99);
        self.persons.resize_with(n, PersonForm::default);
        self.current = self.current.min(n - 1);
        self.occupants.set(&n.to_string());
    }

    pub fn switch_person(&mut self, step: isize) {
        self.touch();
        let n = self.persons.len() as isize;
        self.current = (self.current as isize + step).rem_euclid(n) as usize;
        if !self.focus.is_person() {
            self.focus = FieldId::Temperature;
        }
    }

    pub fn remove_person(&mut self) {
        if self.persons.len() > 1 {
            self.persons.remove(self.current);
            let n = self.persons.len();
            self.current = self.current.min(n - 1);
            self.occupants.set(&n.to_string());
        }
    }

    /// Applies an editing key to the focused field.
    pub fn edit(&mut self, edit: &Edit) {
        use FieldId::*;
        let cycle = match edit {
            Edit::Insert(' ') | Edit::Right => 1,
            Edit::Left => -1,
            _ => 0,
        };
        let focus = self.focus;
        let p = &mut self.persons[self.current];
        match focus {
            Plate => self.edit_plate(edit),
            Occupants => {
                if self.occupants.apply(edit) {
                    if let Ok(n) = self.occupants.text().parse::<usize>() {
                        if (1..=99).contains(&n) {
                            let keep = self.occupants.clone();
                            self.set_occupants(n);
                            self.occupants = keep;
                        }
                    }
                }
            }
            Origin => {
                self.origin.apply(edit);
            }
            Destination => {
                self.destination.apply(edit);
            }
            Kind if cycle != 0 => {
                let all = KindChoice::all();
                let i = all.iter().position(|k| *k == self.kind).unwrap_or(0) as isize;
                self.kind = all[(i + cycle).rem_euclid(all.len() as isize) as usize];
            }
            Disinfected if cycle != 0 => self.disinfected = !self.disinfected,
            Listed if cycle != 0 => self.freight.listed = !self.freight.listed,
            Pledge if cycle != 0 => self.freight.pledge = !self.freight.pledge,
            Reported if cycle != 0 => self.freight.reported = !self.freight.reported,
            ColdChain if cycle != 0 => self.cold_chain = !self.cold_chain,
            Health if cycle != 0 => {
                let all = [HealthCode::Green, HealthCode::Yellow, HealthCode::Red];
                let i = all.iter().position(|h| *h == p.health).unwrap_or(0) as isize;
                p.health = all[(i + cycle).rem_euclid(3) as usize];
            }
            Itinerary if cycle != 0 => p.itinerary = !p.itinerary,
            Refused if cycle != 0 => p.refused = !p.refused,
            Sampled if cycle != 0 => p.sampled = !p.sampled,
            Override if cycle != 0 => {
                let mut all: Vec<Option<Disposition>> = vec![None];
                all.extend(Disposition::ALL.iter().rev().map(|d| Some(*d)));
                let i = all.iter().position(|d| *d == p.overridden).unwrap_or(0) as isize;
                p.overridden = all[(i + cycle).rem_euclid(all.len() as isize) as usize];
            }
            Temperature => {
                p.temperature.apply(edit);
            }
            Test => {
                p.test.apply(edit);
            }
            Tube => {
                p.tube.apply(edit);
            }
            Name => {
                p.name.apply(edit);
            }
            IdNumber => {
                p.id_number.apply(edit);
            }
            Phone => {
                p.phone.apply(edit);
            }
            PersonDestination => {
                p.destination.apply(edit);
            }
            Reason => {
                p.reason.apply(edit);
            }
            Kind | Disinfected | Listed | Pledge | Reported | ColdChain | Health | Itinerary
            | Refused | Sampled | Override => {}
        }
    }

    /// The plate field starts pre-filled with the checkpoint's province: a province
    /// character typed (or pasted) first replaces it, anything else is appended to it.
    fn edit_plate(&mut self, edit: &Edit) {
        if self.plate_prefilled {
            let first = match edit {
                Edit::Insert(c) => Some(*c),
                Edit::Paste(s) => s.trim().chars().next(),
                _ => None,
            };
            if let Some(c) = first {
                self.plate_prefilled = false;
                if PROVINCES.contains(c) {
                    self.plate.clear();
                }
            }
        }
        if self.plate.apply(edit) {
            self.plate_prefilled = self.plate.text() == self.province.to_string();
        }
    }

    pub fn text_of(&self, field: FieldId) -> Option<&TextInput> {
        let p = self.person();
        Some(match field {
            FieldId::Plate => &self.plate,
            FieldId::Occupants => &self.occupants,
            FieldId::Origin => &self.origin,
            FieldId::Destination => &self.destination,
            FieldId::Temperature => &p.temperature,
            FieldId::Test => &p.test,
            FieldId::Tube => &p.tube,
            FieldId::Name => &p.name,
            FieldId::IdNumber => &p.id_number,
            FieldId::Phone => &p.phone,
            FieldId::PersonDestination => &p.destination,
            FieldId::Reason => &p.reason,
            _ => return None,
        })
    }

    /// The error to show on a field, if it should be shown now.
    pub fn shown_error<'a>(
        &self,
        eval: &'a FormEval,
        person: Option<usize>,
        field: FieldId,
    ) -> Option<&'a FieldError> {
        let visible = self.attempted || self.touched.contains(&(person, field));
        eval.errors
            .iter()
            .find(|(p, f, _)| *p == person && *f == field)
            .map(|(_, _, e)| e)
            .filter(|_| visible)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;
    use crate::store::tests::checkpoint;
    use chrono::{DateTime, TimeZone, Utc};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
    }

    fn eval(f: &LogForm) -> FormEval {
        f.evaluate(&Policy::default_policy(), now(), now().date_naive())
    }

    fn type_str(f: &mut LogForm, s: &str) {
        for c in s.chars() {
            f.edit(&Edit::Insert(c));
        }
    }

    #[test]
    fn the_fast_path_is_the_plate_and_nothing_else() {
        let mut f = LogForm::new(&checkpoint());
        assert_eq!(f.plate.text(), "湘");
        type_str(&mut f, "j12345");
        let e = eval(&f);
        let d = e.draft.expect("valid with defaults");
        assert_eq!(d.vehicle.unwrap().plate.as_str(), "湘J12345");
        assert_eq!(e.dispositions, vec![Some(vec![Disposition::Pass])]);
    }

    #[test]
    fn a_province_typed_first_replaces_the_prefill() {
        let mut f = LogForm::new(&checkpoint());
        type_str(&mut f, "粤B12345");
        assert_eq!(f.plate.text(), "粤B12345");
        let mut f = LogForm::new(&checkpoint());
        f.edit(&Edit::Paste("鄂A12345".into()));
        assert_eq!(f.plate.text(), "鄂A12345");
    }

    #[test]
    fn an_abnormal_check_opens_registration_and_errors_name_the_field() {
        let mut f = LogForm::new(&checkpoint());
        type_str(&mut f, "J12345");
        f.focus = FieldId::Health;
        f.edit(&Edit::Right);
        let e = eval(&f);
        assert!(e.draft.is_none());
        assert!(f.fields(&e).contains(&FieldId::IdNumber));
        let fields: Vec<FieldId> = e.errors.iter().map(|x| x.1).collect();
        assert_eq!(
            fields,
            [
                FieldId::Name,
                FieldId::IdNumber,
                FieldId::Phone,
                FieldId::PersonDestination
            ]
        );
        assert!(
            f.shown_error(&e, Some(0), FieldId::Name).is_none(),
            "not shown before leaving or F2"
        );
        f.attempted = true;
        assert!(f.shown_error(&e, Some(0), FieldId::Name).is_some());
    }

    #[test]
    fn occupants_resize_the_person_list_and_walk_in_drops_the_vehicle() {
        let mut f = LogForm::new(&checkpoint());
        f.focus = FieldId::Occupants;
        f.edit(&Edit::Backspace);
        f.edit(&Edit::Insert('3'));
        assert_eq!(f.persons.len(), 3);
        f.focus = FieldId::Kind;
        f.edit(&Edit::Left);
        assert_eq!(f.kind, KindChoice::WalkIn);
        let e = eval(&f);
        assert!(e.draft.clone().unwrap().vehicle.is_none());
        assert!(!f.fields(&e).contains(&FieldId::Plate));
    }
}
