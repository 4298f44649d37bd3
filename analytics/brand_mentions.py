"""Which posts found by the brand search are about the brand, each with its evidence.

Bluesky's searchPosts returns every post containing the query's words, so a brand whose name is also
an ordinary word (a flower, a town, a colour) collects many posts about something else. A post is
classified in two steps, both from what the warehouse itself knows (nothing about any particular brand
or world is written here):

1. Evidence rules. A post that mentions the brand's account or replies to / quotes its posts
   (`rule:handle`), links to the shop's domain (`rule:domain`), names one of its products by full
   title or SKU (`rule:product`) or one of its stores by a distinctive name (`rule:store`) is about
   the brand. The brand's own posts (the author feed) are too (`own_post`).
2. A text model for the rest (`model`): multinomial naive Bayes learned on the data itself from
   positive and unlabelled posts (the two-step PU scheme of Liu et al.). The positives are the
   evidence posts, the brand's own posts and its stores' reviews. Among the unlabelled posts, one
   most of whose words never occur in that brand talk ("words known from brand talk" < 75%) is a
   reliable negative: people using the word in another sense talk about other things (gardens,
   towns, paint). The model is learned on positives against these, the posts it then places on the
   negative side join them, and so on until nothing moves; only the cautious side grows, so a group
   of off-topic posts cannot talk itself into being about the brand. A post counts when its
   probability is >= 0.5 and at least 75% of its words are brand talk. When no unlabelled post is unlike
   brand talk (a brand whose name is not an ordinary word), every search hit counts. Features are
   the words of a post (with the evidence masked, so the model learns how people talk about the
   brand rather than the product names it already knows), the context of the brand's word (the
   words either side, its capitalisation, an @ before it) and whether the author wrote another post
   with evidence.

Every post keeps its evidence (the rule that fired and what matched, or the model's probability and
the words that weighed most), so an analyst can read why it counts. Deterministic: no random state;
ties and vocabularies are sorted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
from scipy import sparse

METHOD_OWN = "own_post"
METHOD_HANDLE = "rule:handle"
METHOD_DOMAIN = "rule:domain"
METHOD_PRODUCT = "rule:product"
METHOD_STORE = "rule:store"
METHOD_MODEL = "model"
RULE_METHODS = (METHOD_HANDLE, METHOD_DOMAIN, METHOD_PRODUCT, METHOD_STORE)

THRESHOLD = 0.5            # posterior probability at or above which a post without evidence counts
COVERAGE_NEGATIVE = 0.75   # a post with fewer of its words known from brand talk is a reliable negative
MAX_ITERATIONS = 20
ALPHA = 0.5                # additive smoothing of the word probabilities
MIN_DOCUMENTS = 2          # a feature seen in fewer posts is ignored
COMMON_WORD_SHARE = 0.05   # a short word in more of the search hits is a function word, not a name
TOP_TERMS = 3
AUTHOR_FEATURE = "zzauthor_with_evidence"

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9.-]*[a-z0-9])", re.IGNORECASE)
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{3,}")
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class BrandProfile:
    """What the warehouse knows about the brand (all lower-case)."""

    dids: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()
    terms: tuple[str, ...] = ()          # the brand's own word(s), found in the search hits
    name_tokens: frozenset[str] = frozenset()  # every token of its display names and handle labels
    domains: frozenset[str] = frozenset()
    campaigns: frozenset[str] = frozenset()
    products: tuple[str, ...] = ()       # distinctive product titles (two words or more besides the brand's)
    skus: frozenset[str] = frozenset()
    stores: tuple[str, ...] = ()         # distinctive store names
    places: tuple[str, ...] = ()         # cities and one-word store names: a model feature, not proof
    mention_prefixes: tuple[str, ...] = field(default=())


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def _phrase(text: str | None, drop: Iterable[str] = ()) -> str:
    """Lower-case words of `text` joined by single spaces, without the words in `drop`."""
    dropped = set(drop)
    return " ".join(t for t in _tokens(text) if t not in dropped)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    candidate = url.strip()
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.lower().removeprefix("www.")


def _campaign(url: str | None) -> str | None:
    if not url or "utm_campaign" not in url:
        return None
    values = parse_qs(urlsplit(url if "://" in url else "http://" + url).query).get("utm_campaign")
    return values[0].lower() if values else None


def _text_urls(text: str | None) -> list[str]:
    return [match.rstrip(".,;:!?)\"'") for match in _URL.findall(text or "")]


def _as_list(values: Iterable | None) -> list:
    if values is None:
        return []
    if isinstance(values, pd.Series):
        values = values.tolist()
    return [value for value in values if isinstance(value, str) and value.strip()]


def brand_profile(
    posts: pd.DataFrame,
    links: pd.DataFrame | None = None,
    product_titles: Iterable[str] | None = None,
    skus: Iterable[str] | None = None,
    store_names: Iterable[str] | None = None,
    cities: Iterable[str] | None = None,
    site_urls: Iterable[str] | Mapping[str, int] | None = None,
) -> BrandProfile:
    """Derive the brand's profile from its own posts and the shop's catalogue, stores and web pages.

    posts: post_uri, feed ('author' = the brand's own account), author_did, author_handle,
    author_display_name, post_text. links: post_uri, link_type, target (see `post_links`).
    site_urls: URLs of the shop's own pages (web events' page URLs, order landing sites), or a
    mapping URL -> number of times seen. A host counts when it holds at least 1% of them.
    """
    own = posts[posts["feed"] == "author"]
    search = posts[posts["feed"] != "author"]
    dids = frozenset(d.lower() for d in _as_list(own["author_did"]))
    handles = frozenset(h.lower() for h in _as_list(own["author_handle"]))
    display_names = sorted(set(_as_list(own["author_display_name"])))
    name_tokens = {t for name in display_names for t in _tokens(name)}
    labels = sorted({h.split(".")[0] for h in handles})
    name_tokens |= set(labels)

    # the brand's word(s): display-name tokens that most search hits contain (the search query)
    hit_tokens = [set(_tokens(text)) for text in _as_list(search["post_text"])]
    candidates = sorted(t for t in name_tokens if len(t) >= 3)
    terms = tuple(t for t in candidates if hit_tokens and sum(t in s for s in hit_tokens) >= 0.5 * len(hit_tokens))
    if not terms:
        terms = tuple(t for t in candidates if any(t in s for s in hit_tokens)) or tuple(candidates)

    # the shop's domains: hosts the brand links to, and hosts of the shop's own pages
    own_links = []
    if links is not None and len(links):
        own_uris = set(own["post_uri"])
        own_links = _as_list(links.loc[links["post_uri"].isin(own_uris) & links["link_type"].isin(["link", "embed"]),
                                       "target"])
    own_links += [url for text in _as_list(own["post_text"]) for url in _text_urls(text)]
    link_hosts = Counter(h for h in map(_host, own_links) if h)
    if isinstance(site_urls, Mapping):
        seen = Counter(dict(site_urls))
    else:
        seen = Counter(_as_list(site_urls))
    site_hosts: Counter[str] = Counter()
    for url, n in seen.items():
        host = _host(url) if isinstance(url, str) else None
        if host:
            site_hosts[host] += int(n)
    total = sum(site_hosts.values())
    domains = {h for h, n in link_hosts.items() if n >= 2 or len(own) < 4}
    domains |= {h for h, n in site_hosts.items() if n >= max(2, 0.01 * total)}
    campaigns = frozenset(c for c in map(_campaign, own_links) if c)

    # a name proves the brand only with two words of its own besides the brand's and the short words
    # every post uses ("the", "of", "and", "o"): "The Waterfront" or "Lake O" is a place anyone mentions
    function_words = {t for t, n in Counter(t for s in hit_tokens for t in s).items()
                      if len(t) <= 3 and n > COMMON_WORD_SHARE * len(hit_tokens)}
    ordinary = set(name_tokens) | function_words

    def distinctive(phrase: str) -> bool:
        return len([t for t in phrase.split() if t not in ordinary and len(t) > 1]) >= 2

    products = sorted({phrase for phrase in map(_phrase, _as_list(product_titles)) if distinctive(phrase)})
    sku_set = frozenset(s.lower() for s in _as_list(skus) if len(s) >= 5 and any(ch.isdigit() for ch in s))

    city_phrases = {_phrase(c) for c in _as_list(cities)} - {""}
    stores, places = set(), set(city_phrases)
    for name in _as_list(store_names):
        phrase = _phrase(name, drop=name_tokens)
        if not phrase:
            continue
        if distinctive(phrase) and phrase not in city_phrases:
            stores.add(phrase)
        else:
            places.add(phrase)
    prefixes = tuple(sorted({label for label in labels} | {"".join(_tokens(n)) for n in display_names} - {""}))
    return BrandProfile(
        dids=dids, handles=handles, terms=terms, name_tokens=frozenset(name_tokens),
        domains=frozenset(sorted(domains)), campaigns=campaigns, products=tuple(sorted(products)),
        skus=sku_set, stores=tuple(sorted(stores)), places=tuple(sorted(places - stores)),
        mention_prefixes=prefixes,
    )


def _contains_phrase(padded_text: str, phrase: str) -> bool:
    return f" {phrase} " in padded_text


def _domain_of(host: str | None, domains: frozenset[str]) -> str | None:
    if not host:
        return None
    for domain in sorted(domains):
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _mentions_brand(token: str, profile: BrandProfile) -> bool:
    """An @mention of the brand's account: its full handle, or a clear abbreviation of it."""
    token = token.lower()
    if token in profile.handles:
        return True
    label = token.split(".")[0]
    return any(label == prefix or (len(label) >= 4 and prefix.startswith(label)) for prefix in profile.mention_prefixes)


