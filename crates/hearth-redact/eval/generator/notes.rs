//! Note templates: call, visit and repair notes, case notes and emails, with the
//! distractors a detector must leave alone (job and crime references, prices, times,
//! account numbers, team mailboxes, organisations, towns, appointment dates).

use super::builder::{Builder, Note};
use super::identity::{self, Dob, Home, Person};
use super::lists::Lists;
use super::rng::Rng;
use hearth_redact::{Label, Party, Relation, Subject};

struct G<'a> {
    lists: &'a Lists,
    rng: &'a mut Rng,
    b: Builder,
    subj: Person,
    home: Home,
    phone: String,
    email: String,
    dob: Dob,
    /// She or he, for pronouns after the subject's name.
    she: bool,
}

const ISSUES: &[&str] = &[
    "damp and mould in the back bedroom",
    "a leak from the bathroom ceiling",
    "no heating or hot water",
    "the front door not locking",
    "a broken extractor fan",
    "water coming through the light fitting",
    "rats in the loft",
    "cracked kitchen tiles",
    "the boiler pressure dropping",
    "a blocked sink",
    "a smell of gas by the meter",
    "a broken window latch",
];
const ORGS: &[&str] = &[
    "Oakwood Surgery",
    "Greenhill Medical Centre",
    "St Mary's Primary School",
    "Westfield Academy",
    "Kirklees Council",
    "Citizens Advice",
    "Apex Plumbing Ltd",
    "Northern Gas Services",
    "Calder Roofing",
    "Yorkshire Water",
    "British Gas",
    "Age UK",
    "Shelter",
    "Mind",
    "the Jobcentre",
    "Leeds City Council",
    "Pennine Electrical Ltd",
    "Brighter Futures Nursery",
    "the Royal Infirmary",
    "Riverside Dental Practice",
];
const CONTRACTORS: &[&str] = &[
    "Apex Plumbing Ltd",
    "Calder Roofing",
    "Pennine Electrical Ltd",
    "Northern Gas Services",
    "Swift Drainage",
    "Kirk Joinery & Sons",
    "Hallmark Glazing",
];

