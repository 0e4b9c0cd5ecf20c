//! Names of many origins, streets and towns for synthetic residents. Invented combinations:
//! any resemblance to a real person is chance.

/// (origin, given names, family names): given and family names are drawn from one origin so
/// that a household's names belong together.
pub const ORIGINS: &[(&str, &[&str], &[&str])] = &[
    (
        "british",
        &[
            "Oliver", "Amelia", "Jack", "Isla", "Harry", "Emily", "George", "Sophie", "Thomas",
            "Grace", "Daniel", "Chloe", "Margaret", "Stanley", "Doreen", "Kevin",
        ],
        &[
            "Smith", "Jones", "Taylor", "Brown", "Wilson", "Walker", "Wood", "Hirst", "Haigh",
            "Sykes", "Armitage", "Hepworth", "Booth", "Lockwood", "Shaw", "Holroyd",
        ],
    ),
    (
        "welsh",
        &[
            "Rhys", "Cerys", "Dylan", "Seren", "Gethin", "Ffion", "Owain", "Nia",
        ],
        &[
            "Evans",
            "Williams",
            "Davies",
            "Griffiths",
            "Lloyd",
            "Pritchard",
            "Morgan",
            "Price",
        ],
    ),
    (
        "scottish",
        &[
            "Callum", "Eilidh", "Fraser", "Morag", "Angus", "Kirsty", "Hamish", "Iona",
        ],
        &[
            "MacLeod",
            "Campbell",
            "Stewart",
            "Fraser",
            "Robertson",
            "McKenzie",
            "Murray",
            "Ross",
        ],
    ),
    (
        "irish",
        &[
            "Sean", "Niamh", "Ciaran", "Aoife", "Padraig", "Siobhan", "Declan", "Roisin",
        ],
        &[
            "Byrne",
            "Murphy",
            "O'Brien",
            "Kelly",
            "Doherty",
            "Gallagher",
            "Ni Bhriain",
            "McCarthy",
        ],
    ),
    (
        "pakistani",
        &[
            "Muhammad", "Ayesha", "Bilal", "Fatima", "Imran", "Zainab", "Usman", "Maryam", "Hamza",
            "Sana",
        ],
        &[
            "Khan", "Hussain", "Ahmed", "Iqbal", "Akhtar", "Mahmood", "Rashid", "Bibi", "Shah",
            "Butt",
        ],
    ),
    (
        "indian",
        &[
            "Arjun", "Priya", "Rohan", "Anjali", "Harpreet", "Gurpreet", "Vikram", "Meera",
            "Sanjay", "Kavita",
        ],
        &[
            "Patel", "Singh", "Kaur", "Sharma", "Mistry", "Chauhan", "Gill", "Sandhu", "Desai",
            "Joshi",
        ],
    ),
    (
        "bangladeshi",
        &["Rahim", "Nusrat", "Tanvir", "Shirin", "Jamal", "Rumana"],
        &["Miah", "Begum", "Uddin", "Rahman", "Chowdhury", "Islam"],
    ),
    (
        "polish",
        &[
            "Jakub",
            "Zofia",
            "Tomasz",
            "Agnieszka",
            "Piotr",
            "Katarzyna",
            "Krzysztof",
            "Małgorzata",
        ],
        &[
            "Nowak",
            "Kowalski",
            "Wiśniewska",
            "Wójcik",
            "Kamińska",
            "Lewandowski",
            "Zieliński",
            "Szymańska",
        ],
    ),
    (
        "romanian",
        &["Andrei", "Ioana", "Mihai", "Elena", "Florin", "Alexandra"],
        &[
            "Popescu", "Ionescu", "Dumitru", "Stan", "Stoica", "Gheorghe",
        ],
    ),
    (
        "lithuanian",
        &["Lukas", "Gabija", "Mantas", "Austėja"],
        &["Kazlauskas", "Petrauskienė", "Jankauskas", "Stankevičius"],
    ),
    (
        "nigerian",
        &[
            "Chinedu",
            "Ngozi",
            "Oluwaseun",
            "Adaeze",
            "Emeka",
            "Funmilayo",
            "Tunde",
            "Chiamaka",
        ],
        &[
            "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Adebayo", "Nwosu", "Ogunleye",
        ],
    ),
    (
        "ghanaian",
        &["Kwame", "Abena", "Kofi", "Akosua", "Yaw", "Ama"],
        &["Mensah", "Owusu", "Boateng", "Asante", "Appiah", "Osei"],
    ),
    (
        "somali",
        &["Abdi", "Hodan", "Mohamed", "Fadumo", "Ahmed", "Ifrah"],
        &["Warsame", "Farah", "Abdullahi", "Hassan", "Jama", "Omar"],
    ),
    (
        "caribbean",
        &[
            "Marcus", "Simone", "Delroy", "Marcia", "Winston", "Beverley",
        ],
        &["Campbell", "Thompson", "Clarke", "Grant", "Francis", "Reid"],
    ),
    (
        "chinese",
        &["Wei", "Mei", "Jun", "Xiu", "Hao", "Lin"],
        &["Wang", "Li", "Zhang", "Chen", "Liu", "Wong"],
    ),
    (
        "arabic",
        &["Omar", "Layla", "Yusuf", "Amira", "Khalid", "Noor"],
        &["Al-Sayed", "Haddad", "Mansour", "Nasser", "Saleh", "Karim"],
    ),
    (
        "kurdish",
        &["Rebin", "Shilan", "Aram", "Nasrin"],
        &["Ahmadi", "Karimi", "Rasul", "Mustafa"],
    ),
    (
        "eritrean",
        &["Yonas", "Selam", "Dawit", "Helen"],
        &["Tesfay", "Gebremedhin", "Haile", "Berhane"],
    ),
];

