{#- Segment-style events. Re-delivered files repeat a messageId: the first copy wins.
    An incremental table, not a view: the events are the largest source and several models read
    them. Each run takes the rows of loads it has not seen yet (macro unseen_loads: late files and
    re-deliveries included, whatever their timestamps) and replaces those messages. dlt merges the
    raw table on messageId, so it holds one row per message and this equals a full rebuild; messages
    deleted from raw (an erasure request) are deleted here by the post-hook. -#}
{{ config(materialized='incremental', unique_key='message_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns',
          post_hook="{% if is_incremental() %}delete from {{ this }} where message_id not in (select cast(message_id as string)
                     from {{ source('web_events', 'events') }} where message_id is not null){% endif %}") }}
{%- set src = source('web_events', 'events') -%}
{%- set cols = source_columns('web_events', 'events') -%}

with source as (
    select * from {{ src }}
    {% if is_incremental() %}
    where {{ unseen_loads('_dlt_load_id') }}
    {% endif %}
),

renamed as (
    select
        cast(message_id as string)                                           as message_id,
        lower({{ col_or_null(cols, 'type', 'varchar') }})                     as event_type,
        {{ col_or_null(cols, 'event', 'varchar') }}                           as event_name,
        {{ col_or_null(cols, 'anonymous_id', 'varchar') }}                    as anonymous_id,
        {{ col_or_null(cols, 'user_id', 'varchar') }}                         as user_id,
        {{ to_utc(col_or_null(cols, 'timestamp', 'timestamptz')) }}           as occurred_at,
        {{ col_or_null(cols, 'properties__sku', 'varchar') }}                 as sku,
        cast({{ col_or_null(cols, 'properties__price', 'double') }} as decimal(18, 2)) as price,
        cast({{ col_or_null(cols, 'properties__order_id', 'varchar') }} as string)    as order_id,
        cast({{ col_or_null(cols, 'properties__revenue', 'double') }} as decimal(18, 2)) as revenue,
        {{ col_or_null(cols, 'traits__email', 'varchar') }}                   as email_raw,
        {{ normalise_email(col_or_null(cols, 'traits__email', 'varchar')) }}  as email,
        {{ col_or_null(cols, 'traits__phone', 'varchar') }}                   as phone_raw,
        {{ normalise_phone(col_or_null(cols, 'traits__phone', 'varchar')) }}  as phone,
        {{ col_or_null(cols, 'context__page__url', 'varchar') }}              as page_url,
        {{ col_or_null(cols, 'context__page__referrer', 'varchar') }}         as page_referrer,
        {{ col_or_null(cols, 'context__campaign__source', 'varchar') }}       as campaign_source,
        {{ col_or_null(cols, 'context__campaign__medium', 'varchar') }}       as campaign_medium,
        {{ col_or_null(cols, 'context__campaign__name', 'varchar') }}         as campaign_name,
        {{ col_or_null(cols, 'context__user_agent', 'varchar') }}             as user_agent,
        _dlt_load_id                                                          as dlt_load_id
    from source
)

select {{ star_except(['delivery_rank']) }}
from (
    select *, row_number() over (partition by message_id order by dlt_load_id) as delivery_rank
    from renamed
)
where delivery_rank = 1
