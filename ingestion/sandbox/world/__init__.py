"""The demo world simulator: a seeded omnichannel retailer with ground truth.

`generate_world(scale, seed, out, as_of=None)` writes a world; `advance_world(world_dir, days)` moves
it forward. See ingestion/sandbox/README.md for what the world contains and how truth is defined.
"""

from ingestion.sandbox.world.generate import advance_world, generate_world
from ingestion.sandbox.world.settings import SCALES

__all__ = ["SCALES", "advance_world", "generate_world"]
