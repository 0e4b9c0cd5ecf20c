//! The legal vocabulary: Art 6(1) bases, Art 9(2) conditions and DPA 2018 Schedule 1 conditions.

use serde::Serialize;

/// A lawful basis under UK GDPR Art 6(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Art6Basis {
    A,
    B,
    C,
    D,
    E,
    Ea,
    F,
}

impl Art6Basis {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "a" => Self::A,
            "b" => Self::B,
            "c" => Self::C,
            "d" => Self::D,
            "e" => Self::E,
            "ea" => Self::Ea,
            "f" => Self::F,
            _ => return None,
        })
    }

    pub fn letter(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
            Self::E => "e",
            Self::Ea => "ea",
            Self::F => "f",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::A => "consent",
            Self::B => "contract",
            Self::C => "legal obligation",
            Self::D => "vital interests",
            Self::E => "public task",
            Self::Ea => "recognised legitimate interest",
            Self::F => "legitimate interests",
        }
    }
}

/// A condition for special category data under UK GDPR Art 9(2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Art9Condition {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
}

impl Art9Condition {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "a" => Self::A,
            "b" => Self::B,
            "c" => Self::C,
            "d" => Self::D,
            "e" => Self::E,
            "f" => Self::F,
            "g" => Self::G,
            "h" => Self::H,
            "i" => Self::I,
            "j" => Self::J,
            _ => return None,
        })
    }

    pub fn letter(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
            Self::E => "e",
            Self::F => "f",
            Self::G => "g",
            Self::H => "h",
            Self::I => "i",
            Self::J => "j",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::A => "explicit consent",
            Self::B => "employment, social security and social protection",
            Self::C => "vital interests",
            Self::D => "not-for-profit bodies",
            Self::E => "made public by the person",
            Self::F => "legal claims",
            Self::G => "substantial public interest",
            Self::H => "health or social care",
            Self::I => "public health",
            Self::J => "archiving, research and statistics",
        }
    }

    /// The Schedule 1 Part 1 paragraph DPA 2018 s10 requires for this condition, if any.
    pub fn required_part1_para(self) -> Option<u8> {
        match self {
            Self::B => Some(1),
            Self::H => Some(2),
            Self::I => Some(3),
            Self::J => Some(4),
            _ => None,
        }
    }
}

/// A DPA 2018 Schedule 1 condition, such as Part 2 paragraph 18 (safeguarding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Schedule1Condition {
    pub part: u8,
    pub paragraph: u8,
}

impl Schedule1Condition {
    /// Parses `part1_para2` or `part2_para18`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (part, para) = raw.strip_prefix("part")?.split_once("_para")?;
        let condition = Self {
            part: part.parse().ok()?,
            paragraph: para.parse().ok()?,
        };
        condition.title().map(|_| condition)
    }

    pub fn code(self) -> String {
        format!("part{}_para{}", self.part, self.paragraph)
    }

    pub fn title(self) -> Option<&'static str> {
        Some(match (self.part, self.paragraph) {
            (1, 1) => "employment, social security and social protection",
            (1, 2) => "health or social care purposes",
            (1, 3) => "public health",
            (1, 4) => "research etc",
            (2, 6) => "statutory and government purposes",
            (2, 7) => "administration of justice and parliamentary purposes",
            (2, 8) => "equality of opportunity or treatment",
            (2, 9) => "racial and ethnic diversity at senior levels",
            (2, 10) => "preventing or detecting unlawful acts",
            (2, 11) => "protecting the public",
            (2, 12) => "regulatory requirements",
            (2, 13) => "journalism, academia, art and literature",
            (2, 14) => "preventing fraud",
            (2, 15) => "suspicion of terrorist financing or money laundering",
            (2, 16) => "support for individuals with a particular disability or medical condition",
            (2, 17) => "counselling",
            (2, 18) => "safeguarding of children and individuals at risk",
            (2, 19) => "safeguarding of economic well-being of certain individuals",
            (2, 20) => "insurance",
            (2, 21) => "occupational pensions",
            (2, 22) => "political parties",
            (2, 23) => "elected representatives responding to requests",
            (2, 24) => "disclosure to elected representatives",
            (2, 25) => "informing elected representatives about prisoners",
            (2, 26) => "publication of legal judgments",
            (2, 27) => "anti-doping in sport",
            (2, 28) => "standards of behaviour in sport",
            _ => return None,
        })
    }
}
