from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydiff.readers import symbols
from policydiff.readers.symbols import symbol_text

# The bytes each font has a character for in its published table (see the module docstring):
# Symbol from the Unicode Consortium's Adobe and Apple Symbol tables, the others from the
# Wingdings/Webdings source data of WG2 N4384 = UTC L2/12-368, plus 0x20, the space.
MAPPED_BYTES: dict[str, frozenset[int]] = {
    "Symbol": (frozenset(range(0x20, 0x7F)) - {0x60}) | (frozenset(range(0xA0, 0xFF)) - {0xF0}),
    "Wingdings": frozenset(range(0x20, 0xFF)) - {0x7F},
    "Wingdings 2": frozenset(range(0x20, 0xFA)) - {0x7F},
    "Wingdings 3": frozenset(range(0x20, 0xF1)) - {0x7F},
    "Webdings": frozenset(range(0x20, 0x100)) - {0x7F},
}
FONTS = sorted(MAPPED_BYTES)
BYTES = range(0x20, 0x100)


def is_standard(text: str) -> bool:
    """Assigned, not private use, a surrogate or a control: a character a reader can see."""
    return bool(text) and all(unicodedata.category(c) not in ("Co", "Cn", "Cs", "Cc") for c in text)


# Spot values, by Unicode name, each as the published table gives it for the font's byte.
SPOT_VALUES = [
    # Symbol (Adobe symbol.txt; Apple SYMBOL.TXT where Adobe's is private use)
    ("Symbol", 0x61, "\N{GREEK SMALL LETTER ALPHA}"),
    ("Symbol", 0x62, "\N{GREEK SMALL LETTER BETA}"),
    ("Symbol", 0x70, "\N{GREEK SMALL LETTER PI}"),
    ("Symbol", 0x6D, "\N{GREEK SMALL LETTER MU}"),
    ("Symbol", 0x66, "\N{GREEK SMALL LETTER PHI}"),
    ("Symbol", 0x6A, "\N{GREEK PHI SYMBOL}"),
    ("Symbol", 0x44, "\N{GREEK CAPITAL LETTER DELTA}"),
    ("Symbol", 0x53, "\N{GREEK CAPITAL LETTER SIGMA}"),
    ("Symbol", 0x57, "\N{GREEK CAPITAL LETTER OMEGA}"),
    ("Symbol", 0xB7, "\N{BULLET}"),
    ("Symbol", 0xAE, "\N{RIGHTWARDS ARROW}"),
    ("Symbol", 0xAC, "\N{LEFTWARDS ARROW}"),
    ("Symbol", 0xDE, "\N{RIGHTWARDS DOUBLE ARROW}"),
    ("Symbol", 0xDB, "\N{LEFT RIGHT DOUBLE ARROW}"),
    ("Symbol", 0xA3, "\N{LESS-THAN OR EQUAL TO}"),
    ("Symbol", 0xB3, "\N{GREATER-THAN OR EQUAL TO}"),
    ("Symbol", 0xB9, "\N{NOT EQUAL TO}"),
    ("Symbol", 0xB1, "\N{PLUS-MINUS SIGN}"),
    ("Symbol", 0xB4, "\N{MULTIPLICATION SIGN}"),
    ("Symbol", 0xA5, "\N{INFINITY}"),
    ("Symbol", 0xE5, "\N{N-ARY SUMMATION}"),
    ("Symbol", 0xD6, "\N{SQUARE ROOT}"),
    ("Symbol", 0xA8, "\N{BLACK DIAMOND SUIT}"),
    ("Symbol", 0xA0, "\N{EURO SIGN}"),
    ("Symbol", 0x22, "\N{FOR ALL}"),
    ("Symbol", 0x2D, "\N{MINUS SIGN}"),
    ("Symbol", 0xD2, "\N{REGISTERED SIGN}"),
    ("Symbol", 0xE3, "\N{COPYRIGHT SIGN}"),
    ("Symbol", 0xD4, "\N{TRADE MARK SIGN}"),
    ("Symbol", 0xE6, "\N{LEFT PARENTHESIS UPPER HOOK}"),
    ("Symbol", 0xBE, "\N{HORIZONTAL LINE EXTENSION}"),
    ("Symbol", 0xE1, "\N{LEFT-POINTING ANGLE BRACKET}"),
    # Wingdings (N4384): ticks, crosses, ballot boxes, faces, bullets, arrows, numbers
    ("Wingdings", 0xFC, "\N{CHECK MARK}"),
    ("Wingdings", 0xFB, "\N{BALLOT BOLD SCRIPT X}"),
    ("Wingdings", 0xFD, "\N{BALLOT BOX WITH BOLD SCRIPT X}"),
    ("Wingdings", 0xFE, "\N{BALLOT BOX WITH BOLD CHECK}"),
    ("Wingdings", 0xA8, "\N{LIGHT WHITE SQUARE}"),
    ("Wingdings", 0x6F, "\N{MEDIUM WHITE SQUARE}"),
    ("Wingdings", 0x78, "\N{X IN A RECTANGLE BOX}"),
    ("Wingdings", 0x4A, "\N{WHITE SMILING FACE}"),
    ("Wingdings", 0x4C, "\N{WHITE FROWNING FACE}"),
    ("Wingdings", 0x9F, "\N{BULLET}"),
    ("Wingdings", 0xA7, "\N{BLACK SMALL SQUARE}"),
    ("Wingdings", 0x6C, "\N{MEDIUM BLACK CIRCLE}"),
    ("Wingdings", 0x6E, "\N{BLACK MEDIUM SQUARE}"),
    ("Wingdings", 0x71, "\N{LOWER RIGHT SHADOWED WHITE SQUARE}"),
    ("Wingdings", 0x76, "\N{BLACK DIAMOND MINUS WHITE X}"),
    ("Wingdings", 0x77, "\N{BLACK MEDIUM SMALL DIAMOND}"),
    ("Wingdings", 0xD8, "\N{THREE-D TOP-LIGHTED RIGHTWARDS EQUILATERAL ARROWHEAD}"),
    ("Wingdings", 0xE0, "\N{WIDE-HEADED RIGHTWARDS BARB ARROW}"),
    ("Wingdings", 0xE8, "\N{WIDE-HEADED RIGHTWARDS HEAVY BARB ARROW}"),
    ("Wingdings", 0xF0, "\N{RIGHTWARDS WHITE ARROW}"),
    ("Wingdings", 0x46, "\N{WHITE RIGHT POINTING INDEX}"),
    ("Wingdings", 0x81, "\N{DINGBAT CIRCLED SANS-SERIF DIGIT ONE}"),
    ("Wingdings", 0x8C, "\N{DINGBAT NEGATIVE CIRCLED SANS-SERIF DIGIT ONE}"),
    ("Wingdings", 0x22, "\N{BLACK SCISSORS}"),
    ("Wingdings", 0x28, "\N{BLACK TOUCHTONE TELEPHONE}"),
    ("Wingdings", 0x2A, "\N{BACK OF ENVELOPE}"),
    # Wingdings 2 (N4384)
    ("Wingdings 2", 0x50, "\N{LIGHT CHECK MARK}"),
    ("Wingdings 2", 0x4F, "\N{BALLOT SCRIPT X}"),
    ("Wingdings 2", 0x51, "\N{BALLOT BOX WITH SCRIPT X}"),
    ("Wingdings 2", 0x52, "\N{BALLOT BOX WITH CHECK}"),
    ("Wingdings 2", 0x53, "\N{BALLOT BOX WITH LIGHT X}"),
    ("Wingdings 2", 0x54, "\N{BALLOT BOX WITH X}"),
    ("Wingdings 2", 0xA2, "\N{BLACK SQUARE}"),
    ("Wingdings 2", 0xA3, "\N{WHITE SQUARE}"),
    ("Wingdings 2", 0x98, "\N{BLACK CIRCLE}"),
    ("Wingdings 2", 0x99, "\N{WHITE CIRCLE}"),
    ("Wingdings 2", 0x9E, "\N{CIRCLED BULLET}"),
    ("Wingdings 2", 0x6A, "\N{CIRCLED DIGIT ONE}"),
    ("Wingdings 2", 0x75, "\N{DINGBAT NEGATIVE CIRCLED DIGIT ONE}"),
    ("Wingdings 2", 0xF8, "\N{REFERENCE MARK}"),
    # Wingdings 3 (N4384): arrows and triangles
    ("Wingdings 3", 0x21, "\N{LEFTWARDS TRIANGLE-HEADED ARROW}"),
    ("Wingdings 3", 0x22, "\N{RIGHTWARDS TRIANGLE-HEADED ARROW}"),
    ("Wingdings 3", 0x23, "\N{UPWARDS TRIANGLE-HEADED ARROW}"),
    ("Wingdings 3", 0x24, "\N{DOWNWARDS TRIANGLE-HEADED ARROW}"),
    ("Wingdings 3", 0x70, "\N{BLACK UP-POINTING TRIANGLE}"),
    ("Wingdings 3", 0x71, "\N{BLACK DOWN-POINTING TRIANGLE}"),
    ("Wingdings 3", 0x74, "\N{BLACK LEFT-POINTING TRIANGLE}"),
    ("Wingdings 3", 0x75, "\N{BLACK RIGHT-POINTING TRIANGLE}"),
    ("Wingdings 3", 0x85, "\N{BLACK LEFTWARDS EQUILATERAL ARROWHEAD}"),
    ("Wingdings 3", 0xC6, "\N{RIGHTWARDS HEAVY ARROW}"),
    # Webdings (N4384)
    ("Webdings", 0x61, "\N{HEAVY CHECK MARK}"),
    ("Webdings", 0x72, "\N{CANCELLATION X}"),
    ("Webdings", 0x63, "\N{WHITE LARGE SQUARE}"),
    ("Webdings", 0x67, "\N{BLACK LARGE SQUARE}"),
    ("Webdings", 0x73, "\N{BLACK QUESTION MARK ORNAMENT}"),
    ("Webdings", 0x34, "\N{BLACK MEDIUM RIGHT-POINTING TRIANGLE}"),
    ("Webdings", 0x3D, "\N{BLACK CIRCLE FOR RECORD}"),
    ("Webdings", 0x4E, "\N{EYE}"),
    ("Webdings", 0xF6, "\N{CAT}"),
    ("Webdings", 0xFF, "\N{DOVE OF PEACE}"),
]


