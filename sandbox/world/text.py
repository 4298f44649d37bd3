"""Review and post text whose sentiment matches the star rating or the occasion.

A small phrase bank combined at random: an opener, a detail about the product or store and a closer,
so the same rating rarely gives the same sentence twice and a sentiment model has real words to read.
"""

import random

from sandbox.world.dialect import Brand

_OPENERS = {
    5: ("Absolutely love this store!", "Fantastic experience from start to finish.", "Best outdoor shop in town.",
        "Five stars, no question.", "Wonderful visit, will be back soon."),
    4: ("Really good experience overall.", "Nice store with helpful people.", "Pretty happy with my visit.",
        "Good selection and fair prices.", "Solid shop, I like it here."),
    3: ("It was okay.", "Mixed feelings about this visit.", "Average experience, nothing special.",
        "Decent, but could be better.", "Not bad, not great."),
    2: ("Disappointing visit.", "Expected more from this place.", "Not a great experience this time.",
        "Pretty frustrating trip.", "Below what I hoped for."),
    1: ("Terrible experience.", "Awful service, very disappointed.", "Worst shopping trip in a long time.",
        "Really bad, I will not come back.", "Horrible, avoid this store."),
}
_DETAILS = {
    5: ("The staff helped me find the perfect {product}.", "My {product} fits perfectly and feels great.",
        "Checkout was quick and the team was so friendly.", "They had my {product} ready for pickup right away."),
    4: ("Found the {product} I wanted, though the line was a bit long.", "The {product} is good quality.",
        "Staff were friendly and knew the products.", "Pickup was easy, just a short wait."),
    3: ("The {product} is fine but a little pricey.", "Staff were busy and hard to find.",
        "They were out of my size of the {product}.", "Pickup took longer than promised."),
    2: ("The {product} started falling apart after a week.", "Nobody helped me and the store was a mess.",
        "The price at the register was higher than online.", "My pickup order was not ready when I arrived."),
    1: ("The {product} broke and the return was a nightmare.", "Rude staff and a long wait for nothing.",
        "They charged me twice and refused to fix it.", "My order was lost and nobody cared."),
}
_CLOSERS = {
    5: ("Highly recommend!", "Thank you, {brand}!", "Can't wait to come back.", ""),
    4: ("Would recommend.", "Will shop here again.", ""),
    3: ("Might try again.", "Meh.", ""),
    2: ("Hope they improve.", "Probably shopping elsewhere next time.", ""),
    1: ("Avoid.", "Never again.", "Zero stars if I could."),
}
_EDIT_SUFFIX = {
    True: ("Update: the manager reached out and fixed everything, thank you!",
           "Update: they sorted it out quickly, great service after all."),
    False: ("Update: still waiting for a response, very disappointed.",
            "Update: it got worse, the replacement broke too."),
}
_REPLIES = {
    "good": ("Thank you so much for the kind words, {name}! See you on the trail.",
             "We're thrilled you enjoyed your visit, {name}. Thanks for shopping with us!"),
    "bad": ("We're sorry to hear this, {name}. Please email care@{domain} so we can make it right.",
            "{name}, thank you for the feedback. Our store manager will reach out to fix this."),
}
_POSTS = (
    "Just picked up a new {product} from @{handle}, love it already!",
    "{brand} {store} had exactly the {product} I needed. Great staff too.",
    "Took my new {brand} {product} up to Multnomah Falls today. Perfect.",
    "Really happy with my {brand} order, the {product} arrived fast.",
    "Not impressed with my {brand} {product}, already showing wear.",
    "Anyone else shop at {brand}? Thinking about the {product}.",
    "{brand} sale is on! Grabbed a {product} for way less than usual.",
)


def review_comment(rng: random.Random, stars: int, product: str, brand: Brand) -> str:
    """A review text whose words carry the sentiment of `stars`."""
    parts = (rng.choice(_OPENERS[stars]), rng.choice(_DETAILS[stars]).format(product=product.lower()),
             rng.choice(_CLOSERS[stars]).format(brand=brand.short))
    return " ".join(part for part in parts if part)


def edited_comment(rng: random.Random, comment: str, improved: bool) -> str:
    """The comment after the reviewer comes back to add an update."""
    return f"{comment} {rng.choice(_EDIT_SUFFIX[improved])}"


def owner_reply(rng: random.Random, stars: int, display_name: str, brand: Brand) -> str:
    """The store owner's reply, thanking or apologising depending on the rating."""
    return rng.choice(_REPLIES["good" if stars >= 4 else "bad"]).format(name=display_name.split(" ")[0],
                                                                         domain=brand.domain)


def purchase_post(rng: random.Random, product: str, store: str | None, negative: bool, brand: Brand) -> str:
    """A Bluesky post about a purchase (`store` None = bought online); `negative` posts complain."""
    if negative:
        template = _POSTS[4]
    else:
        candidates = _POSTS[:4] + _POSTS[6:]
        template = rng.choice(candidates if store else [t for t in candidates if "{store}" not in t])
    return template.format(product=product.lower(), store=store, brand=brand.short, handle=brand.search_query)


def musing_post(rng: random.Random, product: str, brand: Brand) -> str:
    """A brand mention without a purchase behind it."""
    return _POSTS[5].format(product=product.lower(), brand=brand.short)


def brand_post(brand: Brand, product: str, campaign: str) -> str:
    """The brand's own campaign post text."""
    label = campaign.rsplit("-", 1)[0].replace("-", " ")
    return f"{brand.short} {label}: meet the {product}. Shop now"
