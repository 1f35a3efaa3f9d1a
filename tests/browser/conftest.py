"""Real Chromium (Debian's /usr/bin/chromium) driving the built sample site over HTTP."""

from __future__ import annotations

import os

import pytest
from chromium import ARGS, CHROMIUM, serve


@pytest.fixture(scope="session")
def server(built_sample):
    """Serve the built sample site on a free localhost port."""
    with serve(built_sample.output) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    # A missing browser is a failure, not a skip: CI installs Chromium for these tests.
    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}; install Debian's chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()