def find_evidence(text: str | None, links: Sequence[tuple[str, str]], profile: BrandProfile) -> list[tuple[str, str]]:
    """The rules a post satisfies, as (method, what matched), in RULE_METHODS order.

    links: (link_type, target) pairs of the post: facets ('link', 'mention', 'tag'), embeds ('embed'),
    replies ('reply_parent', 'reply_root') and quotes ('quote').
    """
    found: dict[str, str] = {}
    for kind, target in links:
        target_lower = (target or "").lower()
        if kind == "mention" and target_lower in profile.dids:
            found.setdefault(METHOD_HANDLE, f"mentions the brand's account {target}")
        elif kind in ("reply_parent", "reply_root", "quote") and any(
                target_lower.startswith(f"at://{did}/") for did in profile.dids):
            found.setdefault(METHOD_HANDLE, f"{kind.replace('_', ' ')} of the brand's post {target}")
    # an app resolves each @mention to an account (a mention facet's DID), and that is what counts; an
    # @name in text without facets (a client that sent none) is read as written
    if not any(kind == "mention" for kind, _ in links):
        for match in _MENTION.findall(text or ""):
            if _mentions_brand(match.rstrip("."), profile):
                found.setdefault(METHOD_HANDLE, f"mentions @{match}")
    urls = [target for kind, target in links if kind in ("link", "embed")] + _text_urls(text)
    for url in urls:
        domain = _domain_of(_host(url), profile.domains)
        if domain:
            campaign = _campaign(url)
            found.setdefault(METHOD_DOMAIN, f"links to the shop {domain}" + (f" (campaign {campaign})" if campaign else ""))
    padded = f" {_phrase(text)} "
    for title in profile.products:
        if _contains_phrase(padded, title):
            found.setdefault(METHOD_PRODUCT, f"names the product '{title}'")
            break
    if METHOD_PRODUCT not in found and profile.skus:
        for candidate in _SKU.findall(text or ""):
            if candidate.lower() in profile.skus:
                found[METHOD_PRODUCT] = f"names the SKU {candidate}"
                break
    for store in profile.stores:
        if _contains_phrase(padded, store):
            found.setdefault(METHOD_STORE, f"names the store '{store}'")
            break
    return [(method, found[method]) for method in RULE_METHODS if method in found]


