"""Google Business Profile v4 reviews and Bluesky postViews (store locations are in render_places).

Google reviews use the proto3 JSON mapping (unset fields omitted, `starRating` ONE..FIVE, RFC 3339
UTC timestamps with Z). A later edit or owner reply moves `updateTime`. Bluesky posts are
app.bsky.feed.defs#postView objects; engagement counts grow during a post's first days, so they
too depend on `as_of`. When the brand's name is an ordinary word, strangers' posts using the word
are among them: search returns every post containing it, and only the truth says which are about
the brand (truth/brand_mentions.parquet).
"""

import base64

from sandbox.world import ids
from sandbox.world.ledger import Ledger, Touchpoint
from sandbox.world.model import Activity, Post
from sandbox.world.output import utc_millis, utc_seconds
from sandbox.world.people import Person, bluesky_identity
from sandbox.world.simulate import World, campaign_url, stranger_handles

_STARS = {1: "ONE", 2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def review_id(seed: int, key: tuple) -> str:
    return base64.urlsafe_b64encode(ids.digest(seed, "review", key, 27)).decode().rstrip("=")


def reviews(world: World, activity: Activity, people: dict[int, Person], cut: int, ledger: Ledger) -> list[dict]:
    records = []
    for review in sorted(activity.reviews, key=lambda r: r.key):
        if review.created >= cut:
            continue
        edited = review.edited_at is not None and review.edited_at < cut
        replied = review.reply_at is not None and review.reply_at < cut
        location = world.locations[review.location]
        rid = review_id(world.seed, review.key)
        stars = review.edited_stars if edited else review.stars
        comment = review.edited_comment if edited else review.comment
        reviewer = ({"displayName": review.display_name, "isAnonymous": True} if review.anonymous else
                    {"profilePhotoUrl": f"https://lh3.googleusercontent.com/a-/{rid[:20]}=s120-c-rp-mo-br100",
                     "displayName": review.display_name})
        record = {"name": f"{location.google_name}/reviews/{rid}", "reviewId": rid, "reviewer": reviewer,
                  "starRating": _STARS[stars]}
        if comment:
            record["comment"] = comment
        times = [review.created] + ([review.edited_at] if edited else []) + ([review.reply_at] if replied else [])
        record["createTime"] = utc_seconds(review.created)
        record["updateTime"] = utc_seconds(max(times))
        if replied:
            record["reviewReply"] = {"comment": review.reply, "updateTime": utc_seconds(review.reply_at)}
        records.append(record)
        person_id = people[review.person].person_id
        ledger.own("google_reviews", "reviews", rid, person_id)
        ledger.touch(Touchpoint(person_id, "review", "review", review.created, "google_reviews", rid, float(stars),
                                location.square_location_id))
    return records


def posts(world: World, activity: Activity, people: dict[int, Person], cut: int, ledger: Ledger) -> list[dict]:
    """Brand mentions, the brand's own posts and strangers' off-topic posts, oldest first."""
    brand_did = ids.bluesky_did(world.seed, "brand")
    strangers = stranger_handles(world)
    records = []
    authors_seen: set[str] = set()
    for post in sorted(activity.posts, key=lambda p: (p.created, p.key)):
        if post.created >= cut:
            continue
        if post.stranger is not None:
            author = stranger_author(world.seed, post.stranger, strangers[post.stranger])
            person_id = None
        elif post.person is None:
            author = {"did": brand_did, "handle": world.brand.bluesky_handle, "displayName": world.brand.name}
            person_id = None
        else:
            did, handle, display = bluesky_identity(world.seed, people[post.person])
            author = {"did": did, "handle": handle}
            if display:
                author["displayName"] = display
            person_id = people[post.person].person_id
        record = post_view(world, post, author, cut)
        records.append(record)
        kind = "off_topic" if post.stranger is not None else "person_post" if person_id else "brand_post"
        ledger.mention(record["uri"], kind != "off_topic", kind)
        ledger.own("bluesky", "posts", record["uri"], person_id)
        if author["did"] not in authors_seen:
            authors_seen.add(author["did"])
            ledger.own("bluesky", "authors", author["did"], person_id)
        if person_id:
            ledger.touch(Touchpoint(person_id, "social", "social_mention", post.created, "bluesky", record["uri"],
                                    None, campaign=post.campaign))
    return records


def stranger_author(seed: int, index: int, handle: str) -> dict:
    """A Bluesky user who is nobody's customer (display name from the handle, sometimes none)."""
    author = {"did": ids.bluesky_did(seed, ("stranger", index)), "handle": handle}
    if ids.digest(seed, "stranger-display", index, 1)[0] < 180:
        author["displayName"] = handle.split(".")[0].rstrip("0123456789").title()
    return author


def post_view(world: World, post: Post, author: dict, cut: int) -> dict:
    seed = world.seed
    created_us = post.created * 1_000_000 + ids.digest(seed, "post-us", post.key, 3)[0] * 1000
    rkey = ids.bluesky_tid(created_us, ids.digest(seed, "clock", post.key, 2)[0])
    text = post.text
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": utc_millis(post.created, created_us // 1000),
              "langs": ["en"]}
    view_embed = None
    if post.campaign:
        link = campaign_url(world.shop_domain, post.campaign, post.product_handle)
        text = f"{text} {link}"
        start = len(f"{post.text} ".encode())
        record["text"] = text
        record["facets"] = [{"index": {"byteStart": start, "byteEnd": start + len(link.encode())},
                             "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}]}]
        external = {"uri": link, "title": world.brand.name, "description": post.product_handle.replace("-", " ")}
        record["embed"] = {"$type": "app.bsky.embed.external", "external": external}
        view_embed = {"$type": "app.bsky.embed.external#view", "external": external}
    age_days = max(0.0, (cut - post.created) / 86_400)
    grown = min(1.0, age_days / 3)
    view = {"uri": f"at://{author['did']}/app.bsky.feed.post/{rkey}", "cid": ids.bluesky_cid(seed, post.key),
            "author": author, "record": record}
    if view_embed:
        view["embed"] = view_embed
    view.update({"replyCount": int(post.replies * grown), "repostCount": int(post.reposts * grown),
                 "likeCount": int(post.likes * grown), "quoteCount": int(post.quotes * grown),
                 "indexedAt": utc_millis(post.created + 1, created_us // 1000), "labels": []})
    return view
