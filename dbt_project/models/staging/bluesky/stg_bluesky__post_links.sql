{#- What a post points at, one row per target: rich-text facets (links, @mentions by DID, #tags),
    the link card it embeds, the post it replies to and the post it quotes. The brand-mention
    classifier reads them as evidence (a link to the shop, a mention of the brand's account).
    dlt creates a column or child table only once it has seen a value, so each is optional. -#}
{%- set posts = source('bluesky', 'posts') -%}
{%- set cols = source_columns('bluesky', 'posts') -%}
{%- set features = optional_source('bluesky', 'posts__record__facets__features') -%}
{%- set feature_cols = relation_columns(features) -%}
{%- set facets = optional_source('bluesky', 'posts__record__facets') -%}

with posts as (
    select * from {{ posts }}
),

post_targets as (
    select cast(uri as string) as post_uri, link_type, target
    from posts
    {{ cross_join_rows([
        ["'embed'", col_or_null(cols, 'embed__external__uri', 'varchar')],
        ["'embed'", col_or_null(cols, 'record__embed__external__uri', 'varchar')],
        ["'quote'", col_or_null(cols, 'embed__record__uri', 'varchar')],
        ["'quote'", col_or_null(cols, 'record__embed__record__uri', 'varchar')],
        ["'reply_parent'", col_or_null(cols, 'record__reply__parent__uri', 'varchar')],
        ["'reply_root'", col_or_null(cols, 'record__reply__root__uri', 'varchar')]
    ], 'targets', ['link_type', 'target']) }}
)

{%- if features is not none and facets is not none %},

features as (
    {#- a feature's post: its root (dlt writes _dlt_root_id for merged resources), else up through its facet #}
    select
        {%- if feature_cols is none or '_dlt_root_id' in feature_cols %}
        features._dlt_root_id                                                as post_dlt_id,
        {%- else %}
        facets._dlt_parent_id                                                as post_dlt_id,
        {%- endif %}
        {{ col_or_null(feature_cols, 'uri', 'varchar') }}                    as link_uri,
        {{ col_or_null(feature_cols, 'did', 'varchar') }}                    as mention_did,
        {{ col_or_null(feature_cols, 'tag', 'varchar') }}                    as tag
    from {{ features }} as features
    {%- if not (feature_cols is none or '_dlt_root_id' in feature_cols) %}
    inner join {{ facets }} as facets on features._dlt_parent_id = facets._dlt_id
    {%- endif %}
),

facet_targets as (
    select cast(posts.uri as string) as post_uri, link_type, target
    from features
    inner join posts on features.post_dlt_id = posts._dlt_id
    {{ cross_join_rows([["'link'", 'features.link_uri'], ["'mention'", 'features.mention_did'], ["'tag'", 'features.tag']],
                       'targets', ['link_type', 'target']) }}
)
{%- endif %}

select distinct post_uri, link_type, target
from (
    select * from post_targets
    {%- if features is not none and facets is not none %}
    union all
    select * from facet_targets
    {%- endif %}
)
where target is not null and post_uri is not null
