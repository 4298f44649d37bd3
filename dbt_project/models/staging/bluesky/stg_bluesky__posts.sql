{%- set src = source('bluesky', 'posts') -%}
{%- set cols = source_columns('bluesky', 'posts') -%}

with source as (
    select * from {{ src }}
),

renamed as (
    select
        cast(uri as string)                                                  as post_uri,
        {{ col_or_null(cols, 'cid', 'varchar') }}                             as post_cid,
        {{ col_or_null(cols, 'feed', 'varchar') }}                            as feed,
        {{ col_or_null(cols, 'author__did', 'varchar') }}                     as author_did,
        lower({{ col_or_null(cols, 'author__handle', 'varchar') }})           as author_handle,
        {{ col_or_null(cols, 'author__display_name', 'varchar') }}            as author_display_name,
        {{ col_or_null(cols, 'record__text', 'varchar') }}                    as post_text,
        coalesce({{ col_or_null(cols, 'reply_count', 'integer') }}, 0)        as reply_count,
        coalesce({{ col_or_null(cols, 'repost_count', 'integer') }}, 0)       as repost_count,
        coalesce({{ col_or_null(cols, 'like_count', 'integer') }}, 0)         as like_count,
        coalesce({{ col_or_null(cols, 'quote_count', 'integer') }}, 0)        as quote_count,
        {{ to_utc(col_or_null(cols, 'record__created_at', 'timestamptz')) }}  as created_at,
        {{ to_utc(col_or_null(cols, 'indexed_at', 'timestamptz')) }}          as indexed_at
    from source
)

select
    *,
    {{ normalise_name("split_part(author_display_name, ' ', 1)") }}           as author_first_name_normalised,
    {{ normalise_name("nullif(regexp_replace(author_display_name, '^\\S+\\s*', ''), '')") }}
                                                                              as author_last_name_normalised,
    {# the handle's first label, letters only: "jane-doe88.bsky.social" -> "janedoe" #}
    nullif(regexp_replace(split_part(author_handle, '.', 1), '[^a-z]', ''{{ all_matches() }}), '') as author_handle_key,
    regexp_extract(post_text, 'utm_campaign=([A-Za-z0-9_\-]+)', 1)            as campaign
from renamed
