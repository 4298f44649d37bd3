"""Identity noise as it appears in real source systems: how people type their e-mail, phone and name.

Every function takes the caller's random stream, so noise is as reproducible as the rest of the world.
"""

import random

from sandbox.world.vocab import DOMAIN_TYPOS, NICKNAMES


def email_as_typed(rng: random.Random, email: str) -> str:
    """Case changes, stray whitespace, gmail dots / plus tags and occasional domain typos."""
    local, domain = email.split("@")
    roll = rng.random()
    if roll < 0.03 and domain in DOMAIN_TYPOS:
        domain = rng.choice(DOMAIN_TYPOS[domain])
    elif roll < 0.06 and domain == "gmail.com":
        local = local.replace(".", "") if "." in local else local[:3] + "." + local[3:]
    elif roll < 0.08 and domain == "gmail.com":
        local = f"{local}+shop"
    typed = f"{local}@{domain}"
    roll = rng.random()
    if roll < 0.10:
        typed = typed[0].upper() + typed[1:]
    elif roll < 0.14:
        typed = typed.upper()
    elif roll < 0.18:
        typed = typed.title()
    if rng.random() < 0.05:
        typed = rng.choice((" ", "  ", "")) + typed + rng.choice((" ", "\t", ""))
    return typed


def phone_as_typed(rng: random.Random, e164: str) -> str:
    """A US number in one of the formats people and POS terminals use."""
    area, exchange, line = e164[2:5], e164[5:8], e164[8:]
    return rng.choice((
        e164, f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
        f"{area}{exchange}{line}", f"1-{area}-{exchange}-{line}", f"+1 {area} {exchange} {line}",
        f"+1 ({area}) {exchange}-{line}",
    ))


def misspell(rng: random.Random, word: str) -> str:
    """One keyboard slip: a swapped, dropped or doubled letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def first_name_as_typed(rng: random.Random, first: str) -> str:
    """Mostly the name; sometimes a nickname, a typo or odd case."""
    roll = rng.random()
    if roll < 0.15 and first in NICKNAMES:
        return rng.choice(NICKNAMES[first])
    if roll < 0.19:
        return misspell(rng, first)
    if roll < 0.23:
        return first.lower()
    if roll < 0.25:
        return first.upper()
    return first


def last_name_as_typed(rng: random.Random, last: str) -> str:
    """Mostly the surname; sometimes a typo, odd case or trailing space."""
    roll = rng.random()
    if roll < 0.04:
        return misspell(rng, last)
    if roll < 0.08:
        return last.lower()
    if roll < 0.10:
        return last + " "
    return last


def reviewer_display_name(rng: random.Random, first: str, last: str) -> str:
    """How Google shows a reviewer: usually "Maria G.", sometimes the full or a nickname form."""
    name = first_name_as_typed(rng, first).strip().title() if rng.random() < 0.3 else first
    roll = rng.random()
    if roll < 0.6:
        return f"{name} {last[0]}."
    if roll < 0.85:
        return f"{name} {last}"
    return name
