"""The tagger on the hard cases of news prose, canonicalisation and salience."""

from __future__ import annotations

import pytest
from news_digest.entities import VocabularyError, load_lexicon, tag_corpus
from news_digest.entities.lexicon import parse_vocabulary
from news_digest.entities.tagger import headline_case
from shipped_seed import ORGANIZATIONS, PEOPLE, PLACES, SEED

LEX = load_lexicon()


def tag(paragraphs, title="A story", lexicon=LEX):
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return tag_corpus([(title, paragraphs)], lexicon)[0]


def names(entities, kind=None):
    return sorted(e.name for e in entities if kind is None or e.type == kind)


def typed(entities):
    return {(e.name, e.type) for e in entities}


SEED_TITLE = "US will have no military cooperation with Russia in Syria: Mattis"


def test_the_shipped_seed(tmp_path):
    from news_digest.seeds import read_seed
    from news_digest.settings import DEFAULTS
    from sitebuild import ROOT

    seed = read_seed(ROOT / "seeds", SEED, DEFAULTS)
    entities = tag(list(seed.paragraphs), seed.title)
    assert set(names(entities, "person")) == PEOPLE
    assert set(names(entities, "place")) == PLACES
    assert set(names(entities, "organization")) == ORGANIZATIONS
    daesh = next(e for e in entities if e.name == "Islamic State")
    assert daesh.mentions == ("Daesh",)
    mattis = next(e for e in entities if e.name == "James Mattis")
    assert set(mattis.mentions) == {"James Mattis", "Mattis"}  # the headline's bare "Mattis"
    us = next(e for e in entities if e.name == "United States")
    assert {"US", "United States"} <= set(us.mentions)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Defense Secretary James Mattis spoke on Monday.", "James Mattis"),
        ("Secretary of State Mike Pompeo spoke on Monday.", "Mike Pompeo"),
        ("General Joe Votel spoke on Monday.", "Joe Votel"),
        ("US President Donald Trump spoke on Monday.", "Donald Trump"),
        ("Director of National Intelligence Dan Coats spoke.", "Dan Coats"),
        ("Chief Financial Officer Ned Segal spoke.", "Ned Segal"),
        ("Finnish President Sauli Niinistö hosted them.", "Sauli Niinistö"),
        ("Croatian President Kolinda Grabar-Kitarović watched.", "Kolinda Grabar-Kitarović"),
        ("Saudi Crown Prince Mohammed bin Salman met them.", "Mohammed bin Salman"),
    ],
)
def test_roles_before_names_make_people_and_are_not_part_of_the_name(text, person):
    entities = tag(text)
    assert person in names(entities, "person")
    assert not any(w in n for n in names(entities) for w in ("Secretary", "President", "General"))


def test_role_prefixes_are_entities_of_their_own():
    entities = tag(
        "European Commission President Jean-Claude Juncker met US President Donald Trump."
    )
    assert typed(entities) >= {
        ("European Commission", "organization"),
        ("Jean-Claude Juncker", "person"),
        ("United States", "place"),
        ("Donald Trump", "person"),
    }


def test_possessive_is_the_person_not_an_organisation():
    entities = tag(["Donald Trump arrived.", "Trump's summit with Putin ended."])
    assert ("Donald Trump", "person") in typed(entities)
    assert not any(e.type == "organization" for e in entities)
    trump = next(e for e in entities if e.name == "Donald Trump")
    assert "Trump" in trump.mentions


@pytest.mark.parametrize(
    "text",
    [
        "Meanwhile, the talks went on.",
        "On Friday, the talks went on.",
        "However, the State said nothing.",
        "Presently, nothing has changed.",
        "Now the Pentagon says so.",
        "“We will not,” he said. That has not happened yet.",
    ],
)
def test_sentence_initial_capitals_are_not_entities(text):
    bad = {"Meanwhile", "Friday", "On Friday", "However", "State", "Presently", "Now", "We", "That"}
    assert not set(names(tag(text))) & bad


def test_demonyms_are_not_entities():
    entities = tag(
        "Russian officials and Syrians met. The Russians left; an American envoy stayed."
    )
    assert names(entities) == []


def test_all_caps_headline_uses_the_body_and_the_lexicon():
    assert (
        headline_case("MATTIS SAYS NO TO RUSSIA AND THE UN", LEX)
        == "Mattis Says No To Russia And The UN"
    )
    entities = tag(
        ["Defense Secretary James Mattis said so."], title="MATTIS SAYS NO TO RUSSIA AND THE UN"
    )
    assert typed(entities) == {
        ("James Mattis", "person"),
        ("Russia", "place"),
        ("United Nations", "organization"),
    }
    assert all(e.salience > 0.3 for e in entities)  # headline mentions count


def test_title_case_headline_adds_no_new_entities():
    entities = tag(["Ministers met in Vienna."], title="Ministers Meet Again On Gas Supplies")
    assert names(entities) == ["Vienna"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The US said so.", "United States"),
        ("The U.S. said so.", "United States"),
        ("The United States said so.", "United States"),
        ("The UN said so.", "United Nations"),
        ("The EU said so.", "European Union"),
        ("The US-led coalition said so.", "United States"),
        ("A New York-based group said so.", "New York City"),
    ],
)
def test_abbreviations_canonicalise(text, name):
    assert name in names(tag(text))


