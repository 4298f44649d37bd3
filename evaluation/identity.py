"""Identity resolution scored against `truth/record_owners.parquet`, with scopes the output cannot move.

Every figure starts from the truth's side. The records scored are the truth's records of the kinds
that say who a person is (`RECORD_KINDS`); the warehouse's resolution only supplies each record's
customer_id. A record the resolution lacks, or leaves unresolved (customer_id null), is a cluster of
its own: if its person has other records, that is a miss. A record the truth gives to nobody (a
staff placeholder profile) is a person of its own; reviews and posts the truth gives to nobody
(strangers using the brand's word, the brand's own posts) are left to the brand-mention scores.

Scopes are chosen from the truth and the world's raw files only, never from a column the pipeline
computes:
- keyed: records whose raw payload, before any cleaning, carries an email, a phone, a loyalty id or
  a login (`raw_keyed_records`);
- keyed_reviews_social: keyed plus every review and social post the truth gives to a person;
- all_records: every scored record (card and cash sales, anonymous web sessions included).
Per source pair (`SOURCE_PAIRS`), pairwise figures count only the pairs across the two sides.

Figures: pairwise precision/recall (pairs of records sharing a customer_id vs sharing a person_id,
counted with group sizes), B-cubed precision/recall (per record, the overlap of its predicted
cluster and its true person, averaged over records), splits (true persons spread over more than one
predicted cluster) and merges (predicted clusters holding more than one true person).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pandas as pd

from sandbox.world.output import read_jsonl

KEY = ["source", "entity", "record_id"]
Kind = tuple[str, str]

# The truth's records that say something about who a person is. Payments and refunds belong to an
# order, Bluesky authors are the accounts behind the posts: the order and the post are the records.
RECORD_KINDS: list[Kind] = [
    ("shopify", "customers"), ("shopify", "orders"), ("shopify", "checkouts"),
    ("square", "customers"), ("square", "orders"), ("square", "loyalty_accounts"),
    ("web_events", "anonymous_ids"), ("google_reviews", "reviews"), ("bluesky", "posts"),
]
AUTHOR_KINDS: list[Kind] = [("google_reviews", "reviews"), ("bluesky", "posts")]
LINKED_KINDS = {"reviews": AUTHOR_KINDS[0], "social": AUTHOR_KINDS[1]}

WEB_CUSTOMER, STORE_CUSTOMER = ("shopify", "customers"), ("square", "customers")
CUSTOMER_PROFILES = [WEB_CUSTOMER, STORE_CUSTOMER]
SOURCE_PAIRS: dict[str, tuple[list[Kind], list[Kind]]] = {
    "store customer x loyalty account": ([STORE_CUSTOMER], [("square", "loyalty_accounts")]),
    "store customer x web customer": ([STORE_CUSTOMER], [WEB_CUSTOMER]),
    "web customer x web session": ([WEB_CUSTOMER], [("web_events", "anonymous_ids")]),
    "web customer x web order": ([WEB_CUSTOMER], [("shopify", "orders")]),
    "web customer x checkout": ([WEB_CUSTOMER], [("shopify", "checkouts")]),
    "store customer x store order": ([STORE_CUSTOMER], [("square", "orders")]),
    "review author x web customer": ([AUTHOR_KINDS[0]], [WEB_CUSTOMER]),
    "review author x store customer": ([AUTHOR_KINDS[0]], [STORE_CUSTOMER]),
    "review author x customer (web or store)": ([AUTHOR_KINDS[0]], CUSTOMER_PROFILES),
    "social author x customer (web or store)": ([AUTHOR_KINDS[1]], CUSTOMER_PROFILES),
}

# Where a raw record carries a key, per world file: (kind, file glob, record id field, key fields).
# A dotted field walks into nested objects and lists. A loyalty account's own id is a loyalty id.
# Not keys: a Shopify shipping address's phone (the recipient's), a Square order's card
# fingerprint or customer profile reference, a reviewer's or author's display name.
RAW_KEY_FIELDS: list[tuple[Kind, str, str, list[str]]] = [
    (WEB_CUSTOMER, "shopify/customers.jsonl", "id",
     ["email", "phone", "default_address.phone", "addresses.phone"]),
    (("shopify", "orders"), "shopify/orders.jsonl", "id",
     ["email", "contact_email", "phone", "customer.email", "customer.phone", "billing_address.phone"]),
    (("shopify", "checkouts"), "shopify/checkouts.jsonl", "id",
     ["email", "phone", "sms_marketing_phone", "customer.email", "customer.phone", "billing_address.phone"]),
    (STORE_CUSTOMER, "square/customers.jsonl", "id", ["email_address", "phone_number"]),
    (("square", "loyalty_accounts"), "square/loyalty_accounts.jsonl", "id", ["id", "mapping.phone_number"]),
    (("web_events", "anonymous_ids"), "web_events/events-*.jsonl*", "anonymousId",
     ["userId", "traits.email", "traits.phone", "context.traits.email", "context.traits.phone"]),
]

# The only thing read from the warehouse: each identity node's key and customer_id.
RESOLUTION_SQL = """
    select source, entity, record_id, customer_id
    from intermediate.int_identity_resolved_nodes