impl G<'_> {
    fn s(&mut self, t: &str) -> &mut Self {
        self.b.put(t);
        self
    }

    fn ent(&mut self, label: Label, t: &str, party: Party, rel: Option<Relation>) -> &mut Self {
        self.b.ent(label, t, party, rel);
        self
    }

    fn subj_name(&mut self) {
        let w = self.subj.written(self.rng);
        self.ent(Label::Person, &w, Party::Subject, None);
    }

    fn other(&mut self, rel: Relation) -> Person {
        let p = Person::new(self.lists, self.rng);
        let w = p.written(self.rng);
        self.ent(Label::Person, &w, Party::Other, Some(rel));
        p
    }

    fn other_full(&mut self, rel: Relation) -> Person {
        let p = Person::new(self.lists, self.rng);
        let w = p.full();
        self.ent(Label::Person, &w, Party::Other, Some(rel));
        p
    }

    fn other_first(&mut self, rel: Relation) -> Person {
        let p = Person::new(self.lists, self.rng);
        let w = p.first.clone();
        self.ent(Label::Person, &w, Party::Other, Some(rel));
        p
    }

    fn he(&self) -> &'static str {
        if self.she { "she" } else { "he" }
    }

    fn her(&self) -> &'static str {
        if self.she { "her" } else { "his" }
    }

    fn family_word(&mut self) -> &'static str {
        const FAMILY: [&str; 12] = [
            "son",
            "daughter",
            "partner",
            "brother",
            "sister",
            "mum",
            "nephew",
            "cousin",
            "husband",
            "wife",
            "granddaughter",
            "ex-partner",
        ];
        FAMILY[self.rng.below(FAMILY.len())]
    }

    fn other_home(&mut self) -> Home {
        Home::new(self.lists, self.rng)
    }

    fn address(&mut self, home: &Home, party: Party) {
        let form = self.rng.below(6);
        let text = match form {
            0 | 1 => home.full(", ", form == 0),
            2 => home.full("\n", true),
            3 => format!("{} {}", home.number, home.street),
            4 => format!("{} {}, {}", home.number, home.street, home.town),
            _ => home.full(" ", false),
        };
        self.ent(Label::Address, &text, party, None);
    }

    fn appt_date(&mut self) -> String {
        let d = self.rng.range(1, 28);
        let m = self.rng.range(1, 12);
        match self.rng.below(3) {
            0 => format!("{d:02}/{m:02}/2026"),
            1 => format!(
                "{d} {} 2026",
                [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec"
                ][(m - 1) as usize]
            ),
            _ => format!("{d}/{m}"),
        }
    }

    fn time(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("{}:{:02}", self.rng.range(8, 17), self.rng.range(0, 5) * 10),
            1 => format!("{}pm", self.rng.range(1, 5)),
            _ => format!("{}.30am", self.rng.range(8, 11)),
        }
    }

    fn price(&mut self) -> String {
        if self.rng.chance(50) {
            format!("£{}.{:02}", self.rng.range(5, 950), self.rng.range(0, 99))
        } else {
            format!("£{},{:03}", self.rng.range(1, 9), self.rng.range(0, 999))
        }
    }

    fn job_ref(&mut self) -> String {
        match self.rng.below(3) {
            0 => format!("JOB-{}", self.rng.range(100_000, 999_999)),
            1 => format!("WO {}", self.rng.range(1_000_000, 9_999_999)),
            _ => format!(
                "RP-{}",
                ["7KQ2M9XD", "4HT8ZZ1P", "9WX3RT5B", "2MN7PQ8K"][self.rng.below(4)]
            ),
        }
    }

    fn crime_ref(&mut self) -> String {
        if self.rng.chance(50) {
            format!(
                "{}/{}/26",
                self.rng.range(10, 99),
                self.rng.range(10_000, 99_999)
            )
        } else {
            format!("CR/{}/25", self.rng.range(100_000, 999_999))
        }
    }

    fn account(&mut self) -> String {
        if self.rng.chance(50) {
            format!("{}", self.rng.range(10_000_000, 99_999_999))
        } else {
            identity::nhs(self.rng, false)
        }
    }

    fn sentence(&mut self, k: usize) {
        match k {
            0 => {
                self.subj_name();
                self.s(" rang to report ");
                let issue = *self.rng.pick(ISSUES);
                self.s(issue).s(". ");
            }
            1 => {
                self.s("Job raised ");
                let r = self.job_ref();
                self.s(&r).s(", appointment ");
                let d = self.appt_date();
                let t = self.time();
                self.s(&d).s(" at ").s(&t).s(". ");
            }
            2 => {
                self.s("Spoke to ");
                self.subj_name();
                self.s(" on ");
                let p = self.phone.clone();
                self.ent(Label::Phone, &p, Party::Subject, None);
                let he = self.he();
                let her = self.her();
                let fam = self.family_word();
                self.s(&format!(". {} said {her} {fam} ", cap(he)));
                self.other(Relation::Family);
                self.s(" has been staying with them since the summer. ");
            }
            3 => {
                self.subj_name();
                self.s(" says the neighbour at ");
                let h = self.other_home();
                let text = if self.rng.chance(50) {
                    format!("number {} {}", h.number, h.street)
                } else {
                    format!("{} {}", h.number, h.street)
                };
                self.ent(Label::Address, &text, Party::Other, None);
                self.s(" (");
                self.other(Relation::Neighbour);
                let t = self.time();
                self.s(&format!(") plays loud music until after {t} most nights. "));
            }
            4 => {
                self.s("Caller passed security, DOB ");
                let d = self.dob.written(self.rng);
                self.ent(Label::DateOfBirth, &d, Party::Subject, None);
                self.s(" and NI number ");
                let n = identity::ni(self.rng);
                self.ent(Label::UkNiNumber, &n, Party::Subject, None);
                self.s(". ");
            }
            5 => {
                let her = self.her();
                let fam = *self.rng.pick(&["son", "daughter", "grandson", "niece"]);
                self.s(&format!("{} {fam} ", cap(her)));
                self.other_first(Relation::Family);
                let cue = *self
                    .rng
                    .pick(&["(dob ", "(date of birth ", ", born ", " (d.o.b. "]);
                self.s(cue);
                let d = Dob::new(self.rng, true).written(self.rng);
                self.ent(Label::DateOfBirth, &d, Party::Other, None);
                self.s(if cue.starts_with(',') {
                    ", is now on the tenancy. "
                } else {
                    ") is now on the tenancy. "
                });
            }
            6 => {
                let org = *self.rng.pick(&ORGS[..4]);
                self.s(&format!(
                    "Advised to contact {org} about the mould; {} GP is ",
                    self.her()
                ));
                let p = Person::new(self.lists, self.rng);
                let w = format!("Dr {}", p.last);
                self.ent(
                    Label::Person,
                    &w,
                    Party::Other,
                    Some(Relation::Professional),
                );
                self.s(". ");
            }
            7 => {
                let rel_word =
                    *self
                        .rng
                        .pick(&["Operative", "Plumber", "Engineer", "Electrician", "Joiner"]);
                self.s(&format!("{rel_word} "));
                self.other(Relation::Operative);
                let c = *self.rng.pick(CONTRACTORS);
                let p = self.price();
                self.s(&format!(
                    " from {c} attended and replaced the extractor fan, charge {p}. "
                ));
            }
            8 => {
                self.s("Tenant's new mobile is ");
                let p = identity::phone(self.rng);
                self.ent(Label::Phone, &p, Party::Subject, None);
                self.s(" and email ");
                let e = self.email.clone();
                self.ent(Label::Email, &e, Party::Subject, None);
                self.s(". ");
            }
            9 => {
                self.s("Referral received from ");
                let p = self.other_full(Relation::Professional);
                let role = *self.rng.pick(&[
                    "social worker",
                    "support worker",
                    "health visitor",
                    "probation officer",
                ]);
                self.s(&format!(", {role}, tel "));
                let ph = identity::phone(self.rng);
                self.ent(Label::Phone, &ph, Party::Other, None);
                if self.rng.chance(50) {
                    self.s(", email ");
                    let e = identity::email(&p, self.rng);
                    self.ent(Label::Email, &e, Party::Other, None);
                }
                self.s(". ");
            }
            10 => {
                self.s("Police informed, crime ref ");
                let c = self.crime_ref();
                self.s(&c).s(", ");
                let p = Person::new(self.lists, self.rng);
                let last = p.last.clone();
                self.ent(
                    Label::Person,
                    &format!("PC {last}"),
                    Party::Other,
                    Some(Relation::Professional),
                );
                self.s(" is dealing. ");
            }
            11 => {
                self.s("Rent account ");
                let a = self.account();
                let p = self.price();
                self.s(&a)
                    .s(&format!(" is in arrears of {p}; payment plan agreed. "));
            }
            12 => {
                self.s("NHS number ");
                let n = identity::nhs(self.rng, true);
                self.ent(Label::NhsNumber, &n, Party::Subject, None);
                self.s(" given for the OT referral. ");
            }
            13 => {
                let (_, town) = *self.rng.pick(&self.lists.places);
                let he = self.he();
                self.s(&format!(
                    "{} moved here from {town} last year to be near family. ",
                    cap(he)
                ));
            }
            14 => {
                self.s("Chased with repairs@kirkleeshomes.org.uk and asb.team@leedshousing.org.uk, no reply yet. ");
            }
            15 => {
                self.s("Visited ");
                let h = self.home.clone();
                self.address(&h, Party::Subject);
                self.s(". Met ");
                self.subj_name();
                let fam = self.family_word();
                let her = self.her();
                self.s(&format!(" and {her} {fam} "));
                self.other_full(Relation::Family);
                self.s(". ");
            }
            16 => {
                self.s("Complaint about ");
                self.other(Relation::Neighbour);
                self.s(" at ");
                let h = self.other_home();
                let t = format!("No. {} {}", h.number, h.street);
                self.ent(Label::Address, &t, Party::Other, None);
                self.s(" and the dog barking. ");
            }
            17 => {
                self.s("Household: ");
                let t = format!("{}, {}", self.subj.last.to_uppercase(), self.subj.first);
                self.ent(Label::Person, &t, Party::Subject, None);
                self.s(" (tenant); ");
                let p = Person::new(self.lists, self.rng);
                let t2 = format!("{}, {}", self.subj.last.to_uppercase(), p.first);
                self.ent(Label::Person, &t2, Party::Other, Some(Relation::Family));
                self.s(" (son, DOB ");
                let d = Dob::new(self.rng, true).written(self.rng);
                self.ent(Label::DateOfBirth, &d, Party::Other, None);
                self.s("). ");
            }
            18 => {
                self.s("Ref ");
                let n = identity::nhs(self.rng, false);
                self.s(&n).s(
                    " quoted by the caller; NI QQ 12 34 56 C looks like the example on the form. ",
                );
            }
            19 => {
                self.s("Postcode given was ");
                let pc = self.home.postcode.clone();
                self.ent(Label::Postcode, &pc, Party::Subject, None);
                self.s(". ");
            }
            20 => {
                self.s("Kids from ");
                let h = self.other_home();
                let st = h.street.clone();
                self.ent(Label::Address, &st, Party::Other, None);
                self.s(" keep damaging the bin store. ");
            }
            21 => {
                self.s("Parcel was left with ");
                self.other_first(Relation::Neighbour);
                self.s(" next door. ");
            }
            22 => {
                let d = self.appt_date();
                let d2 = self.appt_date();
                self.s(&format!(
                    "Tenancy started {d}, gas safety check booked for {d2}. "
                ));
            }
            23 => {
                self.s("Text sent to ");
                let p = self.phone.clone();
                self.ent(Label::Phone, &p, Party::Subject, None);
                let t = self.time();
                let d = self.appt_date();
                self.s(&format!(" at {t} confirming the visit on {d}. "));
            }
            24 => {
                self.s("Spoke with ");
                self.other_full(Relation::Staff);
                let p = self.price();
                self.s(&format!(" (income team) re a payment plan of {p} a week. "));
            }
            25 => {
                self.s("Flat below, ");
                let t = format!("Flat {}", self.rng.range(1, 30));
                self.ent(Label::Address, &t, Party::Other, None);
                self.s(", reports water coming through. ");
            }
            26 => {
                let he = self.he();
                self.s(&format!("{} was born on ", cap(he)));
                let d = self.dob.written(self.rng);
                self.ent(Label::DateOfBirth, &d, Party::Subject, None);
                self.s(" and has lived here since 2011. ");
            }
            _ => {
                self.s("Support worker ");
                self.other(Relation::Professional);
                self.s(" from Brighter Futures will attend the next visit. ");
            }
        }
    }

    fn call_note(&mut self) {
        let n = 2 + self.rng.below(3);
        for _ in 0..n {
            let k = self.rng.below(28);
            self.sentence(k);
        }
    }

    fn email_in(&mut self) {
        self.s("From: ");
        let w = self.subj.full();
        self.ent(Label::Person, &w, Party::Subject, None);
        self.s(" <");
        let e = self.email.clone();
        self.ent(Label::Email, &e, Party::Subject, None);
        let topic = *self
            .rng
            .pick(&["damp", "repair", "complaint", "neighbour noise"]);
        self.s(">\nTo: repairs@pennineliving.org.uk\nSubject: ")
            .s(topic)
            .s("\n\nHi ");
        self.other_first(Relation::Staff);
        self.s(",\n\n");
        let k = self.rng.below(28);
        self.sentence(k);
        self.s("\nMy address is ");
        let h = self.home.clone();
        self.address(&h, Party::Subject);
        self.s(".\n\nKind regards,\n");
        let w = if self.rng.chance(50) {
            self.subj.full()
        } else {
            self.subj.first.clone()
        };
        self.ent(Label::Person, &w, Party::Subject, None);
        self.s("\n");
        let p = self.phone.clone();
        self.ent(Label::Phone, &p, Party::Subject, None);
    }

    fn email_out(&mut self) {
        self.s("Dear ");
        let w = format!("{} {}", self.subj.title, self.subj.last);
        self.ent(Label::Person, &w, Party::Subject, None);
        self.s(",\n\nThank you for your call on ");
        let d = self.appt_date();
        self.s(&d).s(". ");
        let k = self.rng.below(28);
        self.sentence(k);
        self.s("\n\nYours sincerely,\n\n");
        self.other_full(Relation::Staff);
        let role = *self.rng.pick(&[
            "Housing Officer",
            "Neighbourhood Officer",
            "Income Officer",
            "Tenancy Sustainment Officer",
        ]);
        self.s(&format!("\n{role}\nPennine Living\n0300 123 4567"));
    }

    fn address_block(&mut self) {
        self.s("Correspondence address for ");
        self.subj_name();
        self.s(":\n");
        let h = self.home.clone();
        let t = h.full("\n", true);
        self.ent(Label::Address, &t, Party::Subject, None);
        self.s("\n");
        let k = self.rng.below(28);
        self.sentence(k);
    }
}

