//! Made-up people, homes and numbers, and the ways notes write them.

use super::lists::Lists;
use super::rng::Rng;

#[derive(Clone)]
pub struct Person {
    pub first: String,
    pub last: String,
    pub title: &'static str,
}

impl Person {
    pub fn new(lists: &Lists, rng: &mut Rng) -> Self {
        let mut w = rng.below(lists.total_weight);
        let mut origin = &lists.origins[0];
        for o in &lists.origins {
            if w < o.weight {
                origin = o;
                break;
            }
            w -= o.weight;
        }
        let title = *rng.pick(&["Mr", "Mrs", "Ms", "Miss", "Mr", "Mrs"]);
        Self {
            first: rng.pick(&origin.first).to_string(),
            last: rng.pick(&origin.last).to_string(),
            title,
        }
    }

    pub fn full(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    /// One of the forms staff write a name in.
    pub fn written(&self, rng: &mut Rng) -> String {
        let initial = self.first.chars().next().unwrap_or('A');
        match rng.below(10) {
            0..=3 => self.full(),
            4 | 5 => format!("{} {}", self.title, self.last),
            6 => format!("{} {}", self.title, self.full()),
            7 => format!("{initial}. {}", self.last),
            8 => format!("{initial} {}", self.last),
            _ => self.first.clone(),
        }
    }
}

pub fn phone(rng: &mut Rng) -> String {
    let mobile = format!("07{}", rng.range(100, 999)) + &format!("{:06}", rng.range(0, 999_999));
    let area = *rng.pick(&[
        "0113", "0114", "0161", "0121", "0151", "0115", "0117", "01484", "01274", "01422", "0191",
        "0141",
    ]);
    let rest_len = 11 - area.len();
    let rest: String = (0..rest_len)
        .map(|_| char::from(b'0' + rng.range(0, 9) as u8))
        .collect();
    match rng.below(8) {
        0 => format!("{} {}", &mobile[..5], &mobile[5..]),
        1 => mobile,
        2 => format!("+44 {} {}", &mobile[1..5], &mobile[5..]),
        3 => format!("({area}) {rest}"),
        4 => format!("{area} {}", rest),
        5 if area.len() == 4 => format!("{area} {} {}", &rest[..3], &rest[3..]),
        6 => format!("+44 (0){} {}", &area[1..], rest),
        _ => format!("{}-{}", &mobile[..5], &mobile[5..]),
    }
}

pub fn email(p: &Person, rng: &mut Rng) -> String {
    let f = ascii(&p.first).to_lowercase();
    let l = ascii(&p.last).to_lowercase();
    let domain = *rng.pick(&[
        "gmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "yahoo.co.uk",
        "btinternet.com",
        "icloud.com",
        "live.co.uk",
    ]);
    match rng.below(4) {
        0 => format!("{f}.{l}@{domain}"),
        1 => format!("{f}{l}{}@{domain}", rng.range(1, 99)),
        2 => format!("{}{l}@{domain}", f.chars().next().unwrap_or('x')),
        _ => format!("{l}_{f}@{domain}"),
    }
}

fn ascii(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphabetic()).collect()
}

pub fn ni(rng: &mut Rng) -> String {
    let first = b"ABCEGHJKLMNOPRSTWXYZ";
    let second = b"ABCEGHJKLMNPRSTWXYZ";
    loop {
        let a = char::from(*rng.pick(first));
        let b = char::from(*rng.pick(second));
        let pair = format!("{a}{b}");
        if ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&pair.as_str()) {
            continue;
        }
        let d = format!("{:06}", rng.range(0, 999_999));
        let s = char::from(*rng.pick(b"ABCD"));
        return if rng.chance(50) {
            format!("{pair}{d}{s}")
        } else {
            format!("{pair} {} {} {} {s}", &d[..2], &d[2..4], &d[4..])
        };
    }
}

/// A ten-digit number whose check digit is right (`valid`) or wrong.
pub fn nhs(rng: &mut Rng, valid: bool) -> String {
    loop {
        let digits: Vec<u32> = (0..9)
            .map(|i| {
                if i == 0 {
                    rng.range(4, 7)
                } else {
                    rng.range(0, 9)
                }
            })
            .collect();
        let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => continue,
            c => c,
        };
        let last = if valid {
            check
        } else {
            (check + 1 + rng.range(0, 8)) % 10
        };
        if !valid && last == check {
            continue;
        }
        let s: String = digits
            .iter()
            .chain(std::iter::once(&last))
            .map(|d| char::from(b'0' + *d as u8))
            .collect();
        return if rng.chance(60) {
            format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
        } else {
            s
        };
    }
}