"""


@dataclass(frozen=True)
class PairwiseScores:
    """Pairwise and B-cubed figures of one scope. Pairs are all pairs of the scope's records, or for a
    source pair only the pairs across its two sides."""

    records: int
    predicted_pairs: int
    true_pairs: int
    correct_pairs: int
    bcubed_precision: float
    bcubed_recall: float
    splits: int
    merges: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def as_dict(self) -> dict:
        return asdict(self) | {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                               "bcubed_precision": round(self.bcubed_precision, 4),
                               "bcubed_recall": round(self.bcubed_recall, 4)}


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


# --- the records scored, from the truth ---------------------------------------------------------


def _record_label(frame: pd.DataFrame) -> pd.Series:
    return frame["source"] + ":" + frame["entity"] + ":" + frame["record_id"]


def _of_kinds(frame: pd.DataFrame, kinds: list[Kind]) -> pd.Series:
    return pd.Series(list(zip(frame["source"], frame["entity"], strict=True)), index=frame.index).isin(kinds)


def scored_records(owners: pd.DataFrame) -> pd.DataFrame:
    """The truth's records that are scored (KEY + person_id): those of `RECORD_KINDS`, less reviews and
    posts owned by nobody; any other owner-less record becomes a person of its own."""
    owners = owners[KEY + ["person_id"]].astype({"record_id": str})
    owners = owners[_of_kinds(owners, RECORD_KINDS)]
    owners = owners[owners["person_id"].notna() | ~_of_kinds(owners, AUTHOR_KINDS)]
    return owners.assign(person_id=owners["person_id"].fillna("nobody:" + _record_label(owners)))


def with_truth(resolution: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """Every scored truth record with its person_id and the customer_id the resolution gave it; a record
    missing from the resolution or left unresolved gets a customer_id of its own (a singleton)."""
    resolved = resolution[KEY + ["customer_id"]].astype({"record_id": str}).drop_duplicates(KEY)
    joined = scored_records(owners).merge(resolved, on=KEY, how="left")
    return joined.assign(customer_id=joined["customer_id"].fillna("unresolved:" + _record_label(joined)))


# --- figures ------------------------------------------------------------------------------------


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def _cross_pairs(left: pd.Series, right: pd.Series) -> int:
    return int((left * right).sum())


def cluster_scores(joined: pd.DataFrame, sides: tuple[list[Kind], list[Kind]] | None = None) -> PairwiseScores:
    """Figures of records already joined to the truth (KEY, person_id, customer_id). With `sides`, the
    pairwise counts are of pairs across the two sides only; B-cubed, splits and merges are always over
    every record given."""
    cells = joined.groupby(["customer_id", "person_id"]).size().rename("n").reset_index()
    cluster_size = cells.groupby("customer_id")["n"].transform("sum")
    person_size = cells.groupby("person_id")["n"].transform("sum")
    records = len(joined)
    if sides is None:
        predicted = _pairs(joined.groupby("customer_id").size())
        true = _pairs(joined.groupby("person_id").size())
        correct = _pairs(cells["n"])
    else:
        on_left, on_right = _of_kinds(joined, sides[0]), _of_kinds(joined, sides[1])
        counts = joined.assign(left=on_left.astype(int), right=on_right.astype(int))

        def across(by: list[str]) -> int:
            sums = counts.groupby(by)[["left", "right"]].sum()
            return _cross_pairs(sums["left"], sums["right"])

        predicted, true, correct = across(["customer_id"]), across(["person_id"]), across(["customer_id", "person_id"])
    return PairwiseScores(
        records=records, predicted_pairs=predicted, true_pairs=true, correct_pairs=correct,
        bcubed_precision=float((cells["n"] ** 2 / cluster_size).sum() / records) if records else 1.0,
        bcubed_recall=float((cells["n"] ** 2 / person_size).sum() / records) if records else 1.0,
        splits=int((cells.groupby("person_id").size() > 1).sum()),
        merges=int((cells.groupby("customer_id").size() > 1).sum()),
    )


def pairwise_scores(resolution: pd.DataFrame, owners: pd.DataFrame) -> PairwiseScores:
    """Figures of `resolution` (KEY + customer_id) over every scored record of `owners` (the truth,
    or a scope cut from it)."""
    return cluster_scores(with_truth(resolution, owners))


def source_pair_scores(resolution: pd.DataFrame, owners: pd.DataFrame,
                       sides: tuple[list[Kind], list[Kind]]) -> PairwiseScores:
    """Figures over the scored records of the two sides' kinds; pairwise counts only pairs across them."""
    joined = with_truth(resolution, owners)
    return cluster_scores(joined[_of_kinds(joined, [*sides[0], *sides[1]])], sides)


