"""`flask lens analyze FILE [--json]`, run as a teacher or operator would."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskCliRunner

ARTICLE = (
    "“Thugs” stormed the square,\r\n"
    "some observers say. Москва: hundreds were killed 🙂.\n"
    "It may have been very brutal.\n"
)


def write(tmp_path: Path, data: bytes, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_json_lists_findings_with_offsets_into_the_decoded_text(runner: FlaskCliRunner,
                                                                tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE.encode("utf-8"))
    result = runner.invoke(args=["lens", "analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    text = path.read_bytes().decode("utf-8")  # \r\n kept: offsets are into this exact text
    assert findings, "expected findings"
    for item in findings:
        assert set(item) == {"start", "end", "text", "kind", "category", "suggestion", "reason"}
        assert text[item["start"]:item["end"]] == item["text"]
    summary = {(item["text"], item["kind"], item["category"]) for item in findings}
    assert ("Thugs", "loaded", "label") in summary
    assert ("some observers say", "attribution", "vague_attribution") in summary
    assert ("were killed", "attribution", "agentless") in summary
    assert ("may have", "hedge", "hedge") in summary
    assert ("very", "hedge", "intensifier") in summary
    assert ("brutal", "loaded", "charged") in summary


def test_plain_output_gives_line_column_kind_category_text_and_suggestion(
        runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, ARTICLE.encode("utf-8"))
    result = runner.invoke(args=["lens", "analyze", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "1:2\tloaded\tlabel\t“Thugs”  → Attackers" in lines
    assert any(line.startswith("2:1\tattribution\tvague_attribution\t“some observers say”")
               for line in lines)
    assert lines[-1].startswith("6 findings (2 loaded, 2 attribution, 2 hedge)")


def test_why_prints_each_reason(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, b"The thugs left.")
    result = runner.invoke(args=["lens", "analyze", str(path), "--why"])
    assert result.exit_code == 0, result.output
    assert "name-calling" in result.output


def test_a_text_with_nothing_to_flag(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, b"The demonstrations continued.\n")
    plain = runner.invoke(args=["lens", "analyze", str(path)])
    assert plain.exit_code == 0
    assert "0 findings" in plain.output
    as_json = runner.invoke(args=["lens", "analyze", str(path), "--json"])
    assert json.loads(as_json.output) == []


def test_a_missing_file_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["lens", "analyze", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "no such file" in result.output


def test_a_file_that_is_not_utf8_is_a_clear_error(runner: FlaskCliRunner,
                                                  tmp_path: Path) -> None:
    path = write(tmp_path, "Les “voyous” sont partis.".encode("cp1252"))
    result = runner.invoke(args=["lens", "analyze", str(path), "--json"])
    assert result.exit_code != 0
    assert "is not UTF-8 text" in result.output


def test_a_directory_is_a_clear_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["lens", "analyze", str(tmp_path)])
    assert result.exit_code != 0
    assert "is a directory" in result.output
