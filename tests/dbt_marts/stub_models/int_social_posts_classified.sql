{#- Stand-in for the brand-mention classifier: the world's own labels (off-topic posts are not about it). -#}
select
    posts.post_uri,
    posts.feed,
    truth.about_brand,
    'truth'                                         as method,
    cast(case when truth.about_brand then 1 else 0 end as double) as score,
    truth.kind                                      as evidence
from {{ ref('stg_bluesky__posts') }} as posts
inner join read_parquet('{{ env_var("STUB_WORLD_DIR") }}/truth/brand_mentions.parquet') as truth
    on truth.uri = posts.post_uri
