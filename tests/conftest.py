"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import Site, make_site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    """An empty project (no seeds) to fill per test."""
    return make_site(tmp_path, with_sample_seeds=False)


@pytest.fixture
def sample_site(tmp_path: Path) -> Site:
    """A project with the shipped sample seeds, not yet built."""
    return make_site(tmp_path)


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The sample seeds built once, for tests that only read the output."""
    s = make_site(tmp_path_factory.mktemp("sample"))
    s.build()
    return s