def model_features(text: str | None, profile: BrandProfile) -> list[str]:
    """The words the text model reads: evidence masked, the brand word replaced by its context."""
    raw = text or ""
    raw = _URL.sub(" ", raw)
    raw = _MENTION.sub(lambda m: " zzmention " if not _mentions_brand(m.group(1), profile) else " ", raw)
    words = _WORD.findall(raw.lower())
    padded = " " + " ".join(words) + " "
    for phrase in (*profile.products, *profile.stores):
        padded = padded.replace(f" {phrase} ", " ")
    for phrase in profile.places:
        padded = padded.replace(f" {phrase} ", " zzplace ")
    words = [w for w in padded.split() if w not in profile.skus]
    terms = set(profile.terms)
    features = set()
    for i, word in enumerate(words):
        if word in terms:
            features.add("L:" + (words[i - 1] if i > 0 else "^"))
            features.add("R:" + (words[i + 1] if i + 1 < len(words) else "$"))
        else:
            features.add(word)
    # how the brand's word is written: "Larkspur" vs "larkspur" vs "LARKSPUR", "@larkspur", "#larkspur"
    for match in re.finditer(r"([@#]?)([A-Za-z]+)", text or ""):
        if match.group(2).lower() in terms:
            written = match.group(2)
            shape = "upper" if written.isupper() else "title" if written[0].isupper() else "lower"
            features.add(f"C:{match.group(1)}{shape}")
    return sorted(features)