/// Languages by origin, for the preferred-language field (English speakers have none).
pub fn language_of(origin: &str) -> Option<&'static str> {
    Some(match origin {
        "pakistani" => "Urdu",
        "indian" => "Punjabi",
        "bangladeshi" => "Bengali",
        "polish" => "Polish",
        "romanian" => "Romanian",
        "lithuanian" => "Lithuanian",
        "somali" => "Somali",
        "chinese" => "Cantonese",
        "arabic" => "Arabic",
        "kurdish" => "Kurdish Sorani",
        "eritrean" => "Tigrinya",
        _ => return None,
    })
}

pub const STREETS: &[&str] = &[
    "Beech",
    "Manor",
    "Mill",
    "Church",
    "Station",
    "Park",
    "Victoria",
    "Albert",
    "Crosland",
    "Bradley",
    "Fartown",
    "Deighton",
    "Lowerhouses",
    "Dalton",
    "Almondbury",
    "Birkby",
    "Sheepridge",
    "Netherton",
    "Ravensthorpe",
    "Thornhill",
    "Batley",
    "Heckmondwike",
    "Normanton",
    "Chaddesden",
    "Sinfin",
    "Mackworth",
    "Allenton",
    "Dovecote",
    "Clifton",
    "Bestwood",
    "Aspley",
    "Bilborough",
];
pub const STREET_KINDS: &[&str] = &[
    "Road", "Street", "Lane", "Avenue", "Close", "Crescent", "Court", "Grove", "Walk", "Rise",
];

/// (town, outward codes) for Kirklees, Derby and Nottingham, the seeds' areas.
pub const TOWNS: &[(&str, &[&str])] = &[
    (
        "Huddersfield",
        &["HD1", "HD2", "HD3", "HD4", "HD5", "HD7", "HD8", "HD9"],
    ),
    ("Dewsbury", &["WF12", "WF13"]),
    ("Batley", &["WF17"]),
    ("Heckmondwike", &["WF16"]),
    ("Mirfield", &["WF14"]),
    ("Derby", &["DE1", "DE21", "DE22", "DE23", "DE24"]),
    ("Nottingham", &["NG5", "NG6", "NG8", "NG11"]),
];

/// Letters allowed in the inward code of a postcode.
pub const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

pub const CONTACT_REASONS: &[&str] = &[
    "Repair request",
    "Rent account query",
    "Anti-social behaviour report",
    "Housing benefit question",
    "Transfer request",
    "Adaptation enquiry",
    "Complaint",
    "Change of circumstances",
    "Bin collection",
    "Council tax query",
    "Blue Badge renewal",
];

pub const ETHNICITIES: &[&str] = &[
    "White: English, Welsh, Scottish, Northern Irish or British",
    "White: Irish",
    "White: Polish",
    "Asian or Asian British: Pakistani",
    "Asian or Asian British: Indian",
    "Asian or Asian British: Bangladeshi",
    "Black, Black British, Caribbean or African: African",
    "Black, Black British, Caribbean or African: Caribbean",
    "Asian or Asian British: Chinese",
    "Other ethnic group: Arab",
    "Mixed or Multiple ethnic groups",
];
