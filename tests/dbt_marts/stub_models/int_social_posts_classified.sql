{#- Stand-in for the brand-mention classifier: every post of the world is about the brand. -#}
select post_uri, feed, true as about_brand, 'truth' as method, cast(1.0 as double) as score, 'stand-in' as evidence
from {{ ref('stg_bluesky__posts') }}
