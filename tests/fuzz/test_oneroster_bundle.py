"""Fuzzing the OneRoster reader: whatever bytes arrive as a roster zip or its CSV files,
reading, parsing and planning either work or refuse with a placed problem (never another
exception, which the admin page would answer with a 500).

Pure (no app): a real bundle from ``tests.helpers`` with bytes flipped, cut or spliced
in. Bounded for CI: derandomized, ``FUZZ_EXAMPLES`` examples, no deadline.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.oneroster import parse_bundle
from app.domain.oneroster_files import BundleInvalid, files_from_mapping, files_from_zip
from app.domain.oneroster_plan import plan_import
from app.domain.oneroster_report import State
from tests.helpers import oneroster_files, oneroster_zip

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                derandomize=True, suppress_health_check=[HealthCheck.too_slow])
ZIP = oneroster_zip()
FILES = oneroster_files()
HOSTILE = st.sampled_from([b"\x00", b'"', b"\r", b"\n", b",", b"\xef\xbb\xbf", b"\xff",
                           b'""', b"tobedeleted", b"PK\x03\x04", b"\xc3", "李".encode()])


def read(files_or_zip) -> None:
    try:
        if isinstance(files_or_zip, bytes):
            bundle = parse_bundle(files_from_zip(files_or_zip))
        else:
            bundle = parse_bundle(files_from_mapping(files_or_zip))
    except BundleInvalid as invalid:
        assert invalid.issues and all(issue.file for issue in invalid.issues)
        return
    plan = plan_import(bundle, State())
    assert all(line.outcome and line.message for line in plan.lines)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(ZIP) - 1), st.integers(0, 255)),
                min_size=1, max_size=8),
       st.integers(0, len(ZIP)))
def test_a_damaged_zip_is_read_or_refused(flips, cut):
    data = bytearray(ZIP)
    for position, value in flips:
        data[position] = value
    read(bytes(data[:max(cut, 4)]))


@FUZZ
@given(st.sampled_from(sorted(FILES)), st.lists(st.tuples(st.integers(0, 4_000), HOSTILE),
                                                min_size=1, max_size=6))
def test_hostile_bytes_in_a_csv_file_are_read_or_refused(name, splices):
    content = bytearray(FILES[name])
    for position, piece in splices:
        at = min(position, len(content))
        content[at:at] = piece
    read({**FILES, name: bytes(content)})
