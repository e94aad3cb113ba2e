"""Bytes to text for Korean pages: trust the bytes first, then the declarations.

Korean sites mix UTF-8, EUC-KR and CP949, and some declare a charset that their bytes do not use
(pages transcoded to UTF-8 that still say euc-kr). A strict UTF-8 decode almost never succeeds on
EUC-KR bytes, so a clean UTF-8 decode wins over any declaration."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# EUC-KR is a subset of CP949 (UHC); decoding as cp949 also accepts the extra syllables sites use.
_WIDER = {
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "ms949": "cp949",
    "uhc": "cp949",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _normalise(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(data: bytes) -> list[str]:
    """Charsets named by <meta> tags in the first 8 KB, in page order."""
    return [c.decode("ascii", "ignore") for c in _META_CHARSET.findall(data[:8192])]


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns (text, encoding used). `declared` is the HTTP header charset."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = [_normalise(declared), *(_normalise(c) for c in declared_charsets(data)), "cp949"]
    for name in dict.fromkeys(c for c in candidates if c and c != "utf-8"):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    # Nothing decodes cleanly: take the decoding with the fewest broken characters.
    scored = [
        (data.decode(name, errors="replace").count("\ufffd"), name)
        for name in dict.fromkeys(["utf-8", *(c for c in candidates if c)])
    ]
    _, name = min(scored)
    return data.decode(name, errors="replace"), name
