"""Brand-mention classifier: evidence rules, the text model, and its precision/recall on a labelled feed.

The brand is invented here ("Heron Goods", see brand_fixtures.py) and its word is an ordinary one, so
nothing the classifier knows comes from the demo world.
"""

import brand_fixtures as fx
import pandas as pd
import pytest

from analytics.brand_mentions import (
    METHOD_DOMAIN,
    METHOD_HANDLE,
    METHOD_MODEL,
    METHOD_OWN,
    METHOD_PRODUCT,
    METHOD_STORE,
    brand_profile,
    classify_posts,
    find_evidence,
)
from evaluation.brand_mentions import score_classified


def _profile(posts, links):
    return brand_profile(
        posts, links,
        product_titles=[title for title, _ in fx.PRODUCTS], skus=[sku for _, sku in fx.PRODUCTS],
        store_names=[name for name, _ in fx.STORES], cities=[city for _, city in fx.STORES],
        site_urls={f"https://{fx.BRAND['domain']}": 500, "https://checkout.payments.test": 2},
    )


@pytest.fixture(scope="module")
def heron():
    posts, links, truth = fx.feed(seed=1)
    return posts, links, truth, _profile(posts, links)


def test_profile_is_read_from_the_brands_own_data(heron):
    _, _, _, profile = heron
    assert profile.handles == {fx.BRAND["handle"]}
    assert profile.dids == {fx.BRAND["did"]}
    assert profile.terms == ("heron",)  # the display-name word the search hits share, not "goods"
    assert profile.domains == {fx.BRAND["domain"]}  # a host seen on 2 of 502 pages is not the shop
    assert "ridgeline rain jacket" in profile.products
    # "Old Mill Quarter" proves a store; "Riverton" is also the town, so it is only a hint
    assert "old mill quarter" in profile.stores and "riverton" not in profile.stores
    assert "riverton" in profile.places


def test_a_store_name_of_everyday_words_is_only_a_hint(heron):
    posts, links, _, _ = heron
    profile = brand_profile(posts, links, store_names=["Heron Goods - The Landing", "Heron Goods - Lake O",
                                                       "Heron Goods - Old Mill Quarter"])
    assert profile.stores == ("old mill quarter",)
    assert {"the landing", "lake o"} <= set(profile.places)
    assert find_evidence("Sunset over the landing, a heron on the rail", [], profile) == []


@pytest.mark.parametrize(("text", "links", "method"), [
    ("Love my new ridgeline rain jacket from heron", [], METHOD_PRODUCT),
    ("heron order HG-TS-1006 arrived", [], METHOD_PRODUCT),
    ("Heron Old Mill Quarter was busy today", [], METHOD_STORE),
    ("Thanks @herongoods.bsky.social!", [], METHOD_HANDLE),
    ("Thanks @heron for the fast shipping", [], METHOD_HANDLE),  # a clear abbreviation of the handle
    ("heron!", [("mention", fx.BRAND["did"])], METHOD_HANDLE),
    ("agreed, heron rocks", [("reply_parent", f"at://{fx.BRAND['did']}/app.bsky.feed.post/3kabc")], METHOD_HANDLE),
    ("heron haul", [("link", f"https://{fx.BRAND['domain']}/products/x?utm_campaign=spring")], METHOD_DOMAIN),
    ("heron haul shop.herongoods.test/products/x", [], METHOD_DOMAIN),
])
def test_each_rule_fires_on_its_evidence(heron, text, links, method):
    evidence = find_evidence(text, links, heron[3])
    assert evidence and evidence[0][0] == method, evidence


@pytest.mark.parametrize("text", [
    "A grey heron at the pond this morning",
    "Grabbed a rain jacket before watching the herons",   # a product type, not a product title
    "The heron in Riverton park again",                   # the town alone
    "Pints at The Heron with @heronwatcher2",             # someone else's account
    "Heron photos https://birds.example.org/heron",       # someone else's site
])
def test_no_rule_fires_on_the_ordinary_word(heron, text):
    assert find_evidence(text, [], heron[3]) == []


