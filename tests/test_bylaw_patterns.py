"""Each pattern of the importer (src/optionsmodell/bylaws/patterns.yaml and the number reader) on the
phrasing it is for, and on the phrasing it must not take. Sentences are written in the style of NRW
bylaws for these tests; the real passages are in tests/data/bylaws (test_bylaw_corpus.py)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from optionsmodell.bylaws.extract import kind_mentions, patterns, read_all, read_kind
from optionsmodell.bylaws.importer import import_bylaws
from optionsmodell.bylaws.numbers import fold, quantities, word_value
from optionsmodell.bylaws.sentences import match_form, split


def facts_of(text: str) -> dict[str, Any]:
    readings, _ = read_all(split(text, "t.txt"))
    out: dict[str, Any] = {}
    for r in readings:
        out.setdefault(r.key, r.value)
    return out


# -- numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "value"), [
    ("eins", 1), ("zwei", 2), ("zwo", 2), ("drei", 3), ("vier", 4), ("fünf", 5), ("fuenf", 5), ("sechs", 6),
    ("sieben", 7), ("acht", 8), ("neun", 9), ("zehn", 10), ("elf", 11), ("zwölf", 12), ("zwoelf", 12),
    ("dreizehn", 13), ("sechzehn", 16), ("siebzehn", 17), ("neunzehn", 19), ("zwanzig", 20),
    ("einundzwanzig", 21), ("zweiundzwanzig", 22), ("dreißig", 30), ("dreissig", 30), ("dreiunddreißig", 33),
    ("vierzig", 40), ("fünfundvierzig", 45), ("fünfzig", 50), ("sechzig", 60), ("siebzig", 70), ("achtzig", 80),
    ("neunundneunzig", 99), ("hundert", 100), ("einhundert", 100), ("hunderteins", 101),
    ("hundertundeins", 101), ("hundertzwölf", 112), ("zweihundert", 200), ("tausend", 1000), ("Zwölf", 12),
])
def test_number_words_old_and_new_spelling(word: str, value: int) -> None:
    assert word_value(word) == value


@pytest.mark.parametrize("word", ["Integrationsrat", "Mitglieder", "hundertx", "und", ""])
def test_no_number_words(word: str) -> None:
    assert word_value(word) is None


def q(text: str) -> list[tuple[int | None, Fraction | None, str | None]]:
    return [(x.value, x.fraction, x.bound) for x in quantities(match_form(text))]


@pytest.mark.parametrize(("text", "expected"), [
    ("aus 14 gewählten Mitgliedern und aus sieben Ratsmitgliedern", [(14, None, None), (7, None, None)]),
    ("zu einem Drittel bestellt, zu zwei Dritteln gewählt", [(None, Fraction(1, 3), None), (None, Fraction(2, 3), None)]),
    ("zur Hälfte aus Ratsmitgliedern", [(None, Fraction(1, 2), None)]),
    ("die Hälfte der Mitglieder", [(None, Fraction(1, 2), None)]),
    ("ein Viertel sachkundige Bürger", [(None, Fraction(1, 4), None)]),
    ("drei Viertel der Sitze", [(None, Fraction(3, 4), None)]),
    ("mit 2/3 gewählten Migrantenvertretern", [(None, Fraction(2, 3), None)]),
    ("mindestens 5.000 ausländische Einwohner", [(5000, None, "min")]),
    ("höchstens zehn Mitglieder", [(10, None, "max")]),
    ("hoechstens zehn Mitglieder", [(10, None, "max")]),
    ("bis zu zwei Ratsmitglieder", [(2, None, "max")]),
    ("besteht zurzeit aus insgesamt 12 Mitgliedern", [(12, None, "current")]),
    ("am 14. September 2025 gewählt", [(2025, None, None)]),
    ("Beschluss vom 05.10.2009", []),
    ("gemäß § 27 Abs. 2 Satz 1 GO NRW", []),
    ("ein Integrationsrat", []),
    ("ein weiteres Mitglied", [(1, None, None)]),
    ("die dritte Lesung", []),
    ("acht Personen", [(8, None, None)]),
])
def test_quantities(text: str, expected: list[Any]) -> None:
    assert q(text) == expected


def test_fold_and_gender_forms() -> None:
    assert fold("Ausschuß für Größe") == "ausschuss fuer groesse"
    assert match_form("Vertreter*innen und Bürger/innen") == "vertreter und buerger"
    assert match_form("Vertreterinnen und Vertreter des Rates") == "vertreter des rates"
    assert match_form("MigrantenvertreterInnen") == "migrantenvertreter"


# -- sentences ---------------------------------------------------------------------------------------

def test_sentence_places() -> None:
    text = ("§ 9 Integrationsrat\n\n(1) Der Integrationsrat besteht aus 15 Mitgliedern. Davon werden z. B. zehn "
            "Mitglieder gewählt.\n(2) Den Vorsitz führt ein Ratsmitglied.\n")
    ss = split(text, "h.txt")
    assert [(s.section, s.absatz, s.number) for s in ss] == [("§ 9", "1", 1), ("§ 9", "1", 2), ("§ 9", "2", 1)]
    assert ss[2].where() == "§ 9 Abs. 2 Satz 1 (Zeile 4)"


def test_superscript_sentence_numbers_and_wrapped_lines() -> None:
    text = ("§ 1 Geltung\n(1) 1Diese Ordnung gilt für die Wahl. 2Gemäß § 9 der Hauptsatzung werden von den insgesamt 27 Mitgliedern\n"
            "18 Mitglieder direkt gewählt und 9 Mitglieder aus der Mitte des Rates entsandt.\n")
    ss = split(text, "w.txt")
    assert [s.number for s in ss] == [1, 2] and ss[1].text.startswith("Gemäß § 9")
    assert ss[1].text.endswith("entsandt.")


def test_statute_quotations_are_marked() -> None:
    text = ("Rechtsgrundlagen\nDer § 27 Gemeindeordnung NRW\n(1) In einer Gemeinde, in der mindestens 5000 ausländische "
            "Einwohner ihre Hauptwohnung haben, ist ein Integrationsrat zu bilden.\n")
    ss = split(text, "s.txt")
    assert ss[-1].statute and not ss[0].statute


def test_alternatives_are_marked() -> None:
    text = "a) Der Rat bildet einen Integrationsrat.\n\noder\n\nb) Der Rat bildet einen Integrationsausschuss.\n"
    assert [s.alternative for s in split(text, "v.txt")] == ["a", "b"]


# -- kinds --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "kind"), [
    ("Der Integrationsrat besteht aus 21 Mitgliedern.", "integrationsrat"),
    ("Die Mitglieder des Integrationsrates werden gewählt.", "integrationsrat"),
    ("Der Integrationsausschuss besteht aus 15 Mitgliedern.", "integrationsausschuss"),
    ("Der Integrationsausschuß besteht aus 15 Mitgliedern.", "integrationsausschuss"),
    ("Der Ausschuss für Chancengerechtigkeit und Integration besteht aus 27 Mitgliedern.",
     "ausschuss-chancengerechtigkeit-integration"),
    ("Der Ausschuß für Chancengerechtigkeit besteht aus 27 Mitgliedern.", "ausschuss-chancengerechtigkeit-integration"),
])
def test_kinds(text: str, kind: str) -> None:
    assert [r.value for r in read_kind(split(text, "k.txt"))] == [kind]


@pytest.mark.parametrize("text", [
    "Der neue Ausschuss löst den bisherigen Integrationsrat ab.",
    "Anstelle eines Integrationsrates wird gebildet.",
    "Der Landesintegrationsrat tagt in Düsseldorf.",
])
def test_kind_mentions_that_are_not_the_body(text: str) -> None:
    assert all(k != "integrationsrat" for _, k in kind_mentions(split(text, "k.txt")[0]))


# -- seats ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "seats"), [
    ("Der Integrationsrat besteht aus 14 gewählten Mitgliedern und aus sieben vom Rat bestellten Ratsmitgliedern.",
     {"directly_elected": 14, "council_members": 7}),
    ("Der Integrationsrat besteht aus 33 Mitgliedern. Die Mitglieder werden vom Rat zu einem Drittel aus seiner Mitte "
     "bestellt, zu zwei Dritteln nach Listen gewählt.", {"directly_elected": 22, "council_members": 11}),
    ("Von den insgesamt 27 Mitgliedern werden 18 Mitglieder direkt gewählt und 9 ebenso stimmberechtigte Mitglieder "
     "aus der Mitte des Rates entsandt.", {"directly_elected": 18, "council_members": 9}),
    ("Der Integrationsausschuss setzt sich aus elf direkt gewählten Mitgliedern, sechs Ratsmitgliedern und vier "
     "sachkundigen Bürgern zusammen.", {"directly_elected": 11, "council_members": 6, "sachkundige_buerger": 4}),
    ("Dem Ausschuss gehören zehn direkt gewählte Mitglieder, sieben Ratsmitglieder und zwei sachkundige Einwohner an.",
     {"directly_elected": 10, "council_members": 7, "sachkundige_einwohner": 2}),
    ("Der Integrationsrat besteht aus 12 Mitgliedern; hinzu kommen drei beratende Mitglieder. Acht Mitglieder werden "
     "direkt gewählt, vier Mitglieder entsendet der Rat aus der Mitte des Rates.", None),
    ("Der Integrationsrat besteht aus 20 Mitgliedern, davon zur Hälfte direkt gewählte Mitglieder und zur Hälfte "
     "Ratsmitglieder.", {"directly_elected": 10, "council_members": 10}),
    ("15 der 25 Mitglieder wurden direkt, die anderen zehn Ratsmitglieder vom Stadtrat gewählt.",
     {"directly_elected": 15, "council_members": 10}),
    ("Der Integrationsausschuss setzt sich aus 10 Politiker*innen des Stadtrates zusammen und aus 15 gewählten "
     "Vertreter*innen, die direkt in der Wahl bestimmt werden.", {"directly_elected": 15, "council_members": 10}),
    ("Der Ausschuss besteht aus 27 Mitgliedern. Zwei Drittel (18 Personen) sind direkt gewählte Mitglieder, ein "
     "Drittel (9 Personen) sind Ratsmitglieder.", {"directly_elected": 18, "council_members": 9}),
    ("Der Integrationsrat besteht aus fünfunddreißig Mitgliedern, davon dreiundzwanzig direkt gewählte und "
     "zwölf vom Rat bestellte Mitglieder.", {"directly_elected": 23, "council_members": 12}),
    ("Der Integrationsrat besteht aus 15 Mitgliedern. 10 Mitglieder werden in allgemeiner, unmittelbarer, freier, "
     "gleicher und geheimer Wahl gewählt. 5 Mitglieder bestellt der Rat aus seiner Mitte.",
     {"directly_elected": 10, "council_members": 5}),
    ("Die Zahl der direkt zu wählenden Mitglieder beträgt 12. Die Zahl der vom Rat zu bestellenden Ratsmitglieder beträgt 6.",
     {"directly_elected": 12, "council_members": 6}),
    ("Der Integrationsrat hat 21 Mitglieder. Davon werden 14 direkt gewählt und 7 vom Rat aus seiner Mitte bestellt.",
     {"directly_elected": 14, "council_members": 7}),
    ("Der Integrationsrat besteht aus 12 (zwölf) direkt gewählten Mitgliedern und 6 (sechs) Ratsmitgliedern.",
     {"directly_elected": 12, "council_members": 6}),
])
def test_seats(text: str, seats: dict[str, int] | None) -> None:
    got = {k.split(".", 1)[1]: v for k, v in facts_of(text).items() if k.startswith("seats.") and k != "seats.total"}
    if seats is None:
        got.pop("advisory", None)
        assert got == {"directly_elected": 8, "council_members": 4}
    else:
        assert got == seats


@pytest.mark.parametrize("text", [
    "Der Integrationsrat setzt sich zu zwei Dritteln aus direkt gewählten Mitgliedern und zu einem Drittel aus Ratsmitgliedern zusammen.",
    "Bis zu zehn Vertreter werden direkt gewählt. Fünf weitere Mitglieder werden vom Rat entsandt.",
    "In einer Gemeinde, in der mindestens 5000 ausländische Einwohner ihre Hauptwohnung haben, ist ein Integrationsrat zu bilden.",
    "Die Vorsitzende und ihre fünf Stellvertreter werden von allen Mitgliedern aus der Mitte des Integrationsrates gewählt.",
    "Wählen dürfen alle, die mindestens 16 Jahre alt sind und seit 3 Monaten in der Stadt wohnen.",
    "Der Integrationsrat wurde am 13. September 2020 gewählt.",
])
def test_no_seat_counts_invented(text: str) -> None:
    draft = import_bylaws_text(text)
    assert not any(k.startswith("seats.") for k in draft.facts)


def import_bylaws_text(text: str, tmp: Any = None) -> Any:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "t.txt"
        p.write_text("Integrationsrat\n\n" + text + "\n", encoding="utf-8")
        return import_bylaws([p], name="X")


def test_groups_that_do_not_add_up_are_withheld() -> None:
    draft = import_bylaws_text("Der Integrationsrat besteht aus 30 Mitgliedern, davon 14 gewählte Mitglieder und sieben Ratsmitglieder.")
    assert "seats.directly_elected" not in draft.facts
    assert any("add up to 21" in i.reason for i in draft.withheld)


def test_an_open_group_withholds_the_counts() -> None:
    draft = import_bylaws_text("Der Integrationsausschuss besteht aus zehn direkt gewählten Mitgliedern und fünf Ratsmitgliedern. "
                               "Anstelle von bis zu zwei Ratsmitgliedern können sachkundige Bürger bestellt werden.")
    assert not any(k.startswith("seats.") for k in draft.facts)


# -- voting, chair, Beratungsfolge, election, formation, powers ---------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Das Gremium besteht aus 27 stimmberechtigten Mitgliedern (18 gewählten Migranten, neun Ratsmitgliedern).",
     {"voting.directly_elected": "full", "voting.council_members": "full"}),
    ("Von den 27 Mitgliedern werden 18 Mitglieder direkt gewählt und 9 ebenso stimmberechtigte Mitglieder aus der "
     "Mitte des Rates entsandt.", {"voting.directly_elected": "full", "voting.council_members": "full"}),
    ("Dem Ausschuss gehören zehn direkt gewählte Mitglieder, sieben Ratsmitglieder und zwei sachkundige Bürger mit "
     "beratender Stimme an.", {"voting.sachkundige_buerger": "advisory"}),
    ("Der Ausschuss besteht aus 10 direkt gewählten Mitgliedern, die bei den ihm zur Entscheidung übertragenen "
     "Angelegenheiten nicht stimmberechtigt sind, und elf Ratsmitgliedern.", {"voting.directly_elected": "none_on_delegated"}),
    ("Die sachkundigen Bürger haben kein Stimmrecht.", {"voting.sachkundige_buerger": "advisory"}),
    ("Die direkt gewählten Mitglieder haben bei Angelegenheiten, die dem Ausschuss zur Entscheidung übertragen sind, "
     "kein Stimmrecht.", {"voting.directly_elected": "none_on_delegated"}),
    ("Der Integrationsrat besteht aus 18 direkt gewählten Mitgliedern und 9 Ratsmitgliedern. Alle Mitglieder sind "
     "stimmberechtigt.", {"voting.directly_elected": "full", "voting.council_members": "full"}),
])
def test_voting(text: str, expected: dict[str, str]) -> None:
    got = facts_of(text)
    for k, v in expected.items():
        assert got.get(k) == v, (k, got)


@pytest.mark.parametrize(("text", "chair"), [
    ("Den Vorsitz im Integrationsausschuss führt ein Ratsmitglied.", "council_members"),
    ("Der Vorsitzende wird aus den Ratsmitgliedern gewählt.", "council_members"),
    ("Die oder der Vorsitzende wird aus der Mitte der direkt gewählten Mitglieder gewählt.", "directly_elected"),
    ("Den Vorsitz führt der Bürgermeister.", "mayor"),
    ("Den Vorsitz führt ein vom Rat bestimmtes Ratsmitglied.", "council_members"),
    ("Der Integrationsrat wählt aus der Mitte seiner direkt gewählten Mitglieder den Vorsitzenden.", "directly_elected"),
    ("Die Oberbürgermeisterin führt den Vorsitz.", "mayor"),
    ("Die/der Vorsitzende wird von allen Mitgliedern aus der Mitte des Integrationsrates gewählt.", None),
    ("Sein Vorsitzender ist Turhan Tuncel.", None),
])
def test_chair(text: str, chair: str | None) -> None:
    assert facts_of(text).get("chair") == chair


@pytest.mark.parametrize(("text", "value"), [
    ("Der Integrationsausschuss ist in die Beratungsfolge des Rates aufgenommen.", True),
    ("Der Ausschuss ist in die Beratung von Vorlagen an den Rat einzubinden.", True),
    ("Der Integrationsrat wird nicht in die Beratungsfolge aufgenommen.", False),
    ("Der Integrationsrat berät die Verwaltung.", None),
])
def test_deliberation_sequence(text: str, value: bool | None) -> None:
    assert facts_of(text).get("in_deliberation_sequence") == value


@pytest.mark.parametrize(("text", "value"), [
    ("Die Wahl findet am Tag der Kommunalwahl statt.", True),
    ("Die Wahl findet am selben Tag wie die Kommunalwahl statt.", True),
    ("Die Wahl findet am Wahltag der Kommunalwahl statt.", True),
    ("Die Wahlen finden immer zeitgleich mit der Kommunalwahl statt.", True),
    ("Zusammen mit den Kommunalwahlen wurde der Ausschuss gewählt.", True),
    ("Die Wahl findet nicht am Tag der Kommunalwahl statt.", False),
    ("Die Wahl findet am 14. September statt.", None),
])
def test_election_on_local_election_day(text: str, value: bool | None) -> None:
    assert facts_of(text).get("election.with_local_election") == value


@pytest.mark.parametrize(("text", "value"), [
    ("Der Integrationsrat wird gebildet, indem die Mitglieder direkt gewählt werden und die Ratsmitglieder hinzutreten.", "election"),
    ("Der Rat beschließt, anstelle eines Integrationsrates einen Integrationsausschuss zu bilden.", "council_resolution"),
    ("Der Integrationsausschuss wird durch Beschluss des Rates gebildet.", "council_resolution"),
    ("Der Rat bildet gemäß § 27 Abs. 12 GO NRW anstelle eines Integrationsrates einen Integrationsausschuss.", "council_resolution"),
    ("Der Rat beschließt, einen Integrationsrat zu bilden.", None),
])
def test_formed_by(text: str, value: str | None) -> None:
    assert facts_of(text).get("formed_by") == value


@pytest.mark.parametrize(("text", "matter"), [
    ("Dem Integrationsausschuss wird die Entscheidung über die Vergabe der Mittel für Integrationsprojekte übertragen.",
     "die Vergabe der Mittel für Integrationsprojekte"),
    ("Der Rat überträgt dem Integrationsausschuss die Förderung von Migrantenselbstorganisationen zur Entscheidung übertragen.",
     None),
    ("Der Ausschuss entscheidet abschließend über die Vergabe von Zuschüssen an Vereine.", "die Vergabe von Zuschüssen an Vereine"),
    ("Der Rat überträgt dem Integrationsausschuss folgende Angelegenheiten zur Entscheidung: die Vergabe von Zuschüssen.",
     "die Vergabe von Zuschüssen"),
])
def test_delegated_decisions(text: str, matter: str | None) -> None:
    power = facts_of(text).get("powers")
    assert power is not None and power["kind"] == "decision"
    if matter is not None:
        assert power["matter"] == matter


@pytest.mark.parametrize("text", [
    "Der Integrationsrat berät über die Angelegenheiten, die ihm vorgelegt werden.",
    "Die direkt gewählten Mitglieder haben bei Angelegenheiten, die dem Ausschuss zur Entscheidung übertragen sind, kein Stimmrecht.",
])
def test_no_delegated_decision(text: str) -> None:
    assert "powers" not in facts_of(text)


@pytest.mark.parametrize(("text", "key", "value"), [
    ("Die Mitglieder werden vom Rat aus seiner Mitte bestellt.", "appointment.from_council_members", True),
    ("Neun Mitglieder werden aus der Mitte des Rates entsandt.", "appointment.from_council_members", True),
    ("Für die vom Rat entsandten Mitglieder ist die Bestellung von Stellvertretungen durch den Rat zulässig.", "appointment.substitutes", True),
    ("Für jedes Mitglied ist ein stellvertretendes Mitglied zulässig.", "election.substitutes", True),
    ("Für jedes direkt gewählte Mitglied kann eine persönliche Stellvertretung benannt werden, die mit dem Mitglied mitgewählt wird.",
     "election.substitutes", True),
    ("Gewählt wird nach Listen oder als Einzelbewerberin/Einzelbewerber.", "election.single_candidates", True),
    ("Wahlberechtigt sind alle, die mindestens 16 Jahre alt sind.", "election.voting_age", 16),
    ("Wählbar ist, wer am Wahltag das 18. Lebensjahr vollendet hat.", "election.eligibility_age", 18),
    ("Der Integrationsrat regelt seine inneren Angelegenheiten durch eine Geschäftsordnung.", "rules_of_procedure", "own"),
    ("Der Integrationsrat gibt sich eine Geschäftsordnung.", "rules_of_procedure", "own"),
    ("Er kann sich mit allen Angelegenheiten der Gemeinde befassen.", "rights.any_municipal_matter", True),
    ("Der Integrationsrat kann sich mit allen gemeindlichen Angelegenheiten befassen.", "rights.any_municipal_matter", True),
    ("Auf Antrag des Integrationsrates ist eine Anregung oder Stellungnahme dem Rat vorzulegen.", "rights.proposals_submitted", True),
    ("Der Integrationsrat soll zu Fragen, die ihm vom Rat vorgelegt werden, Stellung nehmen.", "rights.opinions_on_referrals", True),
    ("Die oder der Vorsitzende kann an den Sitzungen des Rates teilnehmen und erhält auf Wunsch das Wort.", "rights.chair_may_speak", True),
    ("Dem Integrationsrat werden die zur Erfüllung seiner Aufgaben erforderlichen Mittel zur Verfügung gestellt.", "funds.necessary_funds", True),
])
def test_flags(text: str, key: str, value: Any) -> None:
    assert facts_of(text).get(key) == value


@pytest.mark.parametrize(("text", "key"), [
    ("Wählbar ist, wer mindestens 18 Jahre alt ist.", "election.voting_age"),
    ("Wahlberechtigt ist, wer mindestens 16 Jahre alt ist.", "election.eligibility_age"),
    ("Die Mitglieder des Integrationsrates wählen aus ihrer Mitte einen Vorsitzenden.", "appointment.from_council_members"),
])
def test_flags_not_taken(text: str, key: str) -> None:
    assert key not in facts_of(text)


def test_every_pattern_is_valid_and_tested() -> None:
    """Each entry of patterns.yaml compiles, and its name appears in this file's tests."""
    from importlib import resources

    raw = yaml.safe_load(resources.files("optionsmodell.bylaws").joinpath("patterns.yaml").read_text(encoding="utf-8"))
    p = patterns()
    assert len(p.kinds) == 3 and len(p.groups) == 5 and len(p.chair) == 3
    this = Path(__file__).read_text(encoding="utf-8")
    for flag in raw["flags"]:
        assert f'"{flag["key"]}"' in this, flag["key"]
    for group in raw["groups"]:
        for cue in group["cues"]:
            re.compile(cue)
        assert group["group"] in this