def test_common_word_organisations():
    entities = tag(
        "Congress and the Pentagon disagreed, Press TV reported, as did the White House."
    )
    assert typed(entities) == {
        ("Congress", "organization"),
        ("Pentagon", "organization"),
        ("Press TV", "organization"),
        ("White House", "organization"),
    }


def test_particle_and_hyphenated_names():
    entities = tag("The government of Bashar al-Assad and Ursula von der Leyen disagreed.")
    assert {"Bashar al-Assad", "Ursula von der Leyen"} <= set(names(entities, "person"))


def test_surname_before_the_full_name_and_alone_in_the_headline():
    entities = tag(
        [
            "Mattis said on Tuesday that nothing had changed.",
            "Defense Secretary James Mattis added more.",
        ],
        title="Mattis rules out cooperation",
    )
    assert typed(entities) == {("James Mattis", "person")}
    assert next(iter(entities)).mentions == ("James Mattis", "Mattis")


def test_unknown_full_name_is_a_person_once_the_story_uses_the_surname():
    entities = tag(
        ["Officials met Dmytro Zhukovsky on Monday.", "Zhukovsky told reporters little."]
    )
    assert ("Dmytro Zhukovsky", "person") in typed(entities)
    unsure = tag(["Officials met Golden Harvest Trading on Monday."])
    assert names(unsure) == []


def test_surname_alone_resolves_across_the_corpus_when_unambiguous():
    stories = [
        ("One", ["Defense Secretary James Mattis spoke."]),
        ("Two", ["Mattis said nothing more on Tuesday."]),
        ("Three", ["Mr Clinton spoke.", "Bill Clinton and Hillary Clinton arrived."]),
        ("Four", ["Clinton said nothing."]),
    ]
    tagged = tag_corpus(stories, LEX)
    assert typed(tagged[1]) == {("James Mattis", "person")}
    assert not any(e.name.endswith("Clinton") for e in tagged[3])  # two Clintons: left alone


def test_a_surname_that_is_also_a_town_is_the_person():
    entities = tag(["Lewis Hamilton won in Monaco.", "Hamilton said the car was fast."])
    assert ("Lewis Hamilton", "person") in typed(entities)
    assert ("Hamilton", "place") not in typed(entities)


def test_organisations_by_their_endings_and_acronym_definitions():
    entities = tag(
        "The Democratic National Committee (DNC) and the Senate Foreign Relations Committee met. "
        "The DNC said the Competition and Markets Authority had ruled."
    )
    orgs = names(entities, "organization")
    assert "Democratic National Committee" in orgs
    assert "Senate Foreign Relations Committee" in orgs
    assert "Competition and Markets Authority" in orgs
    dnc = next(e for e in entities if e.name == "Democratic National Committee")
    assert "DNC" in dnc.mentions


def test_generic_government_bodies_are_left_out():
    assert names(tag("The Foreign Ministry and the Defence Ministry said so.")) == []


def test_salience_ranks_headline_and_lede_first():
    entities = tag(
        [
            "Defense Secretary James Mattis spoke in Washington about Syria.",
            "Syria was discussed. Syria again.",
            "A reporter from Moscow asked a question.",
        ],
        title="Mattis speaks on Syria",
    )
    ranked = [e.name for e in entities]
    assert ranked[:2] == ["Syria", "James Mattis"]
    assert ranked[-1] == "Moscow"
    assert all(0 <= e.salience <= 1 for e in entities)


def test_deterministic():
    stories = [
        (f"Story {i}", ["Vladimir Putin met Donald Trump in Helsinki.", "Putin spoke."])
        for i in range(5)
    ]
    assert tag_corpus(stories, LEX) == tag_corpus(list(stories), load_lexicon.__wrapped__())


def test_vocabulary_aliases_types_blocked_and_display():
    vocabulary = """
blocked = ["Helsinki"]

[entities."Islamic State"]
aliases = ["IS militants"]
description = "A jihadist group."
link = "https://en.wikipedia.org/wiki/Islamic_State"

[entities."Washington"]
type = "organization"

[entities."Joe Votel"]
type = "person"
display = "Gen. Joseph Votel"

[entities."Zorblax Quantum"]
type = "organization"
aliases = ["Zorblax"]
"""
    lex = load_lexicon(vocabulary)
    entities = tag(
        "Washington said General Joe Votel met Zorblax in Helsinki; IS militants and Daesh fled.",
        lexicon=lex,
    )
    assert typed(entities) == {
        ("Washington", "organization"),
        ("Joe Votel", "person"),
        ("Zorblax Quantum", "organization"),
        ("Islamic State", "organization"),
    }
    votel = next(e for e in entities if e.name == "Joe Votel")
    assert votel.label == "Gen. Joseph Votel"
    assert lex.link["Islamic State"].startswith("https://")
    assert LEX.lookup("Washington").type == "place"  # the built-in lexicon is untouched


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("blocked = 'x'", "list of strings"),
        ("[entities.X]\ntype = 'planet'", "type must be one of"),
        ("[entities.X]\ncolour = 'red'", "unknown key"),
        ("[entities.X]\nlink = 'javascript:alert(1)'", "http"),
        ("nonsense = = 1", "not valid TOML"),
        ("[entities.'Nobody Known']\naliases = ['NK']", "give its type"),
    ],
)
def test_vocabulary_errors_name_the_reason(text, reason):
    with pytest.raises(VocabularyError, match=reason):
        parse_vocabulary(text) and load_lexicon.__wrapped__(text)