fn cap(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub fn note(lists: &Lists, rng: &mut Rng, id: usize) -> Note {
    let subj = Person::new(lists, rng);
    let home = Home::new(lists, rng);
    let phone = identity::phone(rng);
    let email = identity::email(&subj, rng);
    let dob = Dob::new(rng, false);
    let she = matches!(subj.title, "Mrs" | "Ms" | "Miss");
    let kind_pick = rng.below(10);
    let lower = kind_pick < 7 && rng.chance(30);
    let mut g = G {
        lists,
        rng,
        b: Builder::new(lower),
        subj,
        home,
        phone,
        email,
        dob,
        she,
    };
    let kind = match kind_pick {
        0..=5 => {
            g.call_note();
            "call"
        }
        6 => {
            g.address_block();
            "address"
        }
        7 | 8 => {
            g.email_in();
            "email_in"
        }
        _ => {
            g.email_out();
            "email_out"
        }
    };
    let mut names = vec![g.subj.full()];
    if g.rng.chance(30) {
        names.push(format!("{} {}", g.subj.title, g.subj.full()));
    }
    let subject = Subject {
        names,
        phones: vec![g.phone.clone()],
        emails: vec![g.email.clone()],
        addresses: vec![g.home.record()],
        date_of_birth: Some(g.dob.iso()),
    };
    let text = g.b.text.trim_end().to_string();
    let gold = g.b.gold;
    Note {
        id,
        kind,
        text,
        gold,
        subject,
    }
}