def test_a_mention_resolved_to_another_account_is_not_the_brand(heron):
    # "@heron" reads like the brand, but the app resolved it to someone else's DID
    assert find_evidence("Lovely walk with @heron today", [("mention", "did:plc:someoneelse")], heron[3]) == []


def test_classifier_meets_the_target_on_labelled_feeds():
    for seed in (1, 2, 3):
        posts, links, truth = fx.feed(seed=seed)
        classified = classify_posts(posts, links, _profile(posts, links), known_about=fx.REVIEWS)
        score = score_classified(classified, truth.assign(kind="person_post"))
        assert score["precision"] >= 0.95 and score["recall"] >= 0.90, (seed, score)
        # the customers' posts without evidence are found by the model, not by a rule
        plain = classified[classified["post_uri"].str.contains("plain")]
        assert (plain["method"] == METHOD_MODEL).all() and plain["about_brand"].mean() >= 0.75, seed


def test_every_post_keeps_readable_evidence(heron):
    posts, links, _, profile = heron
    classified = classify_posts(posts, links, profile, known_about=fx.REVIEWS).set_index("post_uri")
    assert classified["evidence"].str.len().min() > 0
    assert set(classified.loc[posts.loc[posts["feed"] == "author", "post_uri"], "method"]) == {METHOD_OWN}
    modelled = classified[classified["method"] == METHOD_MODEL]
    assert modelled["evidence"].str.match(r"p=\d\.\d{3}; words known from brand talk \d+%; for: .*; against: ").all()
    assert classified["score"].between(0, 1).all()
    off_topic = classified.loc[classified.index.str.contains("other")]
    assert not off_topic["about_brand"].any()


def test_classification_is_deterministic_and_independent_of_row_order(heron):
    posts, links, _, profile = heron
    first = classify_posts(posts, links, profile, known_about=fx.REVIEWS)
    shuffled = classify_posts(posts.sample(frac=1, random_state=3), links.sample(frac=1, random_state=4), profile,
                              known_about=list(reversed(fx.REVIEWS)))
    pd.testing.assert_frame_equal(first, shuffled)


def test_a_feed_without_off_topic_posts_keeps_every_mention():
    posts, links, truth = fx.feed(seed=4, off_topic=0)
    classified = classify_posts(posts, links, _profile(posts, links), known_about=fx.REVIEWS)
    assert classified["about_brand"].all()
    assert score_classified(classified, truth.assign(kind="person_post"))["recall"] == 1.0


def test_no_posts_gives_an_empty_typed_table():
    _, links, _ = fx.feed(seed=1, about_with_evidence=0, about_plain=0, off_topic=0, own=0)
    empty = pd.DataFrame(columns=["post_uri", "feed", "author_did", "author_handle", "author_display_name",
                                  "post_text"])
    classified = classify_posts(empty, links, brand_profile(empty, links))
    assert classified.empty and list(classified.columns) == ["post_uri", "feed", "about_brand", "method", "score",
                                                             "evidence"]


def test_scoring_counts_misses_and_names_the_methods():
    truth = pd.DataFrame({"post_uri": ["a", "b", "c", "d", "e"], "about_brand": [True, True, False, False, True],
                          "kind": ["person_post", "person_post", "off_topic", "off_topic", "person_post"]})
    classified = pd.DataFrame({"post_uri": ["a", "b", "c", "d"], "about_brand": [True, False, True, False],
                               "method": ["rule:product", "model", "model", "model"]})
    score = score_classified(classified, truth)
    assert (score["true_positives"], score["false_positives"], score["false_negatives"]) == (1, 1, 2)
    assert score["precision"] == 0.5 and score["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert score["unclassified"] == 1
    assert score["by_method"] == {"model": {"claimed": 1, "correct": 0}, "rule:product": {"claimed": 1, "correct": 1}}
