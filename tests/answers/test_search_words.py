"""Search words (answers.searchwords) and the don't-know rule: the cases the evaluation set missed before."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from answers.index import store
from answers.searchwords import SearchWords, matches, question_stems, stem
from answers.services import embeddings_refresh
from services_catalog.local.services import service_adopt
from tenants.models import Municipality
from tests.answers.conftest import local_article, seed_service
from tests.answers.test_answers import ask

pytestmark = pytest.mark.django_db


def found(documents: dict[str, tuple[str, ...]], question: str) -> dict[str, float]:
    words = SearchWords.of(documents.values())
    keys = list(documents)
    return {keys[index]: score for index, score in words.scores(question).items()}


def test_inflections_compounds_and_typos_match_a_search_word() -> None:
    assert stem("Fernseher") == stem("Fernsehern") and stem("alten") == stem("alter")
    assert stem("Ummeldung") == stem("ummelden")
    assert matches(stem("Dorffest"), stem("Fest"))  # the head of a compound
    assert matches(stem("Sperrmüllabholung"), stem("Sperrmüll"))  # its first part
    assert matches(stem("verlohren"), stem("verloren"))  # one typo
    assert not matches(stem("anmelden"), stem("abmelden"))  # a prefix is no typo: opposites
    assert not matches(stem("ummelden"), stem("melden"))  # nor a compound


def test_a_search_word_counts_when_all_its_words_are_in_the_question() -> None:
    documents = {
        "dogs": ("Hundesteuer", "Hund anmelden"),
        "waste": ("Gartenabfälle", "alter Fernseher"),
        "festival": ("Dorffest",),
    }
    assert set(found(documents, "hunde steuer bezahlen")) == {"dogs"}  # a compound split apart
    assert set(found(documents, "Wo kann ich meinen alten Fernseher abgeben?")) == {"waste"}
    assert set(found(documents, "Fernseher kaufen")) == set()  # "alter" is missing
    assert set(found(documents, "Dorffest planen")) == {"festival"}


def test_the_longest_match_wins() -> None:
    documents = {"lost-property": ("verloren", "Ausweis"), "benefits": ("Job verloren",), "parking": ("Parkausweis",)}
    scores = found(documents, "Ich habe meinen Job verloren")
    assert scores["benefits"] > scores["lost-property"]
    # A word of the question that is a search word itself stands for that one only.
    assert set(found(documents, "Ich brauche einen Parkausweis")) == {"parking"}


def test_a_separable_verb_is_joined_and_a_purpose_weighs_less() -> None:
    assert ("aufgeb", True, 1.0) in question_stems("ich gebe meinen Laden auf")
    stems = {word: part for word, _joined, part in question_stems("Wohnsitzbestätigung fürs Jobcenter")}
    assert stems[stem("Wohnsitzbestätigung")] == 1.0 and stems[stem("Jobcenter")] == 0.5


def test_a_job_loss_is_no_lost_property(answers_ready: None) -> None:
    """Without the catalogue's Bürgergeld the platform cannot answer it: "don't know" with contacts, not the
    lost-property office that "verloren" alone would suggest."""
    card = ask("gera", "Ich habe meinen Job verloren und kein Geld mehr")
    assert card["status"] == "unsure" and card["topic"] == ""
    assert card["contact"]["phone_115"] == "115"  # type: ignore[index]


def test_a_job_loss_finds_buergergeld_where_the_catalogue_has_it(answers_ready: None) -> None:
    seed_service("buergergeld")
    embeddings_refresh()
    store.clear()
    assert ask("gera", "Ich habe meinen Job verloren und kein Geld mehr")["topic"] == "service:buergergeld"
    assert ask("gera", "Schlüssel verloren")["topic"] == "service:fundsache"


def test_garden_waste_and_an_old_tv_find_the_local_articles(answers_ready: None) -> None:
    local_article(
        "gera",
        slug="gruengut",
        title_de="Grüngutannahme",
        body_de="Rasenschnitt, Laub und Strauchschnitt nimmt der Bauhof samstags an.",
        keywords="Grünschnitt, Rasenschnitt, Gartenabfälle",
        source="Stadt Gera",
    )
    local_article(
        "gera",
        slug="wertstoffhof",
        title_de="Wertstoffhof",
        body_de="Am Wertstoffhof geben Sie Elektrogeräte und Altholz ab.",
        keywords="Recyclinghof, Elektroschrott, alter Fernseher",
        source="Stadt Gera",
    )
    store.clear()
    assert ask("gera", "Gartenabfälle entsorgen")["topic"] == "local_article:gruengut"
    assert ask("gera", "Wo kann ich meinen alten Fernseher abgeben?")["topic"] == "local_article:wertstoffhof"


def test_a_search_word_makes_a_short_question_sure(answers_ready: None) -> None:
    card = ask("gera", "Fahrrad gefunden wohin damit")
    assert card["status"] == "answer" and card["topic"] == "service:fundsache"


@pytest.mark.parametrize("question", ["Kannst du mir ein gutes Restaurant empfehlen?", "Ist mein Nachbar verheiratet?"])
def test_recommendations_and_a_neighbours_affairs_are_not_answered(answers_ready: None, question: str) -> None:
    card = ask("gera", question)
    assert card["status"] == "unsure" and card["contact"]["phone_115"] == "115"  # type: ignore[index]


def test_a_neighbour_question_with_a_search_word_is_answered(answers_ready: None, gera: Municipality) -> None:
    definition = seed_service("kfz-umschreibung")
    embeddings_refresh()
    with schema_context(gera.schema_name):
        service_adopt(definition=definition, office_name="Kfz-Zulassung Gera", office_phone="0365 222")
    store.clear()
    card = ask("gera", "Gebrauchtwagen vom Nachbarn gekauft, was muss ich jetzt machen?")
    assert card["topic"] == "service:kfz-umschreibung"
