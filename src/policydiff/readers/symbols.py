"""The Unicode text of a symbol Word inserted with Insert > Symbol (`w:sym`).

ECMA-376 Part 1, 17.3.3.30 (sym) stores such a character as
`<w:sym w:font="Wingdings" w:char="F0FC"/>`: `w:char` is a hex code in the font's own 8-bit
encoding, usually written in the private-use range F020-F0FF (F000 + the font's byte code) and
sometimes as the plain byte (00FC). Word draws the font's glyph for that byte; this module gives
the Unicode character a reader sees there.

Published tables the data below was generated from (once, by hand; nothing is read at run time):

- Symbol: "Adobe Symbol Encoding to Unicode", table version 1.0 (2011-07-12), the Unicode
  Consortium, https://www.unicode.org/Public/MAPPINGS/VENDORS/ADOBE/symbol.txt. Where that table
  gives a private-use (Corporate Use Subarea) code, the value comes from Apple's "Map (external
  version) from Mac OS Symbol character set to Unicode 4.0 and later", version c02 (2005-04-05),
  Apple Computer, Inc., published by the Unicode Consortium at
  https://www.unicode.org/Public/MAPPINGS/VENDORS/APPLE/SYMBOL.TXT (0xBD, 0xBE, the bracket and
  integral pieces 0xE6-0xEF, 0xF4, 0xF6-0xFE, and the serif and sans-serif registered, copyright
  and trade mark signs 0xD2-0xD4, 0xE2-0xE4, which Apple maps to U+00AE, U+00A9, U+2122; Apple's
  private transcoding hint U+F87F after the sans-serif ones is left out). Where the Adobe table
  gives two characters for one byte (0x20, 0x44, 0x57, 0x6D, 0xA4) the one Apple's table also
  gives is used: the space, the Greek letters, the fraction slash.
- Wingdings, Wingdings 2, Wingdings 3, Webdings: the source data file "WDingsSources.txt"
  (Webdings and Wingdings indexes to Unicode) in "Status of encoding of Wingdings and Webdings
  Symbols", ISO/IEC JTC1/SC2/WG2 N4384 = UTC L2/12-368 (2012-11-06), the Unicode Consortium,
  authored by Michel Suignard, page 68: https://www.unicode.org/L2/L2012/12368-n4384.pdf. It is
  the mapping behind the Wingdings and Webdings characters added in Unicode 7.0; every entry
  there is a single code point (none needs an emoji sequence). It leaves out byte 0x20, the
  fonts' space, which maps to U+0020 here as in the Symbol tables.

Bytes without an entry read as the code Word wrote: those the tables give no glyph (Symbol
0x7F-0x9F and 0xFF, 0x7F in the others, Wingdings 2 past 0xF9, Wingdings 3 past 0xF0), and three
with no standard character: Symbol 0x60 (the radical extender, private use in both Symbol
tables), Symbol 0xF0 (empty in Adobe's table, Apple's logo in Apple's) and Wingdings 0xFF (the
Windows logo, which N4384 does not encode).

The Wingdings tables agree with Wikipedia's "Wingdings" code charts (which cite L2/12-368) except
at Wingdings 0x36, 0x48 and 0x77, where N4384 gives U+23F3, U+1F597 and U+1F799 and the charts
U+231B, U+261F and U+2B29; N4384 is followed.
"""

from __future__ import annotations

import re
from typing import Final