@pytest.mark.parametrize(
    ("font", "byte", "expected"),
    SPOT_VALUES,
    ids=[f"{font}-{byte:02X}" for font, byte, _ in SPOT_VALUES],
)
def test_a_symbol_reads_as_the_character_its_published_table_gives(
    font: str, byte: int, expected: str
) -> None:
    assert symbol_text(font, f"F0{byte:02X}") == expected
    assert symbol_text(font, f"00{byte:02X}") == expected


def test_a_wingdings_tick_reads_as_a_check_mark() -> None:
    assert symbol_text("Wingdings", "F0FC") == "✓"


def test_a_symbol_font_a_reads_as_a_greek_alpha() -> None:
    assert symbol_text("Symbol", "F061") == "α"


def test_every_font_gives_spot_values() -> None:
    assert {font for font, _, _ in SPOT_VALUES} == set(FONTS)


@pytest.mark.parametrize("font", FONTS)
def test_every_byte_a_font_maps_reads_as_a_standard_character(font: str) -> None:
    for byte in MAPPED_BYTES[font]:
        text = symbol_text(font, f"F0{byte:02X}")
        assert is_standard(text), (font, hex(byte), text)


@pytest.mark.parametrize("font", FONTS)
def test_a_byte_a_font_does_not_map_keeps_its_private_use_code(font: str) -> None:
    for byte in set(BYTES) - MAPPED_BYTES[font]:
        assert symbol_text(font, f"F0{byte:02X}") == chr(0xF000 + byte), (font, hex(byte))


