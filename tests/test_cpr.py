"""agenda.cpr: CPR numbers are found in Danish text; case numbers, phones and dates are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agenda.cpr import OTHER_WORDS, birth_date, contains_cpr, find_cpr_numbers, mask_cpr, modulus_11
from tests.hypothesis_budget import examples

# -- examples ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("CPR-nr. 160424-1234.", ["160424-xxxx"]),
        ("cpr 1604241234, bopæl Køge", ["160424-xxxx"]),
        ("(010180-4321)", ["010180-xxxx"]),
        ("Borgeren, 311299‐0001, klager", ["311299-xxxx"]),  # U+2010 from a PDF
        ("CPR:290224-4000", ["290224-xxxx"]),  # 2024 is a leap year (digit 4 → 2000s)
        ("a 010101-1111 og b 020202-2222", ["010101-xxxx", "020202-xxxx"]),
        # no label: a valid date is enough (modulus 11 is not required since 2007)
        ("Borgeren 311299-0001 har klaget", ["311299-xxxx"]),
        # a CPR word wins over any other label, and allows a space as separator
        ("Tlf. og CPR: 311299-0001", ["311299-xxxx"]),
        ("CPR-nr. 160424 1234", ["160424-xxxx"]),
        ("personnummer\u00a0160424\u00a01234", ["160424-xxxx"]),
        # a label does not wave through a number that passes modulus 11
        ("Faktura 160424-1231", ["160424-xxxx"]),
        ("Konto 3100 0101801233", ["010180-xxxx"]),
        # the label is on another line or too many words away
        ("Konto:\n0101901234", ["010190-xxxx"]),
        ("Faktura sendt til borgeren med 311299-0001", ["311299-xxxx"]),
        # only a four-digit group in front is a registration number
        ("Række 12 0101901234 og 123 0101901234", ["010190-xxxx", "010190-xxxx"]),
    ],
)
def test_finds_cpr_numbers(text: str, masked: list[str]) -> None:
    assert [m.masked for m in find_cpr_numbers(text)] == masked


@pytest.mark.parametrize(
    "text",
    [
        "Sagsnummer 24/04521",
        "sag 24/04521-12 og 24/00123",
        "Ring på 33 70 33 70 eller +45 33703370",
        "+4512345678",
        "Mødet er 16-04-2024 kl. 10.00, 16.04.2024 eller 2024-04-16",
        "320124-1234",  # no 32nd
        "011324-1234",  # no 13th month
        "290223-1234",  # 1923 was not a leap year
        "300224-4000",  # no 30 February
        "Beløbet 1.604.241.234 kr. og 1604241234,50 kr.",
        "ABC1604241234 og 1604241234XY",
        "16042412345 er for langt, 160424123 for kort",
        "160424 1234 skrevet med mellemrum",
        "EAN 5790000123456",
        # labelled as something else, valid date, failing modulus 11
        "Konto 3100 0101901234",
        "Faktura 311299-0001",
        "Fakturanr.: 311299-0001",
        "Kontonr. 0101901234",
        "Reg.nr. 3100 konto 0101901234",
        "Tlf. 0101901234",
        "Ordre nr. 311299-0001",
        "Sagsnr. 311299-0001",
        "CVR 0101901234, EAN 0101901234, P-nr. 0101901234, løbenr. 0101901234",
        # a four-digit group glued on with a space: reg.nr. and account without a label
        "overføres til 3100 0101901234",
        # a space between the groups counts only after a CPR word
        "tlf 160424 1234",
    ],
)
def test_ignores_what_only_looks_similar(text: str) -> None:
    assert find_cpr_numbers(text) == []


#: Printed as nothing (reportlab and Word drop them), so the number reads whole.
INVISIBLE = {
    "soft-hyphen": "\u00ad",
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "left-to-right-mark": "\u200e",
    "right-to-left-mark": "\u200f",
    "word-joiner": "\u2060",
    "invisible-times": "\u2062",
    "invisible-plus": "\u2064",
    "byte-order-mark": "\ufeff",
    "bidi-embedding": "\u202a",
    "bidi-override": "\u202e",
    "bidi-isolate": "\u2066",
    "arabic-letter-mark": "\u061c",
}


@pytest.mark.parametrize("mark", INVISIBLE.values(), ids=INVISIBLE.keys())
@pytest.mark.parametrize(
    "written",
    ["0101{m}90-1235", "010190{m}1235", "0{m}1{m}0{m}1{m}9{m}0-{m}1235", "{m}010190-1235{m}"],
)
def test_invisible_characters_do_not_hide_a_number(mark: str, written: str) -> None:
    text = "Borger " + written.format(m=mark) + " har klaget"
    [match] = find_cpr_numbers(text)
    assert match.masked == "010190-xxxx"
    assert text[match.start : match.end].replace(mark, "") in ("010190-1235", "0101901235")
    assert "1235" not in mask_cpr(text).replace(mark, "")


@pytest.mark.parametrize("dash", "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
def test_every_dash_look_alike_is_the_hyphen(dash: str) -> None:
    assert [m.masked for m in find_cpr_numbers(f"Borger 010190{dash}1235")] == ["010190-xxxx"]
    # and so they stay quiet where the hyphen does: labelled, failing modulus 11
    assert find_cpr_numbers(f"Faktura 311299{dash}0001") == []
    assert find_cpr_numbers(f"sag 24/04521{dash}12") == []


def test_an_invisible_character_gluing_a_number_to_a_word_does_not_hide_it() -> None:
    [match] = find_cpr_numbers("Borger\u200b010190-1235")
    assert match.start == 7 and match.masked == "010190-xxxx"


@pytest.mark.parametrize("mark", ["\u00ad", "\u200b", "\ufeff"])
def test_quiet_cases_stay_quiet_with_invisible_characters(mark: str) -> None:
    for text in ("Konto 3100 0101901234", "Faktura 311299-0001", "Sagsnummer 24/04521"):
        assert find_cpr_numbers(text.replace(" ", f" {mark}")) == [], text


def test_match_positions_point_at_the_number() -> None:
    text = "Borger med CPR 160424-1234 har klaget."
    [match] = find_cpr_numbers(text)
    assert text[match.start : match.end] == "160424-1234"
    assert match.birth_date == date(1924, 4, 16)


@pytest.mark.parametrize(
    ("digits", "serial", "year"),
    [
        ("010137", "3999", 1937),
        ("010136", "4000", 2036),
        ("010137", "4000", 1937),
        ("010157", "5000", 2057),
        ("010158", "8999", 1858),
        ("010136", "9000", 2036),
        ("010199", "9999", 1999),
    ],
)
def test_century_from_the_seventh_digit(digits: str, serial: str, year: int) -> None:
    born = birth_date(digits, serial)
    assert born is not None and born.year == year


def test_modulus_11() -> None:
    assert modulus_11("1604241231") and modulus_11("0101801233")
    assert not modulus_11("3112990001") and not modulus_11("0101901234")


@pytest.mark.parametrize("label", sorted(OTHER_WORDS))
def test_every_label_quiets_a_number_failing_modulus_11_but_not_one_passing(label: str) -> None:
    assert not contains_cpr(f"{label}: 311299-0001")
    assert contains_cpr(f"{label}: 160424-1231")


def test_mask_also_hides_labelled_numbers() -> None:
    assert mask_cpr("Konto 3100 0101901234") == "Konto 3100 010190-xxxx"


def test_masked_form_never_holds_the_serial() -> None:
    [match] = find_cpr_numbers("1604249876")
    assert match.masked == "160424-xxxx" and "9876" not in match.masked


# -- properties -------------------------------------------------------------------------

_WORDS = (
    "KKR Sjælland behandler sagen om sundhedsaftalen og klyngekontorerne i Region "
    "Sjælland, Køge Kommune, Næstved, Roskilde Ørsted æbler både økonomi borgeren "
    "indstilles godkender oplæg bilag punkt møde dato kl. nr. tlf. sagsnr. CPR"
)
WORDS = _WORDS.split()
#: Words that are no label (a label quiets a number failing modulus 11: tested apart).
UNLABELLED = [w for w in WORDS if w.lower().strip(".").replace(".", "") not in OTHER_WORDS]
PUNCTUATION = [" ", " ", " ", ", ", ". ", ": ", " (", ") ", "\n", " – ", "; "]


def danish_text(words: list[str] = WORDS) -> st.SearchStrategy[str]:
    return st.lists(
        st.tuples(st.sampled_from(words), st.sampled_from(PUNCTUATION)), max_size=30
    ).map(lambda pairs: "".join(word + gap for word, gap in pairs))


def seventh_digits(year: int) -> list[int]:
    """The serial's first digits the CPR office uses for a birth year (its century table)."""
    yy = year % 100
    if year < 1900:
        return [5, 6, 7, 8]
    if year < 2000:
        return [0, 1, 2, 3] + ([4, 9] if yy >= 37 else [])
    return ([4, 9] if yy <= 36 else []) + [5, 6, 7, 8]


