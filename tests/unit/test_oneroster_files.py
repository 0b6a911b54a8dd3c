"""Reading a OneRoster bundle: the zip's and the CSV files' bounds, and every problem with a
file placed by file, line and column."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.domain import oneroster_files as bounds
from app.domain.oneroster import parse_bundle
from app.domain.oneroster_files import (
    BundleInvalid,
    BundleTooLarge,
    files_from_mapping,
    files_from_zip,
)
from tests.helpers import ONEROSTER_COLUMNS, oneroster_csv, oneroster_files, oneroster_zip


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def problems(error: pytest.ExceptionInfo[BundleInvalid]) -> list[str]:
    return [str(issue) for issue in error.value.issues]


def test_a_school_bundle_reads_every_record_and_names_the_files_not_used():
    files = oneroster_files()
    files["orgs.csv"] = b"sourcedId,status,dateLastModified,name,type\r\norg-1,,,School,school\r\n"
    bundle = parse_bundle(files_from_zip(zipped(files)))
    assert [user.username for user in bundle.users][:3] == ["Ms.Lee@school.example", "mr.kay",
                                                           "alice"]
    assert len(bundle.roles) == 8 and len(bundle.classes) == 2
    assert len(bundle.enrollments) == 7
    assert all(record.ok for record in [*bundle.users, *bundle.classes, *bundle.enrollments])
    primary = [row.user_sourced_id for row in bundle.enrollments if row.primary]
    assert primary == ["t-1", "t-1"]
    assert bundle.manifest.oneroster_version == "1.2"
    assert bundle.manifest.mode("users.csv") == "bulk"
    assert "Not used by Framing Lab: orgs.csv." in bundle.notes


def test_csv_files_may_be_given_one_by_one_with_a_byte_order_mark_and_crlf():
    files = oneroster_files()
    files = {name: b"\xef\xbb\xbf" + content for name, content in files.items()}
    bundle = parse_bundle(files_from_mapping(files))
    assert bundle.users[0].sourced_id == "t-1"  # the mark is not part of "sourcedId"
    assert bundle.users[0].line == 2


def test_a_header_without_a_needed_column_names_the_file_and_suggests_the_spelling():
    columns = tuple("sourcedID" if name == "sourcedId" else name
                    for name in ONEROSTER_COLUMNS["classes.csv"])
    with pytest.raises(BundleInvalid) as error:
        parse_bundle(files_from_mapping(oneroster_files(columns={"classes.csv": columns})))
    assert problems(error) == [
        "classes.csv, line 1, column “sourcedId”: The header has no “sourcedId” column, "
        "which Framing Lab needs. The header has “sourcedID”: column names are "
        "case-sensitive, write it “sourcedId”."]


def test_bad_rows_are_kept_with_their_problems_and_the_rest_is_read():
    tables = {"users.csv": [
        {"sourcedId": "s-1", "username": "alice", "enabledUser": "yes"},
        {"sourcedId": "s-1", "username": "alice2"},
        {"sourcedId": "", "username": "nobody"},
        {"sourcedId": "s-4", "username": "", "status": "gone"},
        {"sourcedId": "s-5", "username": "eve\x07"},
        {"sourcedId": "s-6", "username": "fine"},
    ]}
    bundle = parse_bundle(files_from_mapping(oneroster_files(tables)))
    found = {user.line: [str(issue) for issue in user.problems] for user in bundle.users}
    assert found == {
        2: ["users.csv, line 2, column “enabledUser”: Write true or false, not “yes”."],
        3: ["users.csv, line 3, column “sourcedId”: “s-1” is already the sourcedId of line "
            "2: each must be unique."],
        4: ["users.csv, line 4, column “sourcedId”: The sourcedId is empty."],
        5: ["users.csv, line 5, column “status”: The status must be active or tobedeleted, "
            "not “gone”.",
            "users.csv, line 5, column “username”: The username is empty."],
        6: ["users.csv, line 6, column “username”: This value contains a control character "
            "(U+0007) at position 4."],
        7: [],
    }


def test_a_row_with_the_wrong_number_of_cells_and_a_quote_left_open():
    users = (b"sourcedId,username,givenName,familyName\r\n"
             b"s-1,alice,Alice\r\n")
    files = {**oneroster_files({"users.csv": []}), "users.csv": users}
    bundle = parse_bundle(files_from_mapping(files))
    assert [str(issue) for issue in bundle.users[0].problems] == [
        "users.csv, line 2: This row has 3 values; the header has 4 columns."]
    files["users.csv"] = users + b'"s-2,bob,"Bob" Jones,J\r\n'
    with pytest.raises(BundleInvalid) as error:
        parse_bundle(files_from_mapping(files))
    assert problems(error)[0].startswith("users.csv, line 3: This line cannot be read as CSV")


def test_a_quoted_value_over_several_lines_keeps_the_line_numbers_of_the_file():
    users = (b"sourcedId,username,givenName,familyName\r\n"
             b's-1,alice,"Alice\r\nMay",Smith\r\n'
             b"s-2,,Bob,Jones\r\n")
    bundle = parse_bundle(files_from_mapping({**oneroster_files({"users.csv": []}),
                                              "users.csv": users}))
    assert [user.line for user in bundle.users] == [2, 4]
    assert str(bundle.users[1].problems[0]).startswith("users.csv, line 4, column “username”")


def test_text_that_is_not_utf8_is_refused_with_its_line():
    files = oneroster_files()
    files["users.csv"] = files["users.csv"].replace(b"Zo\xc3\xab", b"Zo\xeb")
    with pytest.raises(BundleInvalid) as error:
        parse_bundle(files_from_mapping(files))
    assert problems(error) == ["users.csv, line 6: This file is not UTF-8 text, as OneRoster "
                               "files must be. Save it again as “CSV UTF-8”."]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda f: f.pop("manifest.csv"), "manifest.csv: The bundle has no manifest.csv."),
    (lambda f: f.update({"manifest.csv": f["manifest.csv"].replace(b"1.2", b"1.0")}),
     "manifest.csv, line 3, column “value”: oneroster.version is “1.0”"),
    (lambda f: f.update({"manifest.csv": f["manifest.csv"].replace(
        b"file.users,bulk", b"file.users,full")}),
     "manifest.csv, line 17, column “value”: file.users must be bulk, delta or absent"),
    (lambda f: f.pop("roles.csv"),
     "manifest.csv, line 16, column “value”: file.roles says bulk, but the bundle has no "
     "roles.csv."),
])
def test_manifest_problems(change, expected):
    files = oneroster_files()
    change(files)
    with pytest.raises(BundleInvalid) as error:
        parse_bundle(files_from_mapping(files))
    assert problems(error)[0].startswith(expected)


def test_a_file_marked_absent_is_not_read():
    files = oneroster_files(modes={"roles.csv": "absent"})
    files["roles.csv"] = b"not,a,roles,file\r\n"
    bundle = parse_bundle(files_from_mapping(files))
    assert bundle.roles == []
    assert "roles.csv was not read: manifest.csv marks it absent." in bundle.notes


@pytest.mark.parametrize(("name", "expected"), [
    ("export/users.csv", "must be at the top level of the zip"),
    ("../users.csv", "points outside the zip"),
    ("/users.csv", "points outside the zip"),
])
def test_paths_outside_the_top_level_are_refused(name, expected):
    with pytest.raises(BundleInvalid) as error:
        files_from_zip(zipped({"manifest.csv": b"x", name: b"x"}))
    assert expected in problems(error)[0]


def test_a_macs_extra_folder_is_skipped():
    files = oneroster_files()
    data = zipped({**files, "__MACOSX/._users.csv": b"\x00\x05\x16\x07"})
    assert parse_bundle(files_from_zip(data)).users[0].sourced_id == "t-1"


def test_a_zip_bomb_stops_at_the_file_limit_whatever_its_header_says():
    bomb = zipped({"manifest.csv": b"x",
                   "users.csv": b"\0" * (bounds.MAX_FILE_BYTES + 1024)})
    assert len(bomb) < 100_000  # tiny as sent
    with pytest.raises(BundleTooLarge) as error:
        files_from_zip(bomb)
    assert error.value.status == 413
    assert "Unpacked, this file is larger than 16 MiB" in problems(error)[0]


def test_all_files_together_are_bounded_too(monkeypatch):
    files = oneroster_files()
    read = sum(len(content) for content in files.values())  # every file is one it reads
    monkeypatch.setattr(bounds, "MAX_TOTAL_BYTES", read)
    assert files_from_zip(zipped(files)).data == files
    monkeypatch.setattr(bounds, "MAX_TOTAL_BYTES", read - 1)
    with pytest.raises(BundleTooLarge) as error:
        files_from_zip(zipped(files))
    assert "Unpacked, the roster files are larger than" in problems(error)[0]


def test_too_many_members_and_not_a_zip_at_all():
    with pytest.raises(BundleTooLarge):
        files_from_zip(zipped({f"file{number}.csv": b"" for number in range(65)}))
    with pytest.raises(BundleInvalid) as error:
        files_from_zip(b"PK\x03\x04 not really a zip")
    assert "This is not a zip file that can be opened" in problems(error)[0]


def test_more_rows_than_the_limit_is_413_and_the_limit_itself_is_fine():
    limit = bounds.MAX_ROWS
    rows = [{"sourcedId": f"s-{n}", "username": f"user{n}"} for n in range(limit)]
    files = oneroster_files({"users.csv": rows})
    assert len(parse_bundle(files_from_mapping(files)).users) == limit
    files["users.csv"] += b"s-extra,,,,extra\r\n"
    with pytest.raises(BundleTooLarge) as error:
        parse_bundle(files_from_mapping(files))
    assert f"more than {limit:,} rows" in problems(error)[0]


def test_a_cell_longer_than_the_limit_is_a_problem_of_its_row():
    long_name = "x" * (bounds.MAX_CELL + 1)
    bundle = parse_bundle(files_from_mapping(oneroster_files(
        {"users.csv": [{"sourcedId": "s-1", "username": "ok", "givenName": long_name}]})))
    assert [str(issue) for issue in bundle.users[0].problems] == [
        f"users.csv, line 2, column “givenName”: This value is "
        f"{len(long_name):,} characters long; at most 1,000 are read."]


def test_an_encrypted_member_is_refused():
    data = bytearray(oneroster_zip({"manifest.csv": b"propertyName,value\r\n"}))
    data[6] |= 0x1  # the local header's flag: encrypted
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and the central directory's
    with pytest.raises(BundleInvalid) as error:
        files_from_zip(bytes(data))
    assert "encrypted" in problems(error)[0]


def test_a_users_csv_with_only_its_header_has_no_users():
    files = oneroster_files({"users.csv": []})
    assert parse_bundle(files_from_mapping(files)).users == []
    files["users.csv"] = b""
    with pytest.raises(BundleInvalid) as error:
        parse_bundle(files_from_mapping(files))
    assert problems(error) == ["users.csv, line 1: The file is empty: it needs at least its "
                               "header line."]
    assert oneroster_csv(("a",), []) == b"a\r\n"


def test_a_zip_whose_header_understates_a_size_is_refused_not_read_past_it():
    data = bytearray(zipped({"manifest.csv": b"x", "users.csv": b"\0" * 5_000_000}))
    local = data.find(b"users.csv") - 30  # the local header before the file's name
    central = data.rfind(b"PK\x01\x02")  # the last central entry: users.csv's
    assert data[local:local + 4] == b"PK\x03\x04"
    data[local + 22:local + 26] = (100).to_bytes(4, "little")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(BundleInvalid) as error:
        files_from_zip(bytes(data))
    assert not isinstance(error.value, BundleTooLarge)
    assert "This file in the zip cannot be unpacked" in problems(error)[0]
