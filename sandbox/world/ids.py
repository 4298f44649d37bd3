"""Deterministic identifiers in each vendor's style, derived from the seed and a stable key.

Hash-derived ids (Square, Google, Bluesky, web) depend only on (seed, kind, key), so a record keeps
its id when the world is regenerated at a later `as_of`. Shopify ids are increasing integers and are
assigned by `sequential_ids` in creation order, which is also stable under a later `as_of`.
"""

import base64
import hashlib
from functools import lru_cache

_SORTABLE_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def digest(seed: int, kind: str, key: object, size: int = 16) -> bytes:
    """`size` bytes of BLAKE2b over seed, kind and key: the root of every hashed id."""
    return hashlib.blake2b(f"{seed}|{kind}|{key}".encode(), digest_size=size).digest()


@lru_cache(maxsize=1 << 18)  # renderers ask for the same order/payment ids several times
def square_id(seed: int, kind: str, key: object, length: int = 26) -> str:
    """An upper-case base32 id like Square's (`CB7Y5WJ3GQ5QH7GDG7RJZPXB8C`)."""
    raw = base64.b32encode(digest(seed, kind, key, 20)).decode().rstrip("=")
    return raw[:length]


def numeric_id(seed: int, kind: str, key: object, digits: int) -> str:
    """A decimal id of exactly `digits` digits (Google review/location ids, card fingerprints)."""
    value = int.from_bytes(digest(seed, kind, key, 16), "big") % (9 * 10 ** (digits - 1))
    return str(10 ** (digits - 1) + value)


def uuid_id(seed: int, kind: str, key: object) -> str:
    """A version-4-shaped UUID string (web anonymousId, messageId, Square loyalty ids)."""
    h = digest(seed, kind, key, 16).hex()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def bluesky_tid(created_us: int, clock_id: int) -> str:
    """An AT Protocol TID record key: 53 bits of microseconds then 10 bits of clock id, base32-sortable."""
    value = (created_us << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_SORTABLE_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def bluesky_did(seed: int, key: object) -> str:
    """A did:plc identifier (24 lower-case base32 characters)."""
    return "did:plc:" + base64.b32encode(digest(seed, "did", key, 15)).decode().lower()[:24]


def bluesky_cid(seed: int, key: object) -> str:
    """A CIDv1 dag-cbor sha256 string in base32 (`bafyrei...`), as content ids look on the network."""
    body = base64.b32encode(b"\x01\x71\x12\x20" + hashlib.sha256(f"{seed}|cid|{key}".encode()).digest())
    return "b" + body.decode().lower().rstrip("=")


def sequential_ids(sort_keys: list[tuple], base: int, seed: int, kind: str) -> dict[tuple, int]:
    """Shopify-style increasing integer ids, handed out in creation order (`sort_keys` start with time).

    Gaps between consecutive ids vary (1..9) as in real shops; the gap depends only on the rank, so
    a record created before `as_of` keeps its id when the world is regenerated later.
    """
    ids: dict[tuple, int] = {}
    current = base
    for rank, key in enumerate(sorted(sort_keys)):
        current += 1 + digest(seed, kind, rank, 1)[0] % 9
        ids[key] = current
    return ids
