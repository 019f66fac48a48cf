"""Text mining over meeting records: frequent words, KWIC, co-occurrence network, suggestions.

Pure Python, no Django: the issues app's views and background jobs, the tests and the
evaluations in bench/ all call these functions. Words come from SudachiPy (split mode C) and
are compared by their normalised form, so 行か, 行っ and 行く are one word, and ゴミ出し and
ごみ出し too. What people read is the most frequent dictionary form seen for that normalised
form (ゴミ出し, not Sudachi's 塵出し).

- `tokenize(text)`: the content words of a text (nouns, verbs, adjectives), stop words removed.
- `frequent_words`, `kwic`, `cooccurrence` (+ `network_svg`) and `analyse` (all in one pass,
  with progress) for the text-mining page.
- `SimilarityIndex`: existing issues that look like the text being written.
- `candidate_groups`: untagged case texts that look alike, i.e. perhaps an issue nobody named.

Inputs typed or pasted by a user go through `check_length` first; long stored records are
still tokenised piece by piece, never as one huge string (SudachiPy refuses long input).
"""

from .concordance import Kwic, kwic
from .network import Analysis, Edge, Network, Node, WordCount
from .similarity import Group, SimilarityIndex, candidate_groups
from .statistics import analyse, cooccurrence, frequent_words
from .svg import community_colour, network_svg
from .words import MAX_TEXT_CHARS, STOPWORDS_PATH, TextTooLong, check_length, stopwords, tokenize

__all__ = [
    "MAX_TEXT_CHARS",
    "STOPWORDS_PATH",
    "Analysis",
    "Edge",
    "Group",
    "Kwic",
    "Network",
    "Node",
    "SimilarityIndex",
    "TextTooLong",
    "WordCount",
    "analyse",
    "candidate_groups",
    "check_length",
    "community_colour",
    "cooccurrence",
    "frequent_words",
    "kwic",
    "network_svg",
    "stopwords",
    "tokenize",
]