@st.composite
def cpr_numbers(draw: st.DrawFn) -> tuple[str, date]:
    """A valid CPR number and its date of birth, the serial fitting the century."""
    born = draw(st.dates(min_value=date(1858, 1, 1), max_value=date(2057, 12, 31)))
    seventh = draw(st.sampled_from(seventh_digits(born.year)))
    serial = f"{seventh}{draw(st.integers(0, 999)):03d}"
    dash = draw(st.sampled_from(["-", ""]))
    return f"{born:%d%m%y}{dash}{serial}", born


@settings(max_examples=examples(300), deadline=None)
@given(before=danish_text(UNLABELLED), number=cpr_numbers(), after=danish_text())
def test_a_valid_cpr_number_in_danish_text_is_always_found(
    before: str, number: tuple[str, date], after: str
) -> None:
    cpr, born = number
    text = f"{before} {cpr} {after}"
    found = find_cpr_numbers(text)
    assert [m.birth_date for m in found] == [born]
    assert text[found[0].start : found[0].end] == cpr
    assert found[0].masked == f"{born:%d%m%y}-xxxx"


@settings(max_examples=examples(200), deadline=None)
@given(before=danish_text(), number=cpr_numbers(), after=danish_text())
def test_a_cpr_number_passing_modulus_11_is_found_after_any_label(
    before: str, number: tuple[str, date], after: str
) -> None:
    cpr, born = number
    found = [m.birth_date for m in find_cpr_numbers(f"{before} {cpr} {after}")]
    assert (found == [born]) or not modulus_11(cpr.replace("-", ""))


