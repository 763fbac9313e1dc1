"""WordprocessingML vocabulary shared by the reader: namespaces, tags, small helpers."""

from __future__ import annotations

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def w(local: str) -> str:
    """The Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{local}"


VAL = w("val")


def val(element: etree._Element | None, default: str | None = None) -> str | None:
    """The w:val attribute of `element`, or `default` when the element or attribute is absent."""
    if element is None:
        return default
    value = element.get(VAL)
    return default if value is None else value


def on(element: etree._Element | None) -> bool:
    """A WordprocessingML on/off property: present and not switched off."""
    if element is None:
        return False
    return element.get(VAL, "true").lower() not in {"false", "0", "off", "none"}


def int_val(element: etree._Element | None, default: int) -> int:
    text = val(element)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return default
