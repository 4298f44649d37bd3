"""Pairwise precision/recall of identity resolution against `truth/record_owners.parquet`.

A resolution is a table of records (source, entity, record_id) with the customer_id they were
resolved to (null = unresolved, i.e. a person of its own). Two records form a predicted pair when
they share a customer_id and a true pair when they share a person_id; precision and recall are
computed over the pairs of records present in both the resolution and the truth, counted with
group sizes (n choose 2), so they stay cheap on large worlds.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

KEY = ["source", "entity", "record_id"]
LINKED_KINDS = {"reviews": ("google_reviews", "reviews"), "social": ("bluesky", "posts")}


@dataclass(frozen=True)
class PairwiseScores:
    records: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def as_dict(self) -> dict:
        return asdict(self) | {"precision": round(self.precision, 4), "recall": round(self.recall, 4)}


@dataclass(frozen=True)
class LinkScores:
    """Reviews or posts attached to a person's other records: how many, and how many rightly."""

    candidates: int
    linkable: int
    linked: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.linked if self.linked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.linkable if self.linkable else 1.0

    def as_dict(self) -> dict:
        return asdict(self) | {"precision": round(self.precision, 4), "recall": round(self.recall, 4)}


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def with_truth(resolution: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Resolution rows that the truth knows, with their person_id; unresolved rows get their own id."""
    owners = owners.dropna(subset=["person_id"]).astype({"record_id": str})
    joined = resolution.astype({"record_id": str}).merge(owners[[*KEY, "person_id"]], on=KEY, how="inner")
    singleton = "unresolved:" + joined["source"] + ":" + joined["entity"] + ":" + joined["record_id"]
    return joined.assign(customer_id=joined["customer_id"].fillna(singleton))


def pairwise_scores(resolution: pd.DataFrame, owners: pd.DataFrame) -> PairwiseScores:
    """Pairwise precision/recall of `resolution` (KEY + customer_id) against the truth owners."""
    joined = with_truth(resolution, owners)
    return PairwiseScores(
        records=len(joined),
        predicted_pairs=_pairs(joined.groupby("customer_id").size()),
        true_pairs=_pairs(joined.groupby("person_id").size()),
        correct_pairs=_pairs(joined.groupby(["customer_id", "person_id"]).size()),
    )


def link_scores(resolution: pd.DataFrame, owners: pd.DataFrame, kind: str) -> LinkScores:
    """How well reviews (kind="reviews") or social posts (kind="social") were attached to customers.

    A candidate counts as linked when its customer_id also holds records of other kinds; it is
    correct when the person owning most of those other records is the candidate's own person. It is
    linkable when its person owns records of other kinds in the resolution.
    """
    source, entity = LINKED_KINDS[kind]
    joined = with_truth(resolution, owners)
    is_candidate = (joined["source"] == source) & (joined["entity"] == entity)
    others = joined[~is_candidate & ~joined["customer_id"].str.startswith("unresolved:")]
    majority_person = (
        others.groupby(["customer_id", "person_id"]).size().rename("n").reset_index()
        .sort_values(["customer_id", "n"], ascending=[True, False]).drop_duplicates("customer_id")
        .set_index("customer_id")["person_id"]
    )
    candidates = joined[is_candidate]
    linked = candidates[candidates["customer_id"].isin(majority_person.index)]
    correct = linked["person_id"] == linked["customer_id"].map(majority_person)
    linkable = candidates["person_id"].isin(set(joined.loc[~is_candidate, "person_id"]))
    return LinkScores(len(candidates), int(linkable.sum()), len(linked), int(correct.sum()))


def load_resolution(warehouse: Path | str) -> pd.DataFrame:
    """The resolution as dbt built it: every identity node with its customer_id and whether it is keyed
    (carries an email, a phone or is a loyalty account)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            """
            select nodes.source, nodes.entity, nodes.record_id, nodes.customer_id,
                   nodes.entity = 'loyalty_accounts'
                   or exists (select 1 from intermediate.int_identity_identifiers as identifiers
                              where identifiers.node_id = nodes.node_id
                                and identifiers.identifier_type in ('email', 'phone')) as is_keyed
            from intermediate.int_identity_resolved_nodes as nodes
            """
        ).df()


def score_identity(warehouse: Path | str, truth_dir: Path | str) -> dict:
    """Every identity score the acceptance bar names, as plain numbers (for tests and benchmarks)."""
    resolution = load_resolution(warehouse)
    owners = pd.read_parquet(Path(truth_dir) / "record_owners.parquet")
    keyed = resolution[resolution["is_keyed"]]
    return {
        "keyed": pairwise_scores(keyed, owners).as_dict(),
        "all_records": pairwise_scores(resolution, owners).as_dict(),
        "reviews": link_scores(resolution, owners, "reviews").as_dict(),
        "social": link_scores(resolution, owners, "social").as_dict(),
    }
