"""Writing QTI 3.0 XML: namespaces, identifiers, a small element builder and the serializer.

Elements are built with the standard library's ElementTree (escaping is its job, so no
text of a lesson can break the markup) and serialized the same way every time: attributes
in the order given, the structural elements indented, mixed content (a paragraph of words)
left exactly as built, so the text a student reads is the excerpt's text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 (builds and writes XML only; parses nothing)
from collections.abc import Mapping

# The QTI 3.0 namespaces and the 1EdTech schema locations (QTI 3.0 Final, 2022), from the
# spec's XSD index: https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/
ASI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
ASI_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
# The content package's manifest: the schema file is "imscpv1p2" but its namespace keeps
# the CP 1.1 name, as the spec's examples write it.
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
CP_XSD = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Characters XML 1.0 cannot carry (lesson text never holds them; a pasted document might).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]")

# Elements whose children are elements only: indented one per line. Everything else (a
# paragraph, a choice, a prompt) keeps its text and children exactly as built.
STRUCTURAL = frozenset({
    "qti-assessment-item", "qti-assessment-test", "qti-test-part", "qti-assessment-section",
    "qti-response-declaration", "qti-outcome-declaration", "qti-correct-response",
    "qti-default-value", "qti-mapping", "qti-item-body", "qti-hottext-interaction",
    "qti-choice-interaction", "qti-response-processing", "qti-response-condition",
    "qti-response-if", "qti-response-else-if", "qti-response-else", "qti-set-outcome-value",
    "qti-sum", "qti-multiple", "qti-contains", "qti-lt", "qti-not", "qti-is-null",
    "qti-outcome-processing", "qti-modal-feedback", "qti-content-body", "ul", "div",
    "manifest", "metadata", "organizations", "resources", "resource",
})

Content = ET.Element | str | None


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def ident(prefix: str, raw: str) -> str:
    """An identifier (an XML NCName) from a lesson's id: ``prefix`` (which starts with a
    letter) and ``raw`` with any character a name cannot hold replaced by ``_``."""
    return prefix + _NOT_NAME.sub("_", raw)


def el(tag: str, attrs: Mapping[str, str | None] | None = None, *content: Content) -> ET.Element:
    """An element with ``attrs`` (None values left out) and ``content``: strings become
    text (after the last child, if any), elements become children."""
    node = ET.Element(tag, {name: clean(value) for name, value in (attrs or {}).items()
                            if value is not None})
    add(node, *content)
    return node


def add(node: ET.Element, *content: Content) -> ET.Element:
    """Append ``content`` to ``node`` (see :func:`el`); returns ``node``."""
    for item in content:
        if item is None or item == "":
            continue
        if isinstance(item, str):
            if len(node):
                node[-1].tail = (node[-1].tail or "") + clean(item)
            else:
                node.text = (node.text or "") + clean(item)
        else:
            node.append(item)
    return node


def number(value: float) -> str:
    """A float as QTI writes it: shortest exact form, no trailing ``.0`` noise."""
    return format(value, ".15g") if value != int(value) else str(int(value))


def _indent(node: ET.Element, depth: int = 0) -> None:
    children = list(node)
    if node.tag not in STRUCTURAL or not children or (node.text or "").strip() or any(
            (child.tail or "").strip() for child in children):
        return
    inner = "\n" + "  " * (depth + 1)
    node.text = inner
    for child in children:
        child.tail = inner
        _indent(child, depth + 1)
    children[-1].tail = "\n" + "  " * depth


def document(root: ET.Element) -> bytes:
    """``root`` as a UTF-8 XML document, the structural elements indented."""
    _indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