@dataclass
class _Model:
    vocabulary: list[str]
    weights: np.ndarray        # log P(word|about) - log P(word|not about)
    bias: float                # log prior odds + the absent-word terms (constant per model)

    def log_odds(self, matrix: sparse.csr_matrix) -> np.ndarray:
        return self.bias + matrix @ self.weights


def _fit(matrix: sparse.csr_matrix, positive: np.ndarray, negative: np.ndarray) -> _Model:
    """Multinomial naive Bayes from soft class weights (each row's weight as about / not about)."""
    pos_counts = np.asarray(matrix.T @ positive).ravel() + ALPHA
    neg_counts = np.asarray(matrix.T @ negative).ravel() + ALPHA
    weights = np.log(pos_counts / pos_counts.sum()) - np.log(neg_counts / neg_counts.sum())
    prior = np.log(max(positive.sum(), 1e-9)) - np.log(max(negative.sum(), 1e-9))
    return _Model([], weights, float(prior))


def _posterior(log_odds: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -50, 50)))


def _is_word(feature: str) -> bool:
    return ":" not in feature and not feature.startswith("zz")


def brand_talk_coverage(features: list[list[str]], positive: np.ndarray) -> np.ndarray:
    """Per post, the share of its words that also occur in the positive posts (1.0 without words)."""
    known = {f for row, is_positive in zip(features, positive, strict=True) if is_positive for f in row if _is_word(f)}
    shares = []
    for row in features:
        words = [f for f in row if _is_word(f)]
        shares.append(sum(w in known for w in words) / len(words) if words else 1.0)
    return np.array(shares)


def train_and_score(features: list[list[str]], positive: np.ndarray,
                    unlabelled: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray, sparse.csr_matrix]:
    """PU learning over the posts: returns (posterior of every post, vocabulary, word weights, features).

    The positives are known; among the unlabelled posts, those whose words are mostly unknown to the
    positives are reliable negatives; EM then settles the rest (Liu et al.'s two-step PU scheme).
    """
    counts = Counter(f for row in features for f in set(row))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_DOCUMENTS)
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols = [], []
    for r, row in enumerate(features):
        for f in row:
            if f in index:
                rows.append(r)
                cols.append(index[f])
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(features), len(vocabulary)))
    if not positive.any() or not unlabelled.any():
        return np.where(positive, 1.0, 0.0), vocabulary, np.zeros(len(vocabulary)), matrix

    # 1. reliable negatives: posts most of whose words never occur where people talk about the brand
    coverage = brand_talk_coverage(features, positive)
    reliable_negative = unlabelled & (coverage < COVERAGE_NEGATIVE)
    if not reliable_negative.any():  # nothing unlike brand talk: no off-topic population to learn from
        return np.where(positive | unlabelled, 1.0, 0.0), vocabulary, np.zeros(len(vocabulary)), matrix

    # 2. grow the negatives: a post the model puts on the "not about" side joins them, and the model is
    #    learned again, until nothing moves (the positives stay the evidence posts: only the cautious
    #    side grows, so a cluster of off-topic posts cannot talk itself into being about the brand)
    model = _fit(matrix, positive.astype(float), reliable_negative.astype(float))
    for _ in range(MAX_ITERATIONS):
        posterior = _posterior(model.log_odds(matrix))
        grown = reliable_negative | (unlabelled & (posterior < THRESHOLD))
        if (grown == reliable_negative).all():
            break
        reliable_negative = grown
        model = _fit(matrix, positive.astype(float), reliable_negative.astype(float))
    posterior = _posterior(model.log_odds(matrix))
    return posterior, vocabulary, model.weights, matrix


