"""Entity tagging: people, places and organisations, canonical and salient.

- ``rules.py``: the word lists of news prose (roles, demonyms, organisation endings).
- ``lexicon.py``: the built-in lexicon, gazetteer and given names, plus the editor's vocabulary.
- ``tagger.py``: one story at a time: find and type mentions, resolve them within the story.
- ``corpus.py``: across stories: bare surnames, salience, the final entity list.
"""

from .corpus import Entity, finish_corpus, tag_corpus
from .lexicon import Lexicon, VocabularyError, load_lexicon

__all__ = ["Entity", "finish_corpus", "Lexicon", "VocabularyError", "load_lexicon", "tag_corpus"]