# Symbol: Unicode Consortium, VENDORS/ADOBE/symbol.txt v1.0, private-use entries from
# VENDORS/APPLE/SYMBOL.TXT c02 (see the module docstring).
_SYMBOL: Final[dict[int, str]] = {
    0x20: "\u0020", 0x21: "\u0021", 0x22: "\u2200", 0x23: "\u0023",
    0x24: "\u2203", 0x25: "\u0025", 0x26: "\u0026", 0x27: "\u220B",
    0x28: "\u0028", 0x29: "\u0029", 0x2A: "\u2217", 0x2B: "\u002B",
    0x2C: "\u002C", 0x2D: "\u2212", 0x2E: "\u002E", 0x2F: "\u002F",
    0x30: "\u0030", 0x31: "\u0031", 0x32: "\u0032", 0x33: "\u0033",
    0x34: "\u0034", 0x35: "\u0035", 0x36: "\u0036", 0x37: "\u0037",
    0x38: "\u0038", 0x39: "\u0039", 0x3A: "\u003A", 0x3B: "\u003B",
    0x3C: "\u003C", 0x3D: "\u003D", 0x3E: "\u003E", 0x3F: "\u003F",
    0x40: "\u2245", 0x41: "\u0391", 0x42: "\u0392", 0x43: "\u03A7",
    0x44: "\u0394", 0x45: "\u0395", 0x46: "\u03A6", 0x47: "\u0393",
    0x48: "\u0397", 0x49: "\u0399", 0x4A: "\u03D1", 0x4B: "\u039A",
    0x4C: "\u039B", 0x4D: "\u039C", 0x4E: "\u039D", 0x4F: "\u039F",
    0x50: "\u03A0", 0x51: "\u0398", 0x52: "\u03A1", 0x53: "\u03A3",
    0x54: "\u03A4", 0x55: "\u03A5", 0x56: "\u03C2", 0x57: "\u03A9",
    0x58: "\u039E", 0x59: "\u03A8", 0x5A: "\u0396", 0x5B: "\u005B",
    0x5C: "\u2234", 0x5D: "\u005D", 0x5E: "\u22A5", 0x5F: "\u005F",
    0x61: "\u03B1", 0x62: "\u03B2", 0x63: "\u03C7",
    0x64: "\u03B4", 0x65: "\u03B5", 0x66: "\u03C6", 0x67: "\u03B3",
    0x68: "\u03B7", 0x69: "\u03B9", 0x6A: "\u03D5", 0x6B: "\u03BA",
    0x6C: "\u03BB", 0x6D: "\u03BC", 0x6E: "\u03BD", 0x6F: "\u03BF",
    0x70: "\u03C0", 0x71: "\u03B8", 0x72: "\u03C1", 0x73: "\u03C3",
    0x74: "\u03C4", 0x75: "\u03C5", 0x76: "\u03D6", 0x77: "\u03C9",
    0x78: "\u03BE", 0x79: "\u03C8", 0x7A: "\u03B6", 0x7B: "\u007B",
    0x7C: "\u007C", 0x7D: "\u007D", 0x7E: "\u223C",
    0xA0: "\u20AC", 0xA1: "\u03D2", 0xA2: "\u2032", 0xA3: "\u2264",
    0xA4: "\u2044", 0xA5: "\u221E", 0xA6: "\u0192", 0xA7: "\u2663",
    0xA8: "\u2666", 0xA9: "\u2665", 0xAA: "\u2660", 0xAB: "\u2194",
    0xAC: "\u2190", 0xAD: "\u2191", 0xAE: "\u2192", 0xAF: "\u2193",
    0xB0: "\u00B0", 0xB1: "\u00B1", 0xB2: "\u2033", 0xB3: "\u2265",
    0xB4: "\u00D7", 0xB5: "\u221D", 0xB6: "\u2202", 0xB7: "\u2022",
    0xB8: "\u00F7", 0xB9: "\u2260", 0xBA: "\u2261", 0xBB: "\u2248",
    0xBC: "\u2026", 0xBD: "\u23D0", 0xBE: "\u23AF", 0xBF: "\u21B5",
    0xC0: "\u2135", 0xC1: "\u2111", 0xC2: "\u211C", 0xC3: "\u2118",
    0xC4: "\u2297", 0xC5: "\u2295", 0xC6: "\u2205", 0xC7: "\u2229",
    0xC8: "\u222A", 0xC9: "\u2283", 0xCA: "\u2287", 0xCB: "\u2284",
    0xCC: "\u2282", 0xCD: "\u2286", 0xCE: "\u2208", 0xCF: "\u2209",
    0xD0: "\u2220", 0xD1: "\u2207", 0xD2: "\u00AE", 0xD3: "\u00A9",
    0xD4: "\u2122", 0xD5: "\u220F", 0xD6: "\u221A", 0xD7: "\u22C5",
    0xD8: "\u00AC", 0xD9: "\u2227", 0xDA: "\u2228", 0xDB: "\u21D4",
    0xDC: "\u21D0", 0xDD: "\u21D1", 0xDE: "\u21D2", 0xDF: "\u21D3",
    0xE0: "\u25CA", 0xE1: "\u2329", 0xE2: "\u00AE", 0xE3: "\u00A9",
    0xE4: "\u2122", 0xE5: "\u2211", 0xE6: "\u239B", 0xE7: "\u239C",
    0xE8: "\u239D", 0xE9: "\u23A1", 0xEA: "\u23A2", 0xEB: "\u23A3",
    0xEC: "\u23A7", 0xED: "\u23A8", 0xEE: "\u23A9", 0xEF: "\u23AA",
    0xF1: "\u232A", 0xF2: "\u222B", 0xF3: "\u2320",
    0xF4: "\u23AE", 0xF5: "\u2321", 0xF6: "\u239E", 0xF7: "\u239F",
    0xF8: "\u23A0", 0xF9: "\u23A4", 0xFA: "\u23A5", 0xFB: "\u23A6",
    0xFC: "\u23AB", 0xFD: "\u23AC", 0xFE: "\u23AD",
}  # fmt: skip