def _explain(row: int, matrix: sparse.csr_matrix, vocabulary: list[str], weights: np.ndarray) -> str:
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    present = sorted(((float(weights[c]), vocabulary[c]) for c in matrix.indices[start:end]), key=lambda x: (-x[0], x[1]))
    towards = [f"{term} ({weight:+.1f})" for weight, term in present[:TOP_TERMS] if weight > 0]
    against = [f"{term} ({weight:+.1f})" for weight, term in sorted(present, key=lambda x: (x[0], x[1]))[:TOP_TERMS]
               if weight < 0]
    return f"for: {', '.join(towards) or '-'}; against: {', '.join(against) or '-'}"


def classify_posts(posts: pd.DataFrame, links: pd.DataFrame | None, profile: BrandProfile,
                   known_about: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per post: post_uri, feed, about_brand, method, score, evidence.

    known_about: other texts known to be about the brand (its stores' reviews): more examples of how
    customers talk about it, for the text model only.

    score is the text model's probability that the post is about the brand (for every post, so a rule
    and the model can be compared); method the first rule that fired, `own_post`, or `model`.
    """
    posts = posts.sort_values("post_uri", kind="stable").reset_index(drop=True)
    by_post: dict[str, list[tuple[str, str]]] = {}
    if links is not None and len(links):
        ordered = links.sort_values(["post_uri", "link_type", "target"], kind="stable")
        for uri, kind, target in ordered[["post_uri", "link_type", "target"]].itertuples(index=False):
            if isinstance(target, str):
                by_post.setdefault(uri, []).append((kind, target))
    texts = posts["post_text"].tolist()
    uris = posts["post_uri"].tolist()
    own = (posts["feed"] == "author").to_numpy()
    evidence = [[] if own[i] else find_evidence(texts[i], by_post.get(uris[i], []), profile) for i in range(len(posts))]
    ruled = np.array([bool(e) for e in evidence], dtype=bool)
    # an author who wrote another post with evidence is a customer talking about the brand again
    authors = posts["author_did"].tolist() if "author_did" in posts.columns else [None] * len(posts)
    evidence_posts = Counter(a for a, ruled_post in zip(authors, ruled, strict=True) if ruled_post and isinstance(a, str))
    extra = sorted(set(_as_list(known_about)))
    features = [model_features(t, profile) for t in texts]
    for i, author in enumerate(authors):
        if isinstance(author, str) and evidence_posts[author] - int(ruled[i]) > 0:
            features[i] = sorted({*features[i], AUTHOR_FEATURE})
    features += [model_features(t, profile) for t in extra]
    positive = np.concatenate([own | ruled, np.ones(len(extra), bool)])
    unlabelled = ~positive
    if len(posts):
        posterior, vocabulary, weights, matrix = train_and_score(features, positive, unlabelled)
    else:
        posterior, vocabulary, weights, matrix = np.zeros(0), [], np.zeros(0), sparse.csr_matrix((0, 0))
    coverage = brand_talk_coverage(features, positive)

    methods, about, explained = [], [], []
    for i in range(len(posts)):
        if own[i]:
            methods.append(METHOD_OWN)
            about.append(True)
            explained.append("the brand's own post")
        elif evidence[i]:
            methods.append(evidence[i][0][0])
            about.append(True)
            explained.append("; ".join(detail for _, detail in evidence[i]))
        else:
            methods.append(METHOD_MODEL)
            about.append(bool(posterior[i] >= THRESHOLD and coverage[i] >= COVERAGE_NEGATIVE))
            explained.append(f"p={posterior[i]:.3f}; words known from brand talk {coverage[i]:.0%}; "
                             + _explain(i, matrix, vocabulary, weights))
    return pd.DataFrame({
        "post_uri": pd.array(uris, dtype="string"),
        "feed": pd.array(posts["feed"].tolist(), dtype="string"),
        "about_brand": pd.array(about, dtype="boolean"),
        "method": pd.array(methods, dtype="string"),
        "score": pd.array([float(round(p, 6)) for p in posterior[:len(posts)]], dtype="Float64"),
        "evidence": pd.array(explained, dtype="string"),
    })
