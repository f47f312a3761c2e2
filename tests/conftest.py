"""Shared fixtures: real servers on loopback (redis-server, fake Bot API, fake model API)."""

pytest_plugins = ["tests.redis_fixture", "tests.fakes.fixtures"]