# Wingdings: WDingsSources.txt, WG2 N4384 = UTC L2/12-368 (indexes 1033-1254), plus the space.
_WINGDINGS: Final[dict[int, str]] = {
    0x20: "\u0020", 0x21: "\U0001F589", 0x22: "\u2702", 0x23: "\u2701",
    0x24: "\U0001F453", 0x25: "\U0001F56D", 0x26: "\U0001F56E", 0x27: "\U0001F56F",
    0x28: "\U0001F57F", 0x29: "\u2706", 0x2A: "\U0001F582", 0x2B: "\U0001F583",
    0x2C: "\U0001F4EA", 0x2D: "\U0001F4EB", 0x2E: "\U0001F4EC", 0x2F: "\U0001F4ED",
    0x30: "\U0001F5C0", 0x31: "\U0001F5C1", 0x32: "\U0001F5CE", 0x33: "\U0001F5CF",
    0x34: "\U0001F5D0", 0x35: "\U0001F5C4", 0x36: "\u23F3", 0x37: "\U0001F5AE",
    0x38: "\U0001F5B0", 0x39: "\U0001F5B2", 0x3A: "\U0001F5B3", 0x3B: "\U0001F5B4",
    0x3C: "\U0001F5AB", 0x3D: "\U0001F5AC", 0x3E: "\u2707", 0x3F: "\u270D",
    0x40: "\U0001F58E", 0x41: "\u270C", 0x42: "\U0001F58F", 0x43: "\U0001F44D",
    0x44: "\U0001F44E", 0x45: "\u261C", 0x46: "\u261E", 0x47: "\u261D",
    0x48: "\U0001F597", 0x49: "\U0001F590", 0x4A: "\u263A", 0x4B: "\U0001F610",
    0x4C: "\u2639", 0x4D: "\U0001F4A3", 0x4E: "\U0001F571", 0x4F: "\U0001F3F3",
    0x50: "\U0001F3F1", 0x51: "\u2708", 0x52: "\u263C", 0x53: "\U0001F322",
    0x54: "\u2744", 0x55: "\U0001F546", 0x56: "\u271E", 0x57: "\U0001F548",
    0x58: "\u2720", 0x59: "\u2721", 0x5A: "\u262A", 0x5B: "\u262F",
    0x5C: "\U0001F549", 0x5D: "\u2638", 0x5E: "\u2648", 0x5F: "\u2649",
    0x60: "\u264A", 0x61: "\u264B", 0x62: "\u264C", 0x63: "\u264D",
    0x64: "\u264E", 0x65: "\u264F", 0x66: "\u2650", 0x67: "\u2651",
    0x68: "\u2652", 0x69: "\u2653", 0x6A: "\U0001F670", 0x6B: "\U0001F675",
    0x6C: "\u26AB", 0x6D: "\U0001F53E", 0x6E: "\u25FC", 0x6F: "\U0001F78F",
    0x70: "\U0001F790", 0x71: "\u2751", 0x72: "\u2752", 0x73: "\U0001F79F",
    0x74: "\u29EB", 0x75: "\u25C6", 0x76: "\u2756", 0x77: "\U0001F799",
    0x78: "\u2327", 0x79: "\u2BB9", 0x7A: "\u2318", 0x7B: "\U0001F3F5",
    0x7C: "\U0001F3F6", 0x7D: "\U0001F676", 0x7E: "\U0001F677",
    0x80: "\U0001F10B", 0x81: "\u2780", 0x82: "\u2781", 0x83: "\u2782",
    0x84: "\u2783", 0x85: "\u2784", 0x86: "\u2785", 0x87: "\u2786",
    0x88: "\u2787", 0x89: "\u2788", 0x8A: "\u2789", 0x8B: "\U0001F10C",
    0x8C: "\u278A", 0x8D: "\u278B", 0x8E: "\u278C", 0x8F: "\u278D",
    0x90: "\u278E", 0x91: "\u278F", 0x92: "\u2790", 0x93: "\u2791",
    0x94: "\u2792", 0x95: "\u2793", 0x96: "\U0001F662", 0x97: "\U0001F660",
    0x98: "\U0001F661", 0x99: "\U0001F663", 0x9A: "\U0001F65E", 0x9B: "\U0001F65C",
    0x9C: "\U0001F65D", 0x9D: "\U0001F65F", 0x9E: "\u2219", 0x9F: "\u2022",
    0xA0: "\u2B1D", 0xA1: "\u2B58", 0xA2: "\U0001F786", 0xA3: "\U0001F788",
    0xA4: "\U0001F78A", 0xA5: "\U0001F78B", 0xA6: "\U0001F53F", 0xA7: "\u25AA",
    0xA8: "\U0001F78E", 0xA9: "\U0001F7C1", 0xAA: "\U0001F7C5", 0xAB: "\u2605",
    0xAC: "\U0001F7CB", 0xAD: "\U0001F7CF", 0xAE: "\U0001F7D3", 0xAF: "\U0001F7D1",
    0xB0: "\u2BD0", 0xB1: "\u2316", 0xB2: "\u2BCE", 0xB3: "\u2BCF",
    0xB4: "\u2BD1", 0xB5: "\u272A", 0xB6: "\u2730", 0xB7: "\U0001F550",
    0xB8: "\U0001F551", 0xB9: "\U0001F552", 0xBA: "\U0001F553", 0xBB: "\U0001F554",
    0xBC: "\U0001F555", 0xBD: "\U0001F556", 0xBE: "\U0001F557", 0xBF: "\U0001F558",
    0xC0: "\U0001F559", 0xC1: "\U0001F55A", 0xC2: "\U0001F55B", 0xC3: "\u2BB0",
    0xC4: "\u2BB1", 0xC5: "\u2BB2", 0xC6: "\u2BB3", 0xC7: "\u2BB4",
    0xC8: "\u2BB5", 0xC9: "\u2BB6", 0xCA: "\u2BB7", 0xCB: "\U0001F66A",
    0xCC: "\U0001F66B", 0xCD: "\U0001F655", 0xCE: "\U0001F654", 0xCF: "\U0001F657",
    0xD0: "\U0001F656", 0xD1: "\U0001F650", 0xD2: "\U0001F651", 0xD3: "\U0001F652",
    0xD4: "\U0001F653", 0xD5: "\u232B", 0xD6: "\u2326", 0xD7: "\u2B98",
    0xD8: "\u2B9A", 0xD9: "\u2B99", 0xDA: "\u2B9B", 0xDB: "\u2B88",
    0xDC: "\u2B8A", 0xDD: "\u2B89", 0xDE: "\u2B8B", 0xDF: "\U0001F868",
    0xE0: "\U0001F86A", 0xE1: "\U0001F869", 0xE2: "\U0001F86B", 0xE3: "\U0001F86C",
    0xE4: "\U0001F86D", 0xE5: "\U0001F86F", 0xE6: "\U0001F86E", 0xE7: "\U0001F878",
    0xE8: "\U0001F87A", 0xE9: "\U0001F879", 0xEA: "\U0001F87B", 0xEB: "\U0001F87C",
    0xEC: "\U0001F87D", 0xED: "\U0001F87F", 0xEE: "\U0001F87E", 0xEF: "\u21E6",
    0xF0: "\u21E8", 0xF1: "\u21E7", 0xF2: "\u21E9", 0xF3: "\u2B04",
    0xF4: "\u21F3", 0xF5: "\u2B01", 0xF6: "\u2B00", 0xF7: "\u2B03",
    0xF8: "\u2B02", 0xF9: "\U0001F8AC", 0xFA: "\U0001F8AD", 0xFB: "\U0001F5F6",
    0xFC: "\u2713", 0xFD: "\U0001F5F7", 0xFE: "\U0001F5F9",
}  # fmt: skip


