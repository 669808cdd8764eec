"""The fit of experts' expertise to a call's proposals: the cosine of the TF-IDF vectors
(``engines.matching.text``, the light default of partner matching) of the expert's expertise,
ecosystems and technologies and of the proposal's acronym, title and summary, over a
vocabulary of those texts; the words that weigh most are kept as its reason.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from clusterbridge.db.models import Expert, Proposal
from clusterbridge.engines.matching.text import (
    Vocabulary,
    build_vocabulary,
    count_matrix,
    count_words,
    shared_terms,
    tf_idf,
    vocabulary_of,
)

#: How many shared words explain a fit.
FIT_WORDS = 5


@dataclass(frozen=True, slots=True)
class Fit:
    """How well an expert's expertise fits a proposal (0..1) and the words it rests on."""

    value: float
    words: tuple[str, ...]


def expertise_text(expert: Expert) -> str:
    """What the fit reads of an expert."""
    return " ".join([expert.expertise, *expert.ecosystems, *expert.technologies])


def proposal_text(proposal: Proposal) -> str:
    """What the fit reads of a proposal."""
    return " ".join([proposal.acronym, proposal.title, proposal.summary])


@dataclass(frozen=True, slots=True)
class FitTable:
    """The fit of every (expert, proposal) pair: the cosines, and the vectors to explain one
    pair by its words (computed only for the pairs asked, such as those assigned)."""

    rows: dict[int, int]
    columns: dict[int, int]
    values: np.ndarray
    left: sp.csr_matrix
    right: sp.csr_matrix
    vocabulary: Vocabulary | None

    def fit(self, expert_id: int, proposal_id: int) -> Fit:
        """The pair's fit and the words that weigh most in it."""
        row, column = self.rows[expert_id], self.columns[proposal_id]
        value = float(self.values[row, column])
        if value <= 0 or self.vocabulary is None:
            return Fit(0.0, ())
        words = shared_terms(self.left[row], self.right[column], self.vocabulary, limit=FIT_WORDS)
        return Fit(value, tuple(words))

    def affinities(self) -> dict[tuple[str, str], float]:
        """The pairs that fit at all, by (expert id, proposal id) as text (the others are 0)."""
        experts = {row: str(key) for key, row in self.rows.items()}
        proposals = {column: str(key) for key, column in self.columns.items()}
        return {
            (experts[int(row)], proposals[int(column)]): float(self.values[row, column])
            for row, column in zip(*np.nonzero(self.values > 0), strict=True)
        }


def fits(experts: Sequence[Expert], proposals: Sequence[Proposal]) -> FitTable:
    """The fit of every pair of ``experts`` and ``proposals`` (0..1, four decimals). Pure
    given the rows."""
    bags = [count_words(expertise_text(e)) for e in experts]
    bags += [count_words(proposal_text(p)) for p in proposals]
    terms = vocabulary_of(bags)
    columns = {term: column for column, term in enumerate(terms)}
    counts = count_matrix(bags, columns)
    vocabulary = build_vocabulary(terms, counts) if terms else None
    vectors = tf_idf(counts, vocabulary) if vocabulary else counts
    left, right = vectors[: len(experts)], vectors[len(experts) :]
    cosines = np.asarray((left @ right.T).todense(), dtype=np.float64)
    values = np.round(np.clip(cosines, 0.0, 1.0), 4)
    return FitTable(
        rows={e.id: row for row, e in enumerate(experts)},
        columns={p.id: column for column, p in enumerate(proposals)},
        values=values.reshape(len(experts), len(proposals)),
        left=left,
        right=right,
        vocabulary=vocabulary,
    )
