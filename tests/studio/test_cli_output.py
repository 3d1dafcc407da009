"""studio.cli._output: progress that stays quiet on quick work, error lines that help."""

from __future__ import annotations

import time

import httpx
import pytest

from studio.cli import _output


def test_quick_work_prints_no_progress(capsys: pytest.CaptureFixture[str]) -> None:
    with _output.progress("probing x", total=10) as update:
        update(10)
    assert capsys.readouterr().err == ""


def test_slow_work_prints_plain_lines_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_output, "_ANNOUNCE_AFTER_S", 0.05)
    monkeypatch.setattr(_output, "_EVERY_S", 0.05)
    with _output.progress("assembling model", total=200) as update:
        time.sleep(0.2)
        update(50)
        update(60)  # within the period: not printed
    assert capsys.readouterr().err.splitlines() == ["assembling model...", "assembling model: 25%"]


def test_quiet_hides_progress(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIO_QUIET", "1")
    monkeypatch.setattr(_output, "_ANNOUNCE_AFTER_S", 0.0)
    monkeypatch.setattr(_output, "_EVERY_S", 0.0)
    with _output.progress("sampling", total=2) as update:
        time.sleep(0.05)
        update(1)
    assert capsys.readouterr().err == ""


def test_a_refused_connection_names_the_url_and_the_fix() -> None:
    with httpx.Client() as client, pytest.raises(httpx.ConnectError) as caught:
        client.get("http://127.0.0.1:9/api/health?client=abc")  # port 9: nothing listens
    line = _output.error_line(caught.value)
    assert line.startswith("error: cannot connect to http://127.0.0.1:9/api/health: ")
    assert "studio up" in line and "PREFECT_API_URL" in line
    assert "\n" not in line


def test_a_wrapped_connection_error_is_found_in_the_cause_chain() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:8088/v1/models")
    try:
        try:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        except httpx.ConnectError as inner:
            raise RuntimeError("health check failed") from inner
    except RuntimeError as outer:
        line = _output.error_line(outer)
    assert "http://127.0.0.1:8088/v1/models" in line and "studio tier status" in line


def test_other_errors_keep_their_type_and_the_debug_hint() -> None:
    line = _output.error_line(ValueError("bad"))
    assert line == "error: ValueError: bad (rerun with --debug for details)"


def test_json_is_one_line_when_piped(capsys: pytest.CaptureFixture[str]) -> None:
    _output.print_json({"a": [1, 2], "b": None})
    assert capsys.readouterr().out == '{"a": [1, 2], "b": null}\n'
