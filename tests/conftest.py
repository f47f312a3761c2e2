"""Shared fixtures: real servers on loopback (redis-server, fake Bot API, fake model API)."""

import os

import pytest

from bot.charts.sandbox import SandboxUnavailable, check_isolation

pytest_plugins = ["tests.redis_fixture", "tests.fakes.fixtures"]


@pytest.fixture(scope="module")
def sandbox_available() -> None:
    """Skip a module where isolation is impossible, except under CI (never skip silently)."""
    try:
        check_isolation()
    except SandboxUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"sandbox unavailable under CI: {exc}")
        pytest.skip(f"sandbox unavailable here: {exc}")
