"""Words to sparse vectors: word counts, TF-IDF weights and the words two texts share.

The light default of partner matching. A text becomes its words (letters and digits, accents
folded, lower case, stop words, numbers and one-letter words dropped); a vocabulary built over
the registry gives each word an inverse document frequency. Words are not stemmed, so a shared
word shown as a reason is a word a person finds in both texts.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_WORD = re.compile(r"[a-z0-9]+")
#: Shortest word kept: one-letter words carry no topic.
MIN_WORD = 2
#: Longest word kept: longer runs are identifiers or noise.
MAX_WORD = 40
#: Words too common in project and organisation texts to say anything about a topic.
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "during",
        "each",
        "either",
        "etc",
        "eu",
        "european",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "here",
        "how",
        "however",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "keywords",
        "more",
        "most",
        "new",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "per",
        "project",
        "projects",
        "same",
        "should",
        "since",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "use",
        "used",
        "using",
        "very",
        "via",
        "was",
        "we",
        "well",
        "were",
        "what",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "aim",
        "aims",
        "main",
        "based",
        "develop",
        "developed",
        "developing",
        "development",
        "approach",
        "overall",
        "provide",
    ]
)


def fold(text: str) -> str:
    """``text`` in lower case, accents removed, letters outside ASCII dropped
    (``Énergie`` → ``energie``)."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")


def _kept(word: str) -> bool:
    return MIN_WORD <= len(word) <= MAX_WORD and word not in STOP_WORDS and not word.isdigit()


def count_words(text: str) -> Counter[str]:
    """How often each word of ``text`` that can carry a topic occurs."""
    counts = Counter(_WORD.findall(fold(text)))
    for word in [word for word in counts if not _kept(word)]:
        del counts[word]
    return counts


def words_of(text: str) -> set[str]:
    """The distinct words of ``text`` that can carry a topic."""
    return set(count_words(text))


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Every word of a corpus with its column and inverse document frequency."""

    terms: tuple[str, ...]
    columns: dict[str, int]
    idf: np.ndarray

    @property
    def size(self) -> int:
        """How many words the vocabulary has."""
        return len(self.terms)


def vocabulary_of(bags: Sequence[Counter[str]]) -> tuple[str, ...]:
    """Every word of ``bags``, sorted."""
    words: set[str] = set()
    for bag in bags:
        words.update(bag)
    return tuple(sorted(words))


def count_matrix(bags: Sequence[Counter[str]], columns: dict[str, int]) -> sp.csr_matrix:
    """Word counts as a sparse matrix, one row per bag; words without a column are ignored."""
    indptr = np.zeros(len(bags) + 1, dtype=np.int64)
    indices: list[int] = []
    values: list[int] = []
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            column = columns.get(word)
            if column is not None:
                indices.append(column)
                values.append(count)
        indptr[row + 1] = len(indices)
    matrix = sp.csr_matrix(
        (np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
        shape=(len(bags), len(columns)),
    )
    matrix.sort_indices()
    return matrix


def build_vocabulary(terms: tuple[str, ...], counts: sp.csr_matrix) -> Vocabulary:
    """The vocabulary of ``terms`` (the columns of ``counts``, one row per document), with the
    smoothed IDF ``ln((n + 1) / (df + 1)) + 1`` of each word."""
    documents = np.bincount(counts.indices, minlength=len(terms)).astype(np.float64)
    idf = (np.log((counts.shape[0] + 1) / (documents + 1)) + 1.0).astype(np.float32)
    return Vocabulary(terms, {term: column for column, term in enumerate(terms)}, idf)


def tf_idf(counts: sp.csr_matrix, vocabulary: Vocabulary) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows with sublinear term frequency ``1 + ln tf``."""
    return weigh_with(counts, vocabulary.idf)


def weigh_with(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """L2-normalised rows of ``(1 + ln tf) * idf``; words of zero ``idf`` are dropped."""
    weights = counts.copy().astype(np.float32)
    weights.data = (1.0 + np.log(weights.data)) * idf[weights.indices]
    weights.eliminate_zeros()
    return normalise_rows(weights)


def weigh(bags: Sequence[Counter[str]], vocabulary: Vocabulary) -> sp.csr_matrix:
    """The TF-IDF rows of ``bags`` over ``vocabulary`` (unknown words are ignored)."""
    return tf_idf(count_matrix(bags, vocabulary.columns), vocabulary)


def normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """``matrix`` with every non-zero row scaled to unit length."""
    squares = matrix.multiply(matrix).sum(axis=1)
    norms = np.sqrt(np.asarray(squares, dtype=np.float64).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix, dtype=np.float32)


def shared_terms(
    query: sp.csr_matrix,
    row: sp.csr_matrix,
    vocabulary: Vocabulary,
    *,
    limit: int,
    skip: frozenset[str] = frozenset(),
    allowed: np.ndarray | None = None,
) -> list[str]:
    """The words that contribute most to the cosine of two one-row vectors, best first;
    words in ``skip`` are passed over, and so are columns that ``allowed`` (one bool per
    word, when given) rules out."""
    contribution = query.multiply(row).tocoo()
    order = np.argsort(-contribution.data, kind="stable")
    columns = [
        int(contribution.col[i])
        for i in order
        if contribution.data[i] > 0 and (allowed is None or allowed[contribution.col[i]])
    ]
    terms = [vocabulary.terms[column] for column in columns]
    return [term for term in terms if term not in skip][:limit]
