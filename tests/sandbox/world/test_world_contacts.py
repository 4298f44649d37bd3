"""Every e-mail address, phone number and Bluesky handle belongs to one person (households aside).

Providers hand each address, number and handle out once; only family members deliberately share an
e-mail or phone. Namesakes on one mailbox would make the identity benchmark punish correct merges.
"""

from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
from world_files import read_jsonl

from sandbox.world.people import HANDLE_MAX, ContactRegistry, Person, draw_person, mailbox_of

PEOPLE = 20_000  # enough for name-pattern e-mails and random phone numbers to collide without a registry
START, END = 1_700_000_000, 1_731_536_000


def _owners(people: list[Person], contact: str) -> dict[str, set[tuple[str, str]]]:
    """Who holds each value; addresses by the mailbox they reach (Gmail ignores dots)."""
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for person in people:
        value = getattr(person, contact)
        if value is not None:
            owners[mailbox_of(value) if "email" in contact else value].add((person.person_id, person.household_id))
    return owners


def _draw(count: int) -> list[Person]:
    registry, previous, people = ContactRegistry(), None, []
    for index in range(count):
        previous = draw_person(11, index, previous, count, START, END, 3, registry)
        people.append(previous)
    return people


def test_contacts_are_unique_except_within_a_household() -> None:
    people = _draw(PEOPLE)
    for contact in ("email", "phone"):
        shared = {value: owners for value, owners in _owners(people, contact).items() if len(owners) > 1}
        assert shared, f"households share some {contact}s"
        across = {value: owners for value, owners in shared.items() if len({h for _, h in owners}) > 1}
        assert not across, f"{contact}s held by people of different households: {list(across.items())[:3]}"
    for contact in ("alt_email", "bluesky_handle"):
        taken = [value for value, owners in _owners(people, contact).items() if len(owners) > 1]
        assert not taken, f"{contact}s held by several people: {taken[:3]}"
    handles = [p.bluesky_handle for p in people if p.bluesky_handle]
    assert len(handles) > PEOPLE // 20
    assert max(len(h.removesuffix(".bsky.social")) for h in handles) <= HANDLE_MAX
    personal = {p.email for p in people} | {p.phone for p in people}
    assert not personal & {p.alt_email for p in people if p.alt_email}


def test_world_files_give_each_person_their_own_contacts(tiny_world: Path) -> None:
    persons = pq.read_table(tiny_world / "truth" / "persons.parquet").to_pylist()
    for contact in ("email", "phone"):
        households: dict[str, set[str]] = defaultdict(set)
        for person in persons:
            value = person[contact]
            households[mailbox_of(value) if contact == "email" else value].add(person["household_id"])
        assert all(len(h) == 1 for h in households.values()), contact
    authors = [post["author"] for post in read_jsonl(tiny_world / "bluesky" / "posts.jsonl")]
    handles_per_did: dict[str, set[str]] = defaultdict(set)
    dids_per_handle: dict[str, set[str]] = defaultdict(set)
    for author in authors:
        handles_per_did[author["did"]].add(author["handle"])
        dids_per_handle[author["handle"]].add(author["did"])
    assert len(dids_per_handle) > 1
    assert all(len(dids) == 1 for dids in dids_per_handle.values())
    assert all(len(handles) == 1 for handles in handles_per_did.values())