# Wingdings 2: WDingsSources.txt, WG2 N4384 = UTC L2/12-368 (indexes 2033-2249), plus the space.
_WINGDINGS_2: Final[dict[int, str]] = {
    0x20: "\u0020", 0x21: "\U0001F58A", 0x22: "\U0001F58B", 0x23: "\U0001F58C",
    0x24: "\U0001F58D", 0x25: "\u2704", 0x26: "\u2700", 0x27: "\U0001F57E",
    0x28: "\U0001F57D", 0x29: "\U0001F5C5", 0x2A: "\U0001F5C6", 0x2B: "\U0001F5C7",
    0x2C: "\U0001F5C8", 0x2D: "\U0001F5C9", 0x2E: "\U0001F5CA", 0x2F: "\U0001F5CB",
    0x30: "\U0001F5CC", 0x31: "\U0001F5CD", 0x32: "\U0001F4CB", 0x33: "\U0001F5D1",
    0x34: "\U0001F5D4", 0x35: "\U0001F5B5", 0x36: "\U0001F5B6", 0x37: "\U0001F5B7",
    0x38: "\U0001F5B8", 0x39: "\U0001F5AD", 0x3A: "\U0001F5AF", 0x3B: "\U0001F5B1",
    0x3C: "\U0001F592", 0x3D: "\U0001F593", 0x3E: "\U0001F598", 0x3F: "\U0001F599",
    0x40: "\U0001F59A", 0x41: "\U0001F59B", 0x42: "\U0001F448", 0x43: "\U0001F449",
    0x44: "\U0001F59C", 0x45: "\U0001F59D", 0x46: "\U0001F59E", 0x47: "\U0001F59F",
    0x48: "\U0001F5A0", 0x49: "\U0001F5A1", 0x4A: "\U0001F446", 0x4B: "\U0001F447",
    0x4C: "\U0001F5A2", 0x4D: "\U0001F5A3", 0x4E: "\U0001F591", 0x4F: "\U0001F5F4",
    0x50: "\U0001F5F8", 0x51: "\U0001F5F5", 0x52: "\u2611", 0x53: "\u2BBD",
    0x54: "\u2612", 0x55: "\u2BBE", 0x56: "\u2BBF", 0x57: "\U0001F6C7",
    0x58: "\u29B8", 0x59: "\U0001F671", 0x5A: "\U0001F674", 0x5B: "\U0001F672",
    0x5C: "\U0001F673", 0x5D: "\u203D", 0x5E: "\U0001F679", 0x5F: "\U0001F67A",
    0x60: "\U0001F67B", 0x61: "\U0001F666", 0x62: "\U0001F664", 0x63: "\U0001F665",
    0x64: "\U0001F667", 0x65: "\U0001F65A", 0x66: "\U0001F658", 0x67: "\U0001F659",
    0x68: "\U0001F65B", 0x69: "\u24EA", 0x6A: "\u2460", 0x6B: "\u2461",
    0x6C: "\u2462", 0x6D: "\u2463", 0x6E: "\u2464", 0x6F: "\u2465",
    0x70: "\u2466", 0x71: "\u2467", 0x72: "\u2468", 0x73: "\u2469",
    0x74: "\u24FF", 0x75: "\u2776", 0x76: "\u2777", 0x77: "\u2778",
    0x78: "\u2779", 0x79: "\u277A", 0x7A: "\u277B", 0x7B: "\u277C",
    0x7C: "\u277D", 0x7D: "\u277E", 0x7E: "\u277F",
    0x80: "\u2609", 0x81: "\U0001F315", 0x82: "\u263D", 0x83: "\u263E",
    0x84: "\u2E3F", 0x85: "\u271D", 0x86: "\U0001F547", 0x87: "\U0001F55C",
    0x88: "\U0001F55D", 0x89: "\U0001F55E", 0x8A: "\U0001F55F", 0x8B: "\U0001F560",
    0x8C: "\U0001F561", 0x8D: "\U0001F562", 0x8E: "\U0001F563", 0x8F: "\U0001F564",
    0x90: "\U0001F565", 0x91: "\U0001F566", 0x92: "\U0001F567", 0x93: "\U0001F668",
    0x94: "\U0001F669", 0x95: "\u22C5", 0x96: "\U0001F784", 0x97: "\u2981",
    0x98: "\u25CF", 0x99: "\u25CB", 0x9A: "\U0001F785", 0x9B: "\U0001F787",
    0x9C: "\U0001F789", 0x9D: "\u2299", 0x9E: "\u29BF", 0x9F: "\U0001F78C",
    0xA0: "\U0001F78D", 0xA1: "\u25FE", 0xA2: "\u25A0", 0xA3: "\u25A1",
    0xA4: "\U0001F791", 0xA5: "\U0001F792", 0xA6: "\U0001F793", 0xA7: "\U0001F794",
    0xA8: "\u25A3", 0xA9: "\U0001F795", 0xAA: "\U0001F796", 0xAB: "\U0001F797",
    0xAC: "\U0001F798", 0xAD: "\u2B29", 0xAE: "\u2B25", 0xAF: "\u25C7",
    0xB0: "\U0001F79A", 0xB1: "\u25C8", 0xB2: "\U0001F79B", 0xB3: "\U0001F79C",
    0xB4: "\U0001F79D", 0xB5: "\U0001F79E", 0xB6: "\u2B2A", 0xB7: "\u2B27",
    0xB8: "\u25CA", 0xB9: "\U0001F7A0", 0xBA: "\u25D6", 0xBB: "\u25D7",
    0xBC: "\u2BCA", 0xBD: "\u2BCB", 0xBE: "\u2BC0", 0xBF: "\u2BC1",
    0xC0: "\u2B1F", 0xC1: "\u2BC2", 0xC2: "\u2B23", 0xC3: "\u2B22",
    0xC4: "\u2BC3", 0xC5: "\u2BC4", 0xC6: "\U0001F7A1", 0xC7: "\U0001F7A2",
    0xC8: "\U0001F7A3", 0xC9: "\U0001F7A4", 0xCA: "\U0001F7A5", 0xCB: "\U0001F7A6",
    0xCC: "\U0001F7A7", 0xCD: "\U0001F7A8", 0xCE: "\U0001F7A9", 0xCF: "\U0001F7AA",
    0xD0: "\U0001F7AB", 0xD1: "\U0001F7AC", 0xD2: "\U0001F7AD", 0xD3: "\U0001F7AE",
    0xD4: "\U0001F7AF", 0xD5: "\U0001F7B0", 0xD6: "\U0001F7B1", 0xD7: "\U0001F7B2",
    0xD8: "\U0001F7B3", 0xD9: "\U0001F7B4", 0xDA: "\U0001F7B5", 0xDB: "\U0001F7B6",
    0xDC: "\U0001F7B7", 0xDD: "\U0001F7B8", 0xDE: "\U0001F7B9", 0xDF: "\U0001F7BA",
    0xE0: "\U0001F7BB", 0xE1: "\U0001F7BC", 0xE2: "\U0001F7BD", 0xE3: "\U0001F7BE",
    0xE4: "\U0001F7BF", 0xE5: "\U0001F7C0", 0xE6: "\U0001F7C2", 0xE7: "\U0001F7C4",
    0xE8: "\U0001F7C6", 0xE9: "\U0001F7C9", 0xEA: "\U0001F7CA", 0xEB: "\u2736",
    0xEC: "\U0001F7CC", 0xED: "\U0001F7CE", 0xEE: "\U0001F7D0", 0xEF: "\U0001F7D2",
    0xF0: "\u2739", 0xF1: "\U0001F7C3", 0xF2: "\U0001F7C7", 0xF3: "\u272F",
    0xF4: "\U0001F7CD", 0xF5: "\U0001F7D4", 0xF6: "\u2BCC", 0xF7: "\u2BCD",
    0xF8: "\u203B", 0xF9: "\u2042",
}  # fmt: skip