def case_numbers() -> st.SearchStrategy[str]:
    yy = st.integers(0, 99).map(lambda n: f"{n:02d}")
    serial = st.integers(0, 99999).map(lambda n: f"{n:05d}")
    suffix = st.sampled_from(["", "-1", "-12", "-123"])
    return st.builds(lambda a, b, c: f"{a}/{b}{c}", yy, serial, suffix)


def phone_numbers() -> st.SearchStrategy[str]:
    digits = st.lists(st.integers(0, 9), min_size=8, max_size=8).map(
        lambda ds: "".join(map(str, ds))
    )

    def shape(number: str, style: int) -> str:
        pairs = " ".join(number[i : i + 2] for i in range(0, 8, 2))
        return [
            number,
            pairs,
            f"{number[:4]} {number[4:]}",
            f"+45 {pairs}",
            f"+45{number}",
            f"(+45) {number}",
            f"0045 {number}",
        ][style]

    return st.builds(shape, digits, st.integers(0, 6))


def dates_in_text() -> st.SearchStrategy[str]:
    day = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
    formats = st.sampled_from(
        ["%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d%m%y", "%d%m%Y", "%d.%m.%y", "%Y%m%d"]
    )
    time = st.sampled_from(["", " kl. 10.00", " 10:30", " kl. 1000"])
    return st.builds(lambda d, f, t: d.strftime(f) + t, day, formats, time)


@settings(max_examples=examples(300), deadline=None)
@given(
    before=danish_text(),
    noise=st.lists(st.one_of(case_numbers(), phone_numbers(), dates_in_text()), max_size=6),
    after=danish_text(),
)
def test_case_numbers_phones_and_dates_are_not_cpr_numbers(
    before: str, noise: list[str], after: str
) -> None:
    text = before + " " + ", ".join(noise) + " " + after
    assert not contains_cpr(text), text


@settings(max_examples=examples(200), deadline=None)
@given(
    digits=st.integers(0, 9_999_999_999).map(lambda n: f"{n:010d}"),
    dash=st.booleans(),
)
def test_a_number_is_found_exactly_when_its_date_is_valid(digits: str, dash: bool) -> None:
    cpr = f"{digits[:6]}-{digits[6:]}" if dash else digits
    valid = birth_date(digits[:6], digits[6:]) is not None
    assert contains_cpr(f"nr. {cpr} i sagen") is valid


def test_every_day_of_a_leap_year_is_a_valid_date() -> None:
    day = date(2024, 1, 1)
    while day.year == 2024:
        assert contains_cpr(f"{day:%d%m%y}-4000"), day
        day += timedelta(days=1)


def test_mask_replaces_every_number_and_keeps_the_rest() -> None:
    text = "A: 160424-1234, B: 0101801234, sag 24/04521."
    assert mask_cpr(text) == "A: 160424-xxxx, B: 010180-xxxx, sag 24/04521."


@settings(max_examples=examples(100), deadline=None)
@given(before=danish_text(), number=cpr_numbers(), after=danish_text())
def test_masked_text_holds_no_cpr_number(before: str, number: tuple[str, date], after: str) -> None:
    masked = mask_cpr(f"{before} {number[0]} {after}")
    assert not contains_cpr(masked) and number[0] not in masked
    assert f"{number[1]:%d%m%y}-xxxx" in masked