def link_scores(resolution: pd.DataFrame, owners: pd.DataFrame, kind: str) -> LinkScores:
    """How well reviews (kind="reviews") or social posts (kind="social") were attached to customers.

    Candidates are the truth's reviews or posts owned by a person. A candidate counts as linked when
    its customer_id also holds records of other kinds; it is correct when the person owning most of
    those other records is the candidate's own person. It is linkable when its person owns scored
    records of other kinds.
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


# --- scopes, from the truth and the raw world files ---------------------------------------------


def _field_values(record: object, dotted: str) -> list:
    """The values at a dotted path, walking into lists (`addresses.phone` -> every address's phone)."""
    if isinstance(record, list):
        return [value for item in record for value in _field_values(item, dotted)]
    if not isinstance(record, dict):
        return []
    head, _, rest = dotted.partition(".")
    value = record.get(head)
    return _field_values(value, rest) if rest else [value]


def carries_a_key(record: dict, fields: list[str]) -> bool:
    """True when any of `fields` holds a non-blank value in the raw record, as the source sent it."""
    return any(value is not None and str(value).strip() != ""
               for dotted in fields for value in _field_values(record, dotted))


def raw_keyed_records(world_dir: Path | str) -> pd.DataFrame:
    """KEY of every raw record in the world's files that carries an email, a phone, a loyalty id or a
    login, before any cleaning (a web session is keyed when any of its events carries one)."""
    keyed: set[tuple[str, str, str]] = set()
    for (source, entity), pattern, id_field, fields in RAW_KEY_FIELDS:
        for path in sorted(Path(world_dir).glob(pattern)):
            for record in read_jsonl(path):
                if record.get(id_field) is not None and carries_a_key(record, fields):
                    keyed.add((source, entity, str(record[id_field])))
    return pd.DataFrame(sorted(keyed), columns=KEY)


def scopes(owners: pd.DataFrame, keyed: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The truth's owners cut into the three scopes; `keyed` is `raw_keyed_records` of the world."""
    owners = owners.astype({"record_id": str})
    is_keyed = owners.merge(keyed.assign(keyed=True), on=KEY, how="left")["keyed"].fillna(False).to_numpy(bool)
    is_person_author = (_of_kinds(owners, AUTHOR_KINDS) & owners["person_id"].notna()).to_numpy(bool)
    return {
        "keyed": owners[is_keyed],
        "keyed_reviews_social": owners[is_keyed | is_person_author],
        "all_records": owners,
    }


# --- the warehouse's side -----------------------------------------------------------------------


def load_resolution(warehouse: Path | str) -> pd.DataFrame:
    """The resolution as dbt built it: every identity node's key and customer_id (null = unresolved)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(RESOLUTION_SQL).df()


def score_resolution(resolution: pd.DataFrame, owners: pd.DataFrame, keyed: pd.DataFrame) -> dict:
    """Every figure for one resolution: per scope, per source pair, and the review / social links."""
    by_scope = {name: pairwise_scores(resolution, scoped).as_dict()
                for name, scoped in scopes(owners, keyed).items()}
    return {
        **by_scope,
        "reviews": link_scores(resolution, owners, "reviews").as_dict(),
        "social": link_scores(resolution, owners, "social").as_dict(),
        "pairs": {name: source_pair_scores(resolution, owners, sides).as_dict()
                  for name, sides in SOURCE_PAIRS.items()},
    }


def score_identity(warehouse: Path | str, truth_dir: Path | str, world_dir: Path | str | None = None) -> dict:
    """Every identity score the acceptance bar names, as plain numbers (for tests and benchmarks).
    The world's raw files are read from `world_dir` (default: the truth directory's parent)."""
    world_dir = Path(truth_dir).parent if world_dir is None else Path(world_dir)
    owners = pd.read_parquet(Path(truth_dir) / "record_owners.parquet")
    return score_resolution(load_resolution(warehouse), owners, raw_keyed_records(world_dir))