# Wingdings 3: WDingsSources.txt, WG2 N4384 = UTC L2/12-368 (indexes 3033-3240), plus the space.
_WINGDINGS_3: Final[dict[int, str]] = {
    0x20: "\u0020", 0x21: "\u2B60", 0x22: "\u2B62", 0x23: "\u2B61",
    0x24: "\u2B63", 0x25: "\u2B66", 0x26: "\u2B67", 0x27: "\u2B69",
    0x28: "\u2B68", 0x29: "\u2B70", 0x2A: "\u2B72", 0x2B: "\u2B71",
    0x2C: "\u2B73", 0x2D: "\u2B76", 0x2E: "\u2B78", 0x2F: "\u2B7B",
    0x30: "\u2B7D", 0x31: "\u2B64", 0x32: "\u2B65", 0x33: "\u2B6A",
    0x34: "\u2B6C", 0x35: "\u2B6B", 0x36: "\u2B6D", 0x37: "\u2B4D",
    0x38: "\u2BA0", 0x39: "\u2BA1", 0x3A: "\u2BA2", 0x3B: "\u2BA3",
    0x3C: "\u2BA4", 0x3D: "\u2BA5", 0x3E: "\u2BA6", 0x3F: "\u2BA7",
    0x40: "\u2B90", 0x41: "\u2B91", 0x42: "\u2B92", 0x43: "\u2B93",
    0x44: "\u2B80", 0x45: "\u2B83", 0x46: "\u2B7E", 0x47: "\u2B7F",
    0x48: "\u2B84", 0x49: "\u2B86", 0x4A: "\u2B85", 0x4B: "\u2B87",
    0x4C: "\u2B8F", 0x4D: "\u2B8D", 0x4E: "\u2B8E", 0x4F: "\u2B8C",
    0x50: "\u2B6E", 0x51: "\u2B6F", 0x52: "\u238B", 0x53: "\u2324",
    0x54: "\u2303", 0x55: "\u2325", 0x56: "\u2423", 0x57: "\u237D",
    0x58: "\u21EA", 0x59: "\u2BB8", 0x5A: "\U0001F8A0", 0x5B: "\U0001F8A1",
    0x5C: "\U0001F8A2", 0x5D: "\U0001F8A3", 0x5E: "\U0001F8A4", 0x5F: "\U0001F8A5",
    0x60: "\U0001F8A6", 0x61: "\U0001F8A7", 0x62: "\U0001F8A8", 0x63: "\U0001F8A9",
    0x64: "\U0001F8AA", 0x65: "\U0001F8AB", 0x66: "\U0001F850", 0x67: "\U0001F852",
    0x68: "\U0001F851", 0x69: "\U0001F853", 0x6A: "\U0001F854", 0x6B: "\U0001F855",
    0x6C: "\U0001F857", 0x6D: "\U0001F856", 0x6E: "\U0001F858", 0x6F: "\U0001F859",
    0x70: "\u25B2", 0x71: "\u25BC", 0x72: "\u25B3", 0x73: "\u25BD",
    0x74: "\u25C0", 0x75: "\u25B6", 0x76: "\u25C1", 0x77: "\u25B7",
    0x78: "\u25E3", 0x79: "\u25E2", 0x7A: "\u25E4", 0x7B: "\u25E5",
    0x7C: "\U0001F780", 0x7D: "\U0001F782", 0x7E: "\U0001F781",
    0x80: "\U0001F783", 0x81: "\u2BC5", 0x82: "\u2BC6", 0x83: "\u2BC7",
    0x84: "\u2BC8", 0x85: "\u2B9C", 0x86: "\u2B9E", 0x87: "\u2B9D",
    0x88: "\u2B9F", 0x89: "\U0001F810", 0x8A: "\U0001F812", 0x8B: "\U0001F811",
    0x8C: "\U0001F813", 0x8D: "\U0001F814", 0x8E: "\U0001F816", 0x8F: "\U0001F815",
    0x90: "\U0001F817", 0x91: "\U0001F818", 0x92: "\U0001F81A", 0x93: "\U0001F819",
    0x94: "\U0001F81B", 0x95: "\U0001F81C", 0x96: "\U0001F81E", 0x97: "\U0001F81D",
    0x98: "\U0001F81F", 0x99: "\U0001F800", 0x9A: "\U0001F802", 0x9B: "\U0001F801",
    0x9C: "\U0001F803", 0x9D: "\U0001F804", 0x9E: "\U0001F806", 0x9F: "\U0001F805",
    0xA0: "\U0001F807", 0xA1: "\U0001F808", 0xA2: "\U0001F80A", 0xA3: "\U0001F809",
    0xA4: "\U0001F80B", 0xA5: "\U0001F820", 0xA6: "\U0001F822", 0xA7: "\U0001F824",
    0xA8: "\U0001F826", 0xA9: "\U0001F828", 0xAA: "\U0001F82A", 0xAB: "\U0001F82C",
    0xAC: "\U0001F89C", 0xAD: "\U0001F89D", 0xAE: "\U0001F89E", 0xAF: "\U0001F89F",
    0xB0: "\U0001F82E", 0xB1: "\U0001F830", 0xB2: "\U0001F832", 0xB3: "\U0001F834",
    0xB4: "\U0001F836", 0xB5: "\U0001F838", 0xB6: "\U0001F83A", 0xB7: "\U0001F839",
    0xB8: "\U0001F83B", 0xB9: "\U0001F898", 0xBA: "\U0001F89A", 0xBB: "\U0001F899",
    0xBC: "\U0001F89B", 0xBD: "\U0001F83C", 0xBE: "\U0001F83E", 0xBF: "\U0001F83D",
    0xC0: "\U0001F83F", 0xC1: "\U0001F840", 0xC2: "\U0001F842", 0xC3: "\U0001F841",
    0xC4: "\U0001F843", 0xC5: "\U0001F844", 0xC6: "\U0001F846", 0xC7: "\U0001F845",
    0xC8: "\U0001F847", 0xC9: "\u2BA8", 0xCA: "\u2BA9", 0xCB: "\u2BAA",
    0xCC: "\u2BAB", 0xCD: "\u2BAC", 0xCE: "\u2BAD", 0xCF: "\u2BAE",
    0xD0: "\u2BAF", 0xD1: "\U0001F860", 0xD2: "\U0001F862", 0xD3: "\U0001F861",
    0xD4: "\U0001F863", 0xD5: "\U0001F864", 0xD6: "\U0001F865", 0xD7: "\U0001F867",
    0xD8: "\U0001F866", 0xD9: "\U0001F870", 0xDA: "\U0001F872", 0xDB: "\U0001F871",
    0xDC: "\U0001F873", 0xDD: "\U0001F874", 0xDE: "\U0001F875", 0xDF: "\U0001F877",
    0xE0: "\U0001F876", 0xE1: "\U0001F880", 0xE2: "\U0001F882", 0xE3: "\U0001F881",
    0xE4: "\U0001F883", 0xE5: "\U0001F884", 0xE6: "\U0001F885", 0xE7: "\U0001F887",
    0xE8: "\U0001F886", 0xE9: "\U0001F890", 0xEA: "\U0001F892", 0xEB: "\U0001F891",
    0xEC: "\U0001F893", 0xED: "\U0001F894", 0xEE: "\U0001F896", 0xEF: "\U0001F895",
    0xF0: "\U0001F897",
}  # fmt: skip


