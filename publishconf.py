"""Settings for publishing: pelicanconf plus the public URL.

Set DIGEST_SITEURL in the environment to the address the site is served from.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("DIGEST_SITEURL", "https://digest.example.org").rstrip("/")
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