@pytest.mark.parametrize("font", FONTS)
def test_the_private_use_and_plain_byte_codes_read_alike_for_every_mapped_byte(font: str) -> None:
    for byte in MAPPED_BYTES[font]:
        assert symbol_text(font, f"F0{byte:02X}") == symbol_text(font, f"00{byte:02X}")
        assert symbol_text(font, f"f0{byte:02x}") == symbol_text(font, f"{byte:X}")


@pytest.mark.parametrize("font", ["Wingdings", "Wingdings 2", "Wingdings 3", "Webdings"])
def test_every_dingbat_of_a_font_reads_as_a_different_character(font: str) -> None:
    texts = [symbol_text(font, f"F0{byte:02X}") for byte in sorted(MAPPED_BYTES[font])]
    assert len(set(texts)) == len(texts)


def test_symbol_reads_alike_only_the_serif_and_sans_serif_forms_of_one_sign() -> None:
    by_text: dict[str, list[int]] = {}
    for byte in sorted(MAPPED_BYTES["Symbol"]):
        by_text.setdefault(symbol_text("Symbol", f"F0{byte:02X}"), []).append(byte)
    shared = {text: found for text, found in by_text.items() if len(found) > 1}
    assert shared == {"®": [0xD2, 0xE2], "©": [0xD3, 0xE3], "™": [0xD4, 0xE4]}


