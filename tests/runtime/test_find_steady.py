"""Where `stripe_connect.testing` finds Steady: an explicit setting, else the PATH; never a path relative
to the source tree, which an installed package does not have."""

from __future__ import annotations

from pathlib import Path

import pytest

from stripe_connect.testing import find_steady


def test_the_environment_variable_names_the_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    steady = tmp_path / "steady"
    steady.write_text("#!/bin/sh\n")
    monkeypatch.setenv("STRIPE_CONNECT_STEADY", str(steady))
    assert find_steady() == str(steady)


def test_an_environment_variable_naming_nothing_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STRIPE_CONNECT_STEADY", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="STRIPE_CONNECT_STEADY names no file"):
        find_steady()


def test_without_the_setting_the_path_is_searched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    steady = tmp_path / "steady"
    steady.write_text("#!/bin/sh\n")
    steady.chmod(0o755)
    monkeypatch.delenv("STRIPE_CONNECT_STEADY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_steady() == str(steady)


def test_steady_found_nowhere_is_an_error_saying_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STRIPE_CONNECT_STEADY", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # a checkout's node_modules is not looked at
    with pytest.raises(FileNotFoundError, match="Steady is not installed"):
        find_steady()