def test_ordinals_do_not_end_sentences_but_counts_do() -> None:
    ss = split("Auszug aus der 13. Satzung zur Änderung vom 1. Januar 2020. Die Zahl der Mitglieder beträgt 12. Sie gilt.", "o.txt")
    assert [s.text for s in ss] == ["Auszug aus der 13. Satzung zur Änderung vom 1. Januar 2020.",
                                    "Die Zahl der Mitglieder beträgt 12.", "Sie gilt."]


def test_rights_keys_are_written_once_the_format_has_them() -> None:
    """The § 27 Abs. 7-10 keys come from the satzung-rights branch: written where the installed format
    has the key, else listed as withheld with their sentence, never silently dropped."""
    from optionsmodell.configuration import Body

    draft = import_bylaws_text("Der Integrationsrat kann sich mit allen Angelegenheiten der Gemeinde befassen.")
    if "rights" in Body.model_fields:
        assert draft.body()["rights"] == {"any_municipal_matter": True}
    else:
        issue = next(i for i in draft.withheld if i.key == "rights.any_municipal_matter")
        assert issue.reason.startswith("not a key of the installed") and issue.readings
    assert draft.stated()["rights.any_municipal_matter"] is True


def test_the_councils_own_size_is_no_seat_count() -> None:
    text = ("§ 2 Rat\n(1) Der Rat besteht aus 52 Ratsmitgliedern.\n\n§ 9 Integrationsrat\n(1) Der Integrationsrat besteht "
            "aus 15 Mitgliedern. Die Mitglieder werden zu einem Drittel vom Rat aus seiner Mitte bestellt, zu zwei "
            "Dritteln direkt gewählt.\n")
    got = {k: v for k, v in facts_of(text).items() if k.startswith("seats.")}
    assert got == {"seats.total": 15, "seats.council_members": 5, "seats.directly_elected": 10}
    assert "seats.council_members" not in facts_of("Der Rat der Stadt Musterstadt besteht aus 44 Ratsmitgliedern.")
