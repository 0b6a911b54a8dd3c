"""Test-only: strict checks of the QTI 3.0 XML the exporter writes, and a small interpreter
of its response processing.

No registry package ships the 1EdTech QTI 3.0 XSDs (see docs/exports.md), so the tests
check the documents against this table instead: for every element the exporter may
write, the children it may hold (in order), the attributes it must and may carry and
their value types, and whether it may hold text. It follows the QTI 3.0 ASI information
model and the spec's examples (https://www.imsglobal.org/spec/qti/v3p0/impl, the
1EdTech qti-examples repository). It is deliberately narrower than the schema: anything the
exporter is not meant to write is an error. The interpreter runs ``qti-response-processing``
as a QTI player would (QTI 3.0 ASI: mapResponse sums the mapped value of each distinct
value, the default value for values not in the map, then applies the bounds), so the
tests can compare its SCORE with the app's scorer.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

ASI_NS = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
CP_NS = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"
XSI_LOC = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
FLOAT = re.compile(r"^-?\d+(\.\d+)?([eE]-?\d+)?$")

INLINE = {"strong", "em", "a", "span", "br", "qti-hottext", "qti-feedback-inline"}
BLOCK = {"p", "div", "ul"}
EXPRESSIONS = {"qti-variable", "qti-base-value", "qti-map-response", "qti-sum", "qti-not",
               "qti-is-null", "qti-contains", "qti-multiple", "qti-lt"}
RULES = {"qti-set-outcome-value", "qti-response-condition"}
TYPES = {
    "identifier": NCNAME, "float": FLOAT, "int": re.compile(r"^\d+$"),
    "bool": re.compile(r"^(true|false)$"), "card": re.compile(r"^(single|multiple)$"),
    "base": re.compile(r"^(identifier|float|integer|boolean|string)$"),
    "showhide": re.compile(r"^(show|hide)$"), "text": re.compile(r"^.+$", re.S),
    "nav": re.compile(r"^(linear|nonlinear)$"),
    "sub": re.compile(r"^(individual|simultaneous)$"),
    "restype": re.compile(r"^imsqti_(item|test)_xmlv3p0$"),
    "href": re.compile(r"^[a-z0-9._/-]+\.xml$"),
    "url": re.compile(r"^https?://\S+$"),
}

E = "(?:{} )"  # one child element in the joined list of child tags


def seq(*parts: str) -> re.Pattern[str]:
    return re.compile("^" + "".join(parts) + "$")


def one_of(tags: set[str] | tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(tag) for tag in sorted(tags)) + ") "


# element -> (children pattern, required attributes, optional attributes, text allowed)
SPEC: dict[str, tuple[re.Pattern[str], dict[str, str], dict[str, str], bool]] = {
    "qti-assessment-item": (seq(E.format("qti-response-declaration") + "*",
                                E.format("qti-outcome-declaration") + "*",
                                E.format("qti-item-body") + "?",
                                E.format("qti-response-processing") + "?",
                                E.format("qti-modal-feedback") + "*"),
                            {"identifier": "identifier", "title": "text",
                             "time-dependent": "bool"},
                            {"adaptive": "bool", LANG: "text", XSI_LOC: "text"}, False),
    "qti-response-declaration": (seq(E.format("qti-correct-response") + "?",
                                     E.format("qti-mapping") + "?"),
                                 {"identifier": "identifier", "cardinality": "card",
                                  "base-type": "base"}, {}, False),
    "qti-correct-response": (seq(E.format("qti-value") + "+"), {}, {}, False),
    "qti-default-value": (seq(E.format("qti-value") + "+"), {}, {}, False),
    "qti-value": (seq(), {}, {}, True),
    "qti-mapping": (seq(E.format("qti-map-entry") + "+"), {},
                    {"default-value": "float", "lower-bound": "float", "upper-bound": "float"},
                    False),
    "qti-map-entry": (seq(), {"map-key": "identifier", "mapped-value": "float"},
                      {"case-sensitive": "bool"}, False),
    "qti-outcome-declaration": (seq(E.format("qti-default-value") + "?"),
                                {"identifier": "identifier", "cardinality": "card",
                                 "base-type": "base"}, {"normal-maximum": "float"}, False),
    "qti-item-body": (seq("(?:" + one_of(BLOCK | {"qti-hottext-interaction",
                                                 "qti-choice-interaction"}) + ")*"),
                      {}, {}, False),
    "p": (seq("(?:" + one_of(INLINE - {"qti-feedback-inline"}) + ")*"), {},
          {"class": "text"}, True),
    "div": (seq("(?:" + one_of(BLOCK) + ")*"), {}, {"class": "text"}, False),
    "ul": (seq(E.format("li") + "+"), {}, {}, False),
    "li": (seq("(?:" + one_of({"strong", "em", "a"}) + ")*"), {}, {}, True),
    "strong": (seq(), {}, {"class": "text"}, True),
    "em": (seq(), {}, {}, True),
    "a": (seq(), {"href": "url"}, {}, True),
    "qti-hottext-interaction": (seq(E.format("qti-prompt") + "?", E.format("p") + "+"),
                                {"response-identifier": "identifier"},
                                {"max-choices": "int", "min-choices": "int"}, False),
    "qti-hottext": (seq(), {"identifier": "identifier"}, {}, True),
    "qti-prompt": (seq(), {}, {}, True),
    "qti-choice-interaction": (seq(E.format("qti-prompt") + "?",
                                   E.format("qti-simple-choice") + "+"),
                               {"response-identifier": "identifier"},
                               {"shuffle": "bool", "max-choices": "int", "min-choices": "int"},
                               False),
    "qti-simple-choice": (seq("(?:" + one_of({"strong", "em", "qti-feedback-inline"}) + ")*"),
                          {"identifier": "identifier"}, {}, True),
    "qti-feedback-inline": (seq(), {"outcome-identifier": "identifier",
                                    "identifier": "identifier"}, {"show-hide": "showhide"},
                            True),
    "qti-response-processing": (seq("(?:" + one_of(RULES) + ")+"), {}, {}, False),
    "qti-response-condition": (seq(E.format("qti-response-if"),
                                   E.format("qti-response-else-if") + "*",
                                   E.format("qti-response-else") + "?"), {}, {}, False),
    "qti-response-if": (seq(one_of(EXPRESSIONS), "(?:" + one_of(RULES) + ")*"), {}, {}, False),
    "qti-set-outcome-value": (seq(one_of(EXPRESSIONS)), {"identifier": "identifier"}, {},
                              False),
    "qti-variable": (seq(), {"identifier": "identifier"}, {}, False),
    "qti-base-value": (seq(), {"base-type": "base"}, {}, True),
    "qti-map-response": (seq(), {"identifier": "identifier"}, {}, False),
    "qti-sum": (seq("(?:" + one_of(EXPRESSIONS | {"qti-test-variables"}) + ")+"), {}, {},
                False),
    "qti-not": (seq(one_of(EXPRESSIONS)), {}, {}, False),
    "qti-is-null": (seq(one_of(EXPRESSIONS)), {}, {}, False),
    "qti-lt": (seq("(?:" + one_of(EXPRESSIONS) + "){2}"), {}, {}, False),
    "qti-contains": (seq("(?:" + one_of(EXPRESSIONS) + "){2}"), {}, {}, False),
    "qti-multiple": (seq("(?:" + one_of(EXPRESSIONS) + ")*"), {}, {}, False),
    "qti-modal-feedback": (seq(E.format("qti-content-body")),
                           {"outcome-identifier": "identifier", "identifier": "identifier",
                            "show-hide": "showhide"}, {}, False),
    "qti-content-body": (seq("(?:" + one_of(BLOCK) + ")+"), {}, {}, False),
    # the assessment test
    "qti-assessment-test": (seq(E.format("qti-outcome-declaration") + "*",
                                E.format("qti-test-part") + "+",
                                E.format("qti-outcome-processing") + "?"),
                            {"identifier": "identifier", "title": "text"},
                            {XSI_LOC: "text"}, False),
    "qti-test-part": (seq(E.format("qti-assessment-section") + "+"),
                      {"identifier": "identifier", "navigation-mode": "nav",
                       "submission-mode": "sub"}, {}, False),
    "qti-assessment-section": (seq(E.format("qti-assessment-item-ref") + "+"),
                               {"identifier": "identifier", "title": "text", "visible": "bool"},
                               {}, False),
    "qti-assessment-item-ref": (seq(), {"identifier": "identifier", "href": "href"}, {}, False),
    "qti-outcome-processing": (seq(E.format("qti-set-outcome-value") + "+"), {}, {}, False),
    "qti-test-variables": (seq(), {"variable-identifier": "identifier"}, {}, False),
}
MANIFEST_SPEC: dict[str, tuple[re.Pattern[str], dict[str, str], dict[str, str], bool]] = {
    "manifest": (seq(E.format("metadata") + "?", E.format("organizations"),
                     E.format("resources")), {"identifier": "identifier"}, {XSI_LOC: "text"},
                 False),
    "metadata": (seq(E.format("schema"), E.format("schemaversion")), {}, {}, False),
    "schema": (seq(), {}, {}, True),
    "schemaversion": (seq(), {}, {}, True),
    "organizations": (seq(), {}, {}, False),
    "resources": (seq(E.format("resource") + "+"), {}, {}, False),
    "resource": (seq(E.format("file") + "+", E.format("dependency") + "*"),
                 {"identifier": "identifier", "type": "restype", "href": "href"}, {}, False),
    "file": (seq(), {"href": "href"}, {}, False),
    "dependency": (seq(), {"identifierref": "identifier"}, {}, False),
}


def local(tag: str, namespace: str) -> str:
    assert tag.startswith("{" + namespace + "}"), f"{tag} is not in {namespace}"
    return tag[len(namespace) + 2:]


def problems(data: bytes, *, manifest: bool = False) -> list[str]:
    """Every way the document breaks the table (an empty list: it conforms)."""
    namespace, spec = (CP_NS, MANIFEST_SPEC) if manifest else (ASI_NS, SPEC)
    root = ET.fromstring(data)
    found: list[str] = []
    identifiers: dict[str, str] = {}

    def walk(node: ET.Element, path: str) -> None:
        name = local(node.tag, namespace)
        where = f"{path}/{name}"
        if name not in spec:
            found.append(f"{where}: element not expected")
            return
        pattern, required, optional, text = spec[name]
        children = " ".join(local(child.tag, namespace) for child in node)
        if not pattern.match(children + " " if children else ""):
            found.append(f"{where}: children ({children}) out of place")
        for attribute in required:
            if attribute not in node.attrib:
                found.append(f"{where}: missing {attribute}")
        for attribute, value in node.attrib.items():
            kind = required.get(attribute) or optional.get(attribute)
            if kind is None:
                found.append(f"{where}: attribute {attribute} not expected")
            elif not TYPES[kind].match(value):
                found.append(f"{where}: {attribute}={value!r} is not a {kind}")
        if not text and ((node.text or "").strip() or any((c.tail or "").strip() for c in node)):
            found.append(f"{where}: text not expected")
        if name in ("qti-hottext", "qti-simple-choice"):
            key = node.get("identifier", "")
            if key in identifiers:
                found.append(f"{where}: identifier {key} used twice")
            identifiers[key] = name
        for child in node:
            walk(child, where)

    walk(root, "")
    return found


# --- response processing ---------------------------------------------------------------------

def _strip(node: ET.Element) -> str:
    return local(node.tag, ASI_NS)


def declarations(root: ET.Element) -> dict[str, dict[str, Any]]:
    found = {}
    for node in root:
        if _strip(node) not in ("qti-response-declaration", "qti-outcome-declaration"):
            continue
        info: dict[str, Any] = {"cardinality": node.get("cardinality"), "default": None}
        for child in node:
            if _strip(child) == "qti-default-value":
                info["default"] = float(child[0].text or 0) if node.get("base-type") == \
                    "float" else child[0].text
            if _strip(child) == "qti-mapping":
                info["mapping"] = {
                    "default": float(child.get("default-value", "0")),
                    "lower": float(child.get("lower-bound")) if child.get("lower-bound")
                    else None,
                    "upper": float(child.get("upper-bound")) if child.get("upper-bound")
                    else None,
                    "entries": {entry.get("map-key"): float(entry.get("mapped-value"))
                                for entry in child}}
        found[node.get("identifier")] = info
    return found


def evaluate(data: bytes, responses: dict[str, Any]) -> dict[str, Any]:
    """Run the item's response processing on ``responses`` (identifier -> a value, a list
    of values, or None) and return every outcome."""
    root = ET.fromstring(data)
    declared = declarations(root)
    values: dict[str, Any] = {name: info["default"] for name, info in declared.items()}
    for name, value in responses.items():
        assert name in declared, f"no response {name}"
        values[name] = value if value not in ([], "") else None

    def expression(node: ET.Element) -> Any:
        name = _strip(node)
        if name == "qti-variable":
            return values[node.get("identifier")]
        if name == "qti-base-value":
            return float(node.text) if node.get("base-type") == "float" else node.text
        if name == "qti-map-response":
            mapping = declared[node.get("identifier")]["mapping"]
            given = values[node.get("identifier")]
            assert given is not None, "mapResponse of NULL is guarded by isNull"
            distinct = set(given) if isinstance(given, list) else {given}
            total = sum(mapping["entries"].get(value, mapping["default"]) for value in distinct)
            if mapping["lower"] is not None:
                total = max(total, mapping["lower"])
            if mapping["upper"] is not None:
                total = min(total, mapping["upper"])
            return total
        args = [expression(child) for child in node]
        if name == "qti-sum":
            return None if None in args else sum(args)
        if name == "qti-is-null":
            return args[0] is None
        if name == "qti-not":
            return None if args[0] is None else not args[0]
        if name == "qti-lt":
            return None if None in args else args[0] < args[1]
        if name == "qti-multiple":
            return [value for value in args if value is not None] or None
        if name == "qti-contains":
            if None in args:
                return None
            return set(args[1]) <= set(args[0])
        raise AssertionError(f"unexpected expression {name}")

    def run(rules: list[ET.Element]) -> None:
        for rule in rules:
            name = _strip(rule)
            if name == "qti-set-outcome-value":
                values[rule.get("identifier")] = expression(rule[0])
            elif name == "qti-response-condition":
                for branch in rule:
                    if _strip(branch) == "qti-response-else":
                        run(list(branch))
                        break
                    if expression(branch[0]) is True:
                        run(list(branch)[1:])
                        break
            else:
                raise AssertionError(f"unexpected rule {name}")

    processing = next(node for node in root if _strip(node) == "qti-response-processing")
    run(list(processing))
    return values
