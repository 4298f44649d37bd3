"""A labelled social feed for a brand invented here, whose name is an ordinary word.

"Heron Goods" sells outdoor gear; searching Bluesky for "heron" also returns posts about the bird, a
pub called The Heron and a shade of grey. Some posts about the brand carry evidence (a product, a store,
a link to the shop, an @mention), others only talk like a customer; off-topic posts sometimes share
everyday words with them ("love", "today", "new"). Deterministic for a seed.
"""

from __future__ import annotations

import random

import pandas as pd

BRAND = {"name": "Heron Goods", "handle": "herongoods.bsky.social", "did": "did:plc:herongoods0001",
         "domain": "shop.herongoods.test"}
PRODUCTS = [("Ridgeline Rain Jacket", "HG-RJ-1001"), ("Ridgeline Day Pack", "HG-DP-1002"),
            ("Tidewater Fleece Hoodie", "HG-FH-1003"), ("Tidewater Wool Socks", "HG-WS-1004"),
            ("Boulder Camp Stove", "HG-CS-1005"), ("Boulder Trail Shoe", "HG-TS-1006")]
STORES = [("Heron Goods - Old Mill Quarter", "Riverton"), ("Heron Goods - Riverton", "Riverton"),
          ("Heron Goods - Harbour Point", "Baymouth")]

_EVIDENCE_POSTS = (
    "Just got the {product} from Heron, love it already!",
    "Heron {store} had the {product} in my size. Great staff.",
    "Really happy with my Heron order, the {product} arrived fast.",
    "Not impressed with my {product} from Heron, already falling apart.",
    "Anyone tried the Heron {product}? Thinking about it.",
    "Heron sale is on: grabbed a {product} for way less than usual {link}",
    "Thanks @herongoods, the {product} kept me dry all weekend.",
    "Ordered from Heron again {link}",
)
_PLAIN_POSTS = (  # about the brand in a customer's words, but no product, store, link or mention
    "Really happy with my Heron order, arrived fast.",
    "Heron staff found my size in two minutes. Great staff.",
    "Not impressed with my Heron order, already falling apart.",
    "Heron sale is on, grabbed a jacket for way less than usual.",
    "My Heron order was ready for pickup the same day, love it.",
)
REVIEWS = (
    "Great staff, they found my size in two minutes.",
    "Checkout was quick and the team was friendly. Will shop here again.",
    "The return was easy and the manager was helpful.",
    "Order pickup took forever, nobody at the counter.",
    "Good selection of jackets and packs, fair prices.",
    "Store was a mess and the staff ignored me.",
    "Love this shop, best gear in town.",
    "My online order was ready for pickup the same day.",
)
_OFF_TOPIC = (
    "Saw a great blue heron at the pond this morning, love it!",
    "A heron just stole a fish from the neighbour's pond today.",
    "The heron by the river stood still for an hour. Perfect photo.",
    "Heron spotted on the lake again, such a patient bird.",
    "Two herons nesting near the marsh, spring is here.",
    "Pints at The Heron tonight, anyone in?",
    "The Heron pub quiz was brutal this week.",
    "Painted the bedroom heron grey, really happy with it.",
    "Is heron grey too dark for a small kitchen?",
    "New heron sketch finished today, watercolour on cotton paper.",
    "The little egret and the grey heron share the same creek.",
    "heron wings at sunset, nothing better",
)


def _uri(kind: str, i: int) -> str:
    return f"at://did:plc:{kind}{i:05d}/app.bsky.feed.post/3k{i:06d}"


def feed(seed: int = 1, about_with_evidence: int = 140, about_plain: int = 16, off_topic: int = 220,
         own: int = 30) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(posts, links, truth): staging-shaped posts and links, and the label of every search post."""
    rng = random.Random(seed)
    posts, links, truth = [], [], []

    def add(uri, feed_name, did, handle, display, text, about, post_links=()):
        posts.append({"post_uri": uri, "feed": feed_name, "author_did": did, "author_handle": handle,
                      "author_display_name": display, "post_text": text})
        for link_type, target in post_links:
            links.append({"post_uri": uri, "link_type": link_type, "target": target})
        if feed_name == "search":
            truth.append({"post_uri": uri, "about_brand": about})

    for i in range(own):
        title, _ = PRODUCTS[i % len(PRODUCTS)]
        url = f"https://{BRAND['domain']}/products/{title.lower().replace(' ', '-')}?utm_campaign=spring-{i % 3}"
        add(_uri("own", i), "author", BRAND["did"], BRAND["handle"], BRAND["name"],
            f"Heron spring picks: meet the {title}. Shop now", True, [("link", url), ("embed", url)])
    for i in range(about_with_evidence):
        title, _ = rng.choice(PRODUCTS)
        store = rng.choice(STORES)[0].split(" - ")[1]
        template = rng.choice(_EVIDENCE_POSTS)
        url = f"https://{BRAND['domain']}/products/x?utm_campaign=spring-1"
        text = template.format(product=title.lower(), store=store, link=url if "{link}" in template else "")
        add(_uri("fan", i), "search", f"did:plc:fan{i:05d}", f"fan{i}.bsky.social", None, text.strip(), True,
            [("link", url)] if "{link}" in template else [])
    for i in range(about_plain):
        add(_uri("plain", i), "search", f"did:plc:plain{i:05d}", f"plain{i}.bsky.social", None,
            rng.choice(_PLAIN_POSTS), True)
    for i in range(off_topic):
        add(_uri("other", i), "search", f"did:plc:other{i:05d}", f"other{i}.bsky.social", None,
            rng.choice(_OFF_TOPIC), False)
    return pd.DataFrame(posts), pd.DataFrame(links, columns=["post_uri", "link_type", "target"]), pd.DataFrame(truth)