# Webdings: WDingsSources.txt, WG2 N4384 = UTC L2/12-368 (indexes 0033-0255), plus the space.
_WEBDINGS: Final[dict[int, str]] = {
    0x20: "\u0020", 0x21: "\U0001F577", 0x22: "\U0001F578", 0x23: "\U0001F572",
    0x24: "\U0001F576", 0x25: "\U0001F3C6", 0x26: "\U0001F396", 0x27: "\U0001F587",
    0x28: "\U0001F5E8", 0x29: "\U0001F5E9", 0x2A: "\U0001F5F0", 0x2B: "\U0001F5F1",
    0x2C: "\U0001F336", 0x2D: "\U0001F397", 0x2E: "\U0001F67E", 0x2F: "\U0001F67C",
    0x30: "\U0001F5D5", 0x31: "\U0001F5D6", 0x32: "\U0001F5D7", 0x33: "\u23F4",
    0x34: "\u23F5", 0x35: "\u23F6", 0x36: "\u23F7", 0x37: "\u23EA",
    0x38: "\u23E9", 0x39: "\u23EE", 0x3A: "\u23ED", 0x3B: "\u23F8",
    0x3C: "\u23F9", 0x3D: "\u23FA", 0x3E: "\U0001F5DA", 0x3F: "\U0001F5F3",
    0x40: "\U0001F6E0", 0x41: "\U0001F3D7", 0x42: "\U0001F3D8", 0x43: "\U0001F3D9",
    0x44: "\U0001F3DA", 0x45: "\U0001F3DC", 0x46: "\U0001F3ED", 0x47: "\U0001F3DB",
    0x48: "\U0001F3E0", 0x49: "\U0001F3D6", 0x4A: "\U0001F3DD", 0x4B: "\U0001F6E3",
    0x4C: "\U0001F50D", 0x4D: "\U0001F3D4", 0x4E: "\U0001F441", 0x4F: "\U0001F442",
    0x50: "\U0001F3DE", 0x51: "\U0001F3D5", 0x52: "\U0001F6E4", 0x53: "\U0001F3DF",
    0x54: "\U0001F6F3", 0x55: "\U0001F56C", 0x56: "\U0001F56B", 0x57: "\U0001F568",
    0x58: "\U0001F508", 0x59: "\U0001F394", 0x5A: "\U0001F395", 0x5B: "\U0001F5EC",
    0x5C: "\U0001F67D", 0x5D: "\U0001F5ED", 0x5E: "\U0001F5EA", 0x5F: "\U0001F5EB",
    0x60: "\u2B94", 0x61: "\u2714", 0x62: "\U0001F6B2", 0x63: "\u2B1C",
    0x64: "\U0001F6E1", 0x65: "\U0001F4E6", 0x66: "\U0001F6F1", 0x67: "\u2B1B",
    0x68: "\U0001F691", 0x69: "\U0001F6C8", 0x6A: "\U0001F6E9", 0x6B: "\U0001F6F0",
    0x6C: "\U0001F7C8", 0x6D: "\U0001F574", 0x6E: "\u2B24", 0x6F: "\U0001F6E5",
    0x70: "\U0001F694", 0x71: "\U0001F5D8", 0x72: "\U0001F5D9", 0x73: "\u2753",
    0x74: "\U0001F6F2", 0x75: "\U0001F687", 0x76: "\U0001F68D", 0x77: "\u26F3",
    0x78: "\u29B8", 0x79: "\u2296", 0x7A: "\U0001F6AD", 0x7B: "\U0001F5EE",
    0x7C: "\u23D0", 0x7D: "\U0001F5EF", 0x7E: "\U0001F5F2",
    0x80: "\U0001F6B9", 0x81: "\U0001F6BA", 0x82: "\U0001F6C9", 0x83: "\U0001F6CA",
    0x84: "\U0001F6BC", 0x85: "\U0001F47D", 0x86: "\U0001F3CB", 0x87: "\u26F7",
    0x88: "\U0001F3C2", 0x89: "\U0001F3CC", 0x8A: "\U0001F3CA", 0x8B: "\U0001F3C4",
    0x8C: "\U0001F3CD", 0x8D: "\U0001F3CE", 0x8E: "\U0001F698", 0x8F: "\U0001F5E0",
    0x90: "\U0001F6E2", 0x91: "\U0001F4B0", 0x92: "\U0001F3F7", 0x93: "\U0001F4B3",
    0x94: "\U0001F46A", 0x95: "\U0001F5E1", 0x96: "\U0001F5E2", 0x97: "\U0001F5E3",
    0x98: "\u272F", 0x99: "\U0001F584", 0x9A: "\U0001F585", 0x9B: "\U0001F583",
    0x9C: "\U0001F586", 0x9D: "\U0001F5B9", 0x9E: "\U0001F5BA", 0x9F: "\U0001F5BB",
    0xA0: "\U0001F575", 0xA1: "\U0001F570", 0xA2: "\U0001F5BD", 0xA3: "\U0001F5BE",
    0xA4: "\U0001F4CB", 0xA5: "\U0001F5D2", 0xA6: "\U0001F5D3", 0xA7: "\U0001F56E",
    0xA8: "\U0001F4DA", 0xA9: "\U0001F5DE", 0xAA: "\U0001F5DF", 0xAB: "\U0001F5C3",
    0xAC: "\U0001F5C2", 0xAD: "\U0001F5BC", 0xAE: "\U0001F3AD", 0xAF: "\U0001F39C",
    0xB0: "\U0001F398", 0xB1: "\U0001F399", 0xB2: "\U0001F3A7", 0xB3: "\U0001F4BF",
    0xB4: "\U0001F39E", 0xB5: "\U0001F4F7", 0xB6: "\U0001F39F", 0xB7: "\U0001F3AC",
    0xB8: "\U0001F4FD", 0xB9: "\U0001F4F9", 0xBA: "\U0001F4FE", 0xBB: "\U0001F4FB",
    0xBC: "\U0001F39A", 0xBD: "\U0001F39B", 0xBE: "\U0001F4FA", 0xBF: "\U0001F4BB",
    0xC0: "\U0001F5A5", 0xC1: "\U0001F5A6", 0xC2: "\U0001F5A7", 0xC3: "\U0001F579",
    0xC4: "\U0001F3AE", 0xC5: "\U0001F57B", 0xC6: "\U0001F57C", 0xC7: "\U0001F4DF",
    0xC8: "\U0001F581", 0xC9: "\U0001F580", 0xCA: "\U0001F5A8", 0xCB: "\U0001F5A9",
    0xCC: "\U0001F5BF", 0xCD: "\U0001F5AA", 0xCE: "\U0001F5DC", 0xCF: "\U0001F512",
    0xD0: "\U0001F513", 0xD1: "\U0001F5DD", 0xD2: "\U0001F4E5", 0xD3: "\U0001F4E4",
    0xD4: "\U0001F573", 0xD5: "\U0001F323", 0xD6: "\U0001F324", 0xD7: "\U0001F325",
    0xD8: "\U0001F326", 0xD9: "\u2601", 0xDA: "\U0001F328", 0xDB: "\U0001F327",
    0xDC: "\U0001F329", 0xDD: "\U0001F32A", 0xDE: "\U0001F32C", 0xDF: "\U0001F32B",
    0xE0: "\U0001F31C", 0xE1: "\U0001F321", 0xE2: "\U0001F6CB", 0xE3: "\U0001F6CF",
    0xE4: "\U0001F37D", 0xE5: "\U0001F378", 0xE6: "\U0001F6CE", 0xE7: "\U0001F6CD",
    0xE8: "\u24C5", 0xE9: "\u267F", 0xEA: "\U0001F6C6", 0xEB: "\U0001F588",
    0xEC: "\U0001F393", 0xED: "\U0001F5E4", 0xEE: "\U0001F5E5", 0xEF: "\U0001F5E6",
    0xF0: "\U0001F5E7", 0xF1: "\U0001F6EA", 0xF2: "\U0001F43F", 0xF3: "\U0001F426",
    0xF4: "\U0001F41F", 0xF5: "\U0001F415", 0xF6: "\U0001F408", 0xF7: "\U0001F66C",
    0xF8: "\U0001F66E", 0xF9: "\U0001F66D", 0xFA: "\U0001F66F", 0xFB: "\U0001F5FA",
    0xFC: "\U0001F30D", 0xFD: "\U0001F30F", 0xFE: "\U0001F30E", 0xFF: "\U0001F54A",
}  # fmt: skip

