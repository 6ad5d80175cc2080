"""Where `stripe_connect.testing` finds Steady: an installed package has no checkout to look in."""

from __future__ import annotations

from pathlib import Path

import pytest

from stripe_connect.testing import find_steady

ROOT = Path(__file__).resolve().parent.parent


def test_the_environment_variable_names_the_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    steady = tmp_path / "steady"
    steady.write_text("#!/bin/sh\n")
    monkeypatch.setenv("STRIPE_CONNECT_STEADY", str(steady))
    assert find_steady() == str(steady)


def test_an_environment_variable_naming_nothing_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STRIPE_CONNECT_STEADY", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="STRIPE_CONNECT_STEADY names no file"):
        find_steady()


def test_a_checkout_falls_back_to_its_node_modules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STRIPE_CONNECT_STEADY", raising=False)
    assert find_steady() == str(ROOT / "node_modules" / ".bin" / "steady")
