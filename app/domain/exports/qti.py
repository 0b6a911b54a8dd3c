"""A lesson as a QTI 3.0 content package: a zip with ``imsmanifest.xml``, one assessment
item per question (``items/<question id>.xml``) and an assessment test that delivers them
in the lesson's order and adds up their scores (``assessment-test.xml``).

The manifest follows QTI 3.0 content packaging (IMS CP 1.2 profile): resources of type
``imsqti_item_xmlv3p0`` and ``imsqti_test_xmlv3p0``, the test depending on its items.
The bytes are the same for the same lesson version: files in a fixed order, fixed
timestamps and permissions, no clock read anywhere.
"""

from __future__ import annotations

import io
import zipfile

from app.domain.answer_keys import answer_key
from app.domain.exports import LessonExport
from app.domain.exports.qti_items import item
from app.domain.exports.qti_xml import (
    ASI_NS,
    ASI_XSD,
    CP_NS,
    CP_XSD,
    XSI,
    document,
    el,
    ident,
    number,
)

MANIFEST = "imsmanifest.xml"
TEST = "assessment-test.xml"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no clock in the bytes


def item_path(question_id: str) -> str:
    return f"items/{question_id}.xml"


def _test(export: LessonExport, items: list[tuple[str, str]], total: float) -> bytes:
    slug = export.slug
    root = el("qti-assessment-test", {
        "xmlns": ASI_NS, f"{XSI}schemaLocation": f"{ASI_NS} {ASI_XSD}",
        "identifier": ident("framinglab.", f"{slug}.test"), "title": export.content["title"]},
        el("qti-outcome-declaration", {"identifier": "SCORE", "cardinality": "single",
                                       "base-type": "float"},
           el("qti-default-value", {}, el("qti-value", {}, "0"))),
        el("qti-outcome-declaration", {"identifier": "MAXSCORE", "cardinality": "single",
                                       "base-type": "float"},
           el("qti-default-value", {}, el("qti-value", {}, number(total)))),
        el("qti-test-part", {"identifier": "part-1", "navigation-mode": "nonlinear",
                             "submission-mode": "simultaneous"},
           el("qti-assessment-section", {"identifier": "section-1",
                                         "title": export.content["title"], "visible": "true"},
              *(el("qti-assessment-item-ref", {"identifier": identifier, "href": path})
                for identifier, path in items))),
        el("qti-outcome-processing", {},
           el("qti-set-outcome-value", {"identifier": "SCORE"},
              el("qti-sum", {}, el("qti-test-variables", {"variable-identifier": "SCORE"})))))
    return document(root)


def _manifest(export: LessonExport, items: list[tuple[str, str]]) -> bytes:
    slug = export.slug
    test_id = ident("framinglab.", f"{slug}.test")
    root = el("manifest", {
        "xmlns": CP_NS, f"{XSI}schemaLocation": f"{CP_NS} {CP_XSD}",
        "identifier": ident("framinglab.", f"{slug}.v{export.version}")},
        el("metadata", {}, el("schema", {}, "QTI Package"),
           el("schemaversion", {}, "3.0.0")),
        el("organizations"),
        el("resources", {},
           el("resource", {"identifier": test_id, "type": "imsqti_test_xmlv3p0", "href": TEST},
              el("file", {"href": TEST}),
              *(el("dependency", {"identifierref": identifier}) for identifier, _ in items)),
           *(el("resource", {"identifier": identifier, "type": "imsqti_item_xmlv3p0",
                             "href": path}, el("file", {"href": path}))
             for identifier, path in items)))
    return document(root)


def package_files(export: LessonExport) -> list[tuple[str, bytes]]:
    """Every file of the package, ``(path, bytes)``, in the order the zip holds them."""
    keyed = answer_key(export.content, export.sources)
    files: list[tuple[str, bytes]] = []
    refs: list[tuple[str, str]] = []
    for number_, (question, key) in enumerate(zip(export.content["questions"], keyed,
                                                  strict=True), start=1):
        identifier, xml = item(export, question, number_, key)
        refs.append((identifier, item_path(question["id"])))
        files.append((item_path(question["id"]), xml))
    total = sum(key.max_points for key in keyed)
    return [(MANIFEST, _manifest(export, refs)), (TEST, _test(export, refs, total)), *files]


def qti_package(export: LessonExport) -> bytes:
    """The lesson as a QTI 3.0 content package (zip bytes, the same for the same input)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in package_files(export):
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