_TABLES: Final[dict[str, dict[int, str]]] = {
    "symbol": _SYMBOL,
    "wingdings": _WINGDINGS,
    "wingdings 2": _WINGDINGS_2,
    "wingdings 3": _WINGDINGS_3,
    "webdings": _WEBDINGS,
}

_HEX: Final = re.compile(r"[0-9A-Fa-f]{1,4}")


def _is_xml_char(code: int) -> bool:
    """Whether an XML 1.0 document may hold the character (the Char production)."""
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD


def symbol_text(font: str | None, char: str | None) -> str:
    """The Unicode text a reader sees for `<w:sym w:font=... w:char=.../>` (ECMA-376 17.3.3.30).

    `font` is the `w:font` attribute, a font name such as "Wingdings" or " webdings " (matched
    without case and surrounding spaces), or None. `char` is the `w:char` attribute, up to four
    hex digits such as "F0FC" or "00FC" (the codes F020-F0FF and 0020-00FF both mean byte
    0x20-0xFF of the font), or None.

    Returns the character (as a str; the tables give one code point each) that the published
    table for the font gives for that byte: Symbol from the Unicode Consortium's Adobe Symbol
    table (VENDORS/ADOBE/symbol.txt, private-use entries from Apple's VENDORS/APPLE/SYMBOL.TXT),
    Wingdings, Wingdings 2, Wingdings 3 and Webdings from the Unicode 7.0 source data in WG2
    N4384 = UTC L2/12-368; see the module docstring. For a font not mapped here, or a byte its
    table has no entry for, returns the code itself, `chr(int(char, 16))` (for a mapped font's
    unmapped byte, its private-use form U+F0xx either way), so that a change of symbol is still
    a change. Returns "" when `char` is missing or malformed: not one to four
    hex digits, or a code an XML document cannot hold (controls, surrogates, FFFE, FFFF).
    """
    if char is None or not _HEX.fullmatch(char.strip()):
        return ""
    code = int(char.strip(), 16)
    if not _is_xml_char(code):
        return ""
    table = _TABLES.get(font.strip().casefold()) if font is not None else None
    if table is not None:
        byte = code - 0xF000 if 0xF020 <= code <= 0xF0FF else code
        text = table.get(byte)
        if text is not None:
            return text
        if 0x20 <= byte <= 0xFF:
            return chr(0xF000 + byte)  # a glyph with no Unicode: both forms read the same
    return chr(code)


def is_symbol_font(font: str | None) -> bool:
    """Whether `font` (a w:rFonts name) is one whose characters `symbol_text` maps: text typed
    in it shows the font's glyphs, not the letters stored (Symbol's "m" shows as μ)."""
    return font is not None and font.strip().casefold() in _TABLES


def symbol_run_text(font: str, text: str) -> str:
    """Text of a run set in the symbol font `font`, as Word shows it: each character of the
    font's byte range (U+0020-U+00FF, or its private-use form U+F020-U+F0FF) mapped through
    the font's table; anything else kept."""
    out = []
    for char in text:
        code = ord(char)
        if 0x20 <= code <= 0xFF or 0xF020 <= code <= 0xF0FF:
            out.append(symbol_text(font, f"{code:04X}"))
        else:
            out.append(char)
    return "".join(out)
