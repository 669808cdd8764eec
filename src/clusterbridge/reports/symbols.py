"""Symbols in printed pages: emoji and other pictographs that no installed font draws are
spelt out by name ("[rocket]") instead of printing as empty boxes.

WeasyPrint (through Pango and fontconfig) draws a character in the first font of the page's
``font-family`` that has it, else in any installed font that has it: with an emoji font such as
Noto Color Emoji (Debian ``fonts-noto-color-emoji``) a name like "Café ☕ Cluster 🚀" prints as
written. Without one, the page still prints, and the reader sees what the symbol was."""

import ctypes
import ctypes.util
import unicodedata
from collections.abc import Callable
from functools import cache

#: The emoji font the pages ask for after their text fonts (Debian: fonts-noto-color-emoji).
EMOJI_FONT = "Noto Color Emoji"
#: The Unicode categories spelt out when no font draws them: other symbols (pictographs,
#: emoji, dingbats) and modifier symbols (skin tones).
SPELT_CATEGORIES = frozenset({"So", "Sk"})
#: Joiners and presentation selectors that only shape the symbol before them.
_SHAPERS = frozenset({"\u200d", "\ufe0e", "\ufe0f"})


def spell_missing_symbols(text: str, *, printable: Callable[[str], bool]) -> str:
    """``text`` with each symbol (``SPELT_CATEGORIES``, outside ASCII) for which ``printable``
    is false replaced by its Unicode name in lower case in brackets ("[rocket]"), the joiners
    and presentation selectors after it removed. Letters, digits, punctuation and the symbols
    a font draws are kept as they are; markup has no symbols, so a page's HTML may be given."""
    out: list[str] = []
    spelt = False
    for char in text:
        if spelt and char in _SHAPERS:
            continue
        spelt = _spellable(char) and not printable(char)
        if spelt:
            out.append(f"[{unicodedata.name(char, f'U+{ord(char):04X}').lower()}]")
        else:
            out.append(char)
    return "".join(out)


def _spellable(char: str) -> bool:
    return ord(char) > 0x7F and unicodedata.category(char) in SPELT_CATEGORIES


@cache
def font_draws(char: str) -> bool:
    """Whether an installed font (as fontconfig lists them) has a glyph for ``char``; True when
    fontconfig cannot be asked (nothing is then spelt out). Cached per process."""
    library = _fontconfig()
    if library is None:
        return True
    charset = library.FcCharSetCreate()
    pattern = library.FcPatternCreate()
    objects = library.FcObjectSetBuild(b"family", None)
    try:
        library.FcCharSetAddChar(charset, ord(char))
        library.FcPatternAddCharSet(pattern, b"charset", charset)
        fonts = library.FcFontList(None, pattern, objects)
        if not fonts:
            return True
        found: int = ctypes.cast(fonts, ctypes.POINTER(ctypes.c_int))[0]  # FcFontSet.nfont
        library.FcFontSetDestroy(fonts)
        return found > 0
    finally:
        library.FcObjectSetDestroy(objects)
        library.FcPatternDestroy(pattern)
        library.FcCharSetDestroy(charset)


@cache
def _fontconfig() -> ctypes.CDLL | None:
    """The fontconfig library Pango uses, with the few calls asked here typed; None without."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    pointer = ctypes.c_void_p
    for function, result, arguments in (
        ("FcCharSetCreate", pointer, []),
        ("FcCharSetAddChar", ctypes.c_int, [pointer, ctypes.c_uint32]),
        ("FcCharSetDestroy", None, [pointer]),
        ("FcPatternCreate", pointer, []),
        ("FcPatternAddCharSet", ctypes.c_int, [pointer, ctypes.c_char_p, pointer]),
        ("FcPatternDestroy", None, [pointer]),
        ("FcObjectSetBuild", pointer, [ctypes.c_char_p, ctypes.c_void_p]),
        ("FcObjectSetDestroy", None, [pointer]),
        ("FcFontList", pointer, [pointer, pointer, pointer]),
        ("FcFontSetDestroy", None, [pointer]),
    ):
        call = getattr(library, function)
        call.restype, call.argtypes = result, arguments
    return library
