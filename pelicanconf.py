"""Pelican settings for the news digest (local build and preview).

The plugin's own settings are DIGEST_*; their defaults live in
plugins/news_digest/settings.py and may be overridden here.
"""

SITENAME = "The Digest"
SITESUBTITLE = "Curated world news, tagged and cross-linked"
SITEURL = ""
AUTHOR = "The Digest editors"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
# Month names in English whatever the build machine's locale: the same input gives the
# same site everywhere.
LOCALE = ("C.UTF-8", "C")

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
ARTICLE_PATHS = ["digest"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []

PLUGIN_PATHS = ["plugins"]
# sitemap: pelican-sitemap writes sitemap.txt from every page written (plain text:
# its XML form stamps index pages with the build time, and builds must be byte-identical).
PLUGINS = ["news_digest", "sitemap"]
SITEMAP = {"format": "txt", "exclude": [r"^robots\.txt$", r"^search/"]}

DIGEST_SEEDS_PATH = "seeds"
DIGEST_STRICT = False

# Seed text is escaped into plain paragraphs; the meta extension reads front matter.
# Extensions that give punctuation a meaning of its own (extra, codehilite) stay off.
MARKDOWN = {
    "extension_configs": {"markdown.extensions.meta": {}},
    "output_format": "html5",
}
# Everything the templates print is escaped unless marked safe (content, summary).
# Templates do not change during a build: Jinja need not stat each one on every use
# (tens of thousands of times at 10,000 stories).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# Clean, stable URLs.
ARTICLE_URL = "stories/{slug}/"
ARTICLE_SAVE_AS = "stories/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Entity pages: the plugin writes them at TAG_URL with slugs like "people/james-mattis"
# (one folder per type), and posts link them with Pelican's {tag} syntax.
TAG_URL = "{slug}/"
TAG_SAVE_AS = "{slug}/index.html"
TAG_REGEX_SUBSTITUTIONS = [
    (r"[^\w\s/-]", ""),  # as Pelican's slugs, but "/" stays
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
TAGS_SAVE_AS = ""
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# One page per day: the digest's daily edition.
DAY_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/{date:%d}/"
DAY_ARCHIVE_SAVE_AS = "archives/{date:%Y}/{date:%m}/{date:%d}/index.html"
# The home page is written by the plugin (one entry per cluster of stories).
DIRECT_TEMPLATES = ["archives", "search", "robots"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
ROBOTS_SAVE_AS = "robots.txt"
PAGINATED_TEMPLATES = {"index": 20, "entity": 20, "source": 20, "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
DEFAULT_PAGINATION = 20

# One category (the digest); no category or author pages.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "digest"
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""

# Feeds are written by the plugin with feedgen; Pelican's own are off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

# Deterministic output: no build-time values, stable ordering.
# The output folder is not wiped: the plugin rebuilds only pages whose inputs changed
# and removes what a build no longer produces (see plugins/news_digest/incremental.py).
DELETE_OUTPUT_DIRECTORY = False


def newest_first(article):
    """Newest first; stories of the same moment by slug, never by file-system order."""
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = newest_first
# Pelican's reader cache: an unchanged post is not parsed again. The plugin removes
# a damaged cache file, or one made with other reader settings, before it is loaded.
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
# A post's modification time says whether it changed (as Pelican's default): the
# plugin replaces a post whose text changed, and an editor's save moves it. Hashing
# every post instead cost about 2 s per build at 10,000 posts.
CHECK_MODIFIED_METHOD = "mtime"
# Uncompressed: Pelican saves the whole cache on every build, and gzip at level 9 cost
# more than it saved (about 5 s per build at 10,000 posts; the file is ~7 MB per 1,000).
GZIP_CACHE = False
SUMMARY_MAX_LENGTH = None