pub fn postcode(rng: &mut Rng) -> String {
    let area = *rng.pick(&[
        "LS", "HD", "BD", "HX", "WF", "S", "M", "B", "L", "NG", "BS", "CF", "G", "NE", "SY", "NR",
        "DN", "E", "N", "SE", "SW", "OL", "BL",
    ]);
    let district = rng.range(1, 29);
    let letters = b"ABDEFGHJLNPQRSTUWXYZ";
    format!(
        "{area}{district} {}{}{}",
        rng.range(0, 9),
        char::from(*rng.pick(letters)),
        char::from(*rng.pick(letters))
    )
}

/// A home: its lines (flat, building, street, locality, town, postcode) kept apart so notes
/// can write it on one line, on several, or in part.
#[derive(Clone)]
pub struct Home {
    pub flat: Option<String>,
    pub building: Option<String>,
    pub number: u32,
    pub street: String,
    pub locality: String,
    pub town: String,
    pub postcode: String,
}

impl Home {
    pub fn new(lists: &Lists, rng: &mut Rng) -> Self {
        let street = if rng.chance(60) {
            rng.pick(&lists.streets).to_string()
        } else {
            let word = *rng.pick(&[
                "Acacia",
                "Beechwood",
                "Hollin",
                "Cragg",
                "Sunnybank",
                "Ferncliffe",
                "Tanyard",
                "Garforth",
                "Kirkstall",
                "Whinmoor",
                "Bramley",
                "Swinnow",
                "Netherfield",
                "Lidget",
                "Paddock",
                "Rastrick",
                "Bradley",
                "Carr",
                "Wellington",
                "Rosemount",
                "Glebe",
                "Ashgrove",
                "Kingsway",
                "Lockside",
                "Foundry",
                "Tenter",
                "Stoney",
                "Ivy",
                "Hawthorn",
                "Mayfield",
            ]);
            let suffix = *rng.pick(&[
                "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Crescent", "Grove",
                "Terrace", "Gardens", "Way", "Mount", "Fold", "Croft", "Rise", "Walk", "Mews",
                "Place", "Court", "View", "Bank", "Gate",
            ]);
            format!("{word} {suffix}")
        };
        let (locality, town) = *rng.pick(&lists.places);
        let flat = rng.chance(35).then(|| {
            if rng.chance(80) {
                format!("Flat {}", rng.range(1, 40))
            } else {
                format!("Flat {}{}", rng.range(1, 12), char::from(*rng.pick(b"ABC")))
            }
        });
        let building = (flat.is_some() && rng.chance(50)).then(|| {
            format!(
                "{} {}",
                rng.pick(&[
                    "Jubilee",
                    "Clarence",
                    "Priestley",
                    "Carlton",
                    "Lister",
                    "Brunswick",
                    "Elmfield",
                    "Skelton",
                    "Hanover",
                    "Rivermead"
                ]),
                rng.pick(&["Court", "House", "Towers", "Lodge", "Heights", "Point"])
            )
        });
        Self {
            flat,
            building,
            number: rng.range(1, 240),
            street,
            locality: locality.to_string(),
            town: town.to_string(),
            postcode: postcode(rng),
        }
    }

    /// The whole address on one line or several (with `sep` between parts).
    pub fn full(&self, sep: &str, with_locality: bool) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.flat {
            parts.push(f.clone());
        }
        if let Some(b) = &self.building {
            parts.push(b.clone());
        }
        parts.push(format!("{} {}", self.number, self.street));
        if with_locality {
            parts.push(self.locality.clone());
        }
        parts.push(format!("{} {}", self.town, self.postcode));
        parts.join(sep)
    }

    pub fn record(&self) -> String {
        self.full(", ", true)
    }
}

pub struct Dob {
    pub day: u32,
    pub month: u32,
    pub year: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Dob {
    pub fn new(rng: &mut Rng, young: bool) -> Self {
        Self {
            day: rng.range(1, 28),
            month: rng.range(1, 12),
            year: if young {
                rng.range(2006, 2022)
            } else {
                rng.range(1940, 2004)
            },
        }
    }

    pub fn iso(&self) -> String {
        format!("{}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn written(&self, rng: &mut Rng) -> String {
        let m = MONTHS[(self.month - 1) as usize];
        let ord = match self.day {
            1 | 21 | 31 => "st",
            2 | 22 => "nd",
            3 | 23 => "rd",
            _ => "th",
        };
        match rng.below(7) {
            0 => format!("{:02}/{:02}/{}", self.day, self.month, self.year),
            1 => format!("{}/{}/{}", self.day, self.month, self.year),
            2 => format!("{:02}.{:02}.{:02}", self.day, self.month, self.year % 100),
            3 => format!("{}{ord} {m} {}", self.day, self.year),
            4 => format!("{} {} {}", self.day, &m[..3], self.year),
            5 => format!("{m} {}, {}", self.day, self.year),
            _ => format!("{:02}-{:02}-{}", self.day, self.month, self.year),
        }
    }
}
