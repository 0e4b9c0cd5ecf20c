//! The generator's own lists (from a different package than the engine's gazetteers, see
//! `data/derive.py`), grouped by origin.

pub struct Origin {
    /// Where the names come from, for reading the lists; the notes do not print it.
    #[allow(dead_code)]
    pub name: &'static str,
    pub weight: usize,
    pub first: Vec<&'static str>,
    pub last: Vec<&'static str>,
}

pub struct Lists {
    pub origins: Vec<Origin>,
    pub total_weight: usize,
    pub streets: Vec<&'static str>,
    /// (locality, post town)
    pub places: Vec<(&'static str, &'static str)>,
}

fn column(tsv: &'static str, origins: &[&str]) -> Vec<&'static str> {
    tsv.lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(o, _)| origins.contains(o))
        .map(|(_, n)| n)
        .collect()
}

impl Lists {
    pub fn load() -> Self {
        let first = include_str!("../data/first_names.tsv");
        let last = include_str!("../data/surnames.tsv");
        let extra = include_str!("../data/extra_names.tsv");
        let extra_col = |origins: &[&str], kind: &str| -> Vec<&'static str> {
            extra
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| {
                    let mut p = l.split('\t');
                    let (o, k, n) = (p.next()?, p.next()?, p.next()?);
                    (origins.contains(&o) && k == kind).then_some(n)
                })
                .collect()
        };
        // (name, weight, faker-js locales, hand-written origins)
        let spec: &[(&str, usize, &[&str], &[&str])] = &[
            ("english", 30, &["en"], &[]),
            ("celtic", 6, &[], &["scottish", "irish", "welsh"]),
            ("south_asian", 12, &["en_IN"], &["pakistani", "bangladeshi"]),
            ("polish", 6, &["pl"], &[]),
            ("romanian", 4, &["ro"], &[]),
            ("somali", 4, &[], &["somali"]),
            ("nigerian", 5, &["yo_NG", "en_NG"], &[]),
            ("ghanaian", 3, &["en_GH"], &[]),
            ("arabic", 4, &[], &["arabic"]),
            ("chinese", 3, &["en_HK"], &["chinese"]),
            ("caribbean", 4, &[], &["caribbean"]),
            ("eritrean", 2, &[], &["eritrean"]),
            ("turkish", 3, &["tr"], &[]),
            ("italian", 2, &["it"], &[]),
            ("latvian", 2, &["lv"], &[]),
            ("uzbek", 1, &["uz_UZ_latin"], &[]),
            ("southern_african", 2, &["zu_ZA", "af_ZA"], &[]),
            ("senegalese", 1, &["fr_SN"], &[]),
            ("spanish", 2, &["es"], &[]),
            ("dutch", 1, &["nl"], &[]),
        ];
        let origins: Vec<Origin> = spec
            .iter()
            .map(|(name, weight, locales, hand)| {
                let mut f = column(first, locales);
                f.extend(extra_col(hand, "first"));
                let mut l = column(last, locales);
                l.extend(extra_col(hand, "last"));
                if l.is_empty() {
                    l = column(last, &["en"]);
                }
                if f.is_empty() {
                    f = column(first, &["en"]);
                }
                Origin {
                    name,
                    weight: *weight,
                    first: f,
                    last: l,
                }
            })
            .collect();
        let total_weight = origins.iter().map(|o| o.weight).sum();
        let streets = include_str!("../data/streets.txt")
            .lines()
            .filter(|l| !l.is_empty())
            .collect();
        let places = include_str!("../data/towns.txt")
            .lines()
            .filter_map(|l| l.split_once('|'))
            .collect();
        Self {
            origins,
            total_weight,
            streets,
            places,
        }
    }
}
