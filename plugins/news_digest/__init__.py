"""news_digest: raw scraped articles in ``seeds/`` become a tagged news digest.

See ``DESIGN.md`` in the project for the data flow; this module only wires signals.
"""

from pelican import signals

from . import dates, gcpause, linear, plainmarkdown
from .pipeline import (
    annotate_stories,
    attach_entities,
    digest_writer,
    fingerprint_site,
    finish_build,
    finish_feeds,
    link_stories,
    order_stories,
    prepare_posts,
    read_posts_ahead,
    start_build,
    start_feeds,
    write_build_report,
    write_digest_pages,
    write_search_index,
)
from .settings import apply_defaults


def register() -> None:
    signals.initialized.connect(gcpause.collect_less)
    signals.initialized.connect(dates.install)
    signals.initialized.connect(apply_defaults)
    signals.initialized.connect(start_build)
    signals.initialized.connect(prepare_posts)
    signals.readers_init.connect(plainmarkdown.install)
    signals.get_writer.connect(digest_writer)
    signals.all_generators_finalized.connect(annotate_stories)
    signals.all_generators_finalized.connect(fingerprint_site)
    signals.all_generators_finalized.connect(start_feeds)
    signals.article_generator_init.connect(linear.install)
    signals.article_generator_init.connect(read_posts_ahead)
    signals.article_generator_init.connect(order_stories)
    signals.article_generator_context.connect(attach_entities)
    signals.article_generator_finalized.connect(linear.drop_unwritten_authors)
    signals.article_generator_finalized.connect(link_stories)
    signals.article_writer_finalized.connect(write_digest_pages)
    signals.finalized.connect(finish_feeds)
    signals.finalized.connect(write_search_index)
    signals.finalized.connect(write_build_report)
    signals.finalized.connect(finish_build)
    signals.finalized.connect(gcpause.thaw)
