"""The demo world simulator: a seeded omnichannel retailer with ground truth.

`generate_world(scale, seed, out, as_of=None, dialect=None)` writes a world (the merchant's dialect is
drawn from the seed unless named, see dialect.py); `advance_world(world_dir, days)` moves it forward. See sandbox/README.md for what the world contains and how truth is defined.
"""

from sandbox.world.dialect import PRESETS, Dialect, dialect_for_seed
from sandbox.world.generate import advance_world, generate_world
from sandbox.world.settings import SCALES

__all__ = ["PRESETS", "SCALES", "Dialect", "advance_world", "dialect_for_seed", "generate_world"]