def test_the_space_reads_as_a_space_in_every_font() -> None:
    assert {symbol_text(font, "F020") for font in FONTS} == {" "}


@pytest.mark.parametrize("font", FONTS)
def test_each_mapped_symbol_is_one_character(font: str) -> None:
    # The published tables give one code point a byte; none needs an emoji sequence.
    assert all(len(symbol_text(font, f"F0{byte:02X}")) == 1 for byte in MAPPED_BYTES[font])


@pytest.mark.parametrize(
    "name", ["wingdings", "WINGDINGS", " Wingdings ", "\tWingdings\n", "wInGdInGs"]
)
def test_a_font_name_matches_whatever_its_case_and_surrounding_spaces(name: str) -> None:
    assert symbol_text(name, "F0FC") == "\N{CHECK MARK}"


def test_the_numbered_wingdings_fonts_are_told_apart() -> None:
    fonts = ("Wingdings", "wingdings 2", "Wingdings 3 ")
    assert {font: symbol_text(font, "F050") for font in fonts} == {
        "Wingdings": "\N{WHITE PENNANT}",
        "wingdings 2": "\N{LIGHT CHECK MARK}",
        "Wingdings 3 ": "\N{CLOCKWISE TRIANGLE-HEADED OPEN CIRCLE ARROW}",
    }


@pytest.mark.parametrize(
    ("font", "char", "expected"),
    [
        ("Marlett", "F061", "\uf061"),
        ("Zapf Dingbats", "F034", "\uf034"),
        ("Arial", "0041", "A"),
        (None, "F0FC", "\uf0fc"),
        ("", "F0FC", "\uf0fc"),
        ("Wingdings 4", "F0FC", "\uf0fc"),
        ("Symbol", "F060", "\uf060"),
        ("Symbol", "F0F0", "\uf0f0"),
        ("Wingdings", "F0FF", "\uf0ff"),
        ("Wingdings", "F07F", "\uf07f"),
        ("Wingdings", "F01F", "\uf01f"),
        ("Wingdings", "2713", "\u2713"),
    ],
)
def test_an_unknown_font_or_unmapped_byte_keeps_the_code_point(
    font: str | None, char: str, expected: str
) -> None:
    assert symbol_text(font, char) == expected


@pytest.mark.parametrize(
    "char",
    [
        None,
        "",
        "   ",
        "zz",
        "F0FG",
        "0x41",
        "-041",
        "+041",
        "F_FC",
        "F0 FC",
        "F0FC0",
        "\u0664\u0661",  # Arabic-Indic digits: int() would take them, hex does not
        "D800",  # a surrogate
        "0000",  # controls an XML document cannot hold
        "001F",
        "FFFE",
        "FFFF",
    ],
)
def test_a_missing_or_malformed_code_reads_as_nothing(char: str | None) -> None:
    assert symbol_text("Wingdings", char) == ""
    assert symbol_text("Unknown", char) == ""


def test_a_code_with_surrounding_spaces_or_lower_case_digits_still_reads() -> None:
    assert symbol_text("Wingdings", " f0fc ") == "\N{CHECK MARK}"


@given(font=st.sampled_from([*FONTS, "Marlett", None]), char=st.text(max_size=6))
def test_any_attribute_value_reads_as_text_an_xml_document_can_hold(
    font: str | None, char: str
) -> None:
    text = symbol_text(font, char)
    text.encode("utf-8")  # no lone surrogate
    assert all(c in "\t\n\r" or unicodedata.category(c) not in ("Cc", "Cs") for c in text)
    if not re.fullmatch(r"[0-9A-Fa-f]{1,4}", char.strip()):
        assert text == ""


@given(
    code=st.integers(min_value=0x20, max_value=0xFFFD).filter(lambda c: c < 0xD800 or c > 0xDFFF)
)
def test_any_code_an_unknown_font_uses_reads_as_that_code_point(code: int) -> None:
    assert symbol_text("Marlett", f"{code:04X}") == chr(code)


def test_the_module_names_the_published_tables_it_comes_from() -> None:
    doc = symbols.__doc__ or ""
    for source in (
        "https://www.unicode.org/Public/MAPPINGS/VENDORS/ADOBE/symbol.txt",
        "https://www.unicode.org/Public/MAPPINGS/VENDORS/APPLE/SYMBOL.TXT",
        "https://www.unicode.org/L2/L2012/12368-n4384.pdf",
    ):
        assert source in doc
