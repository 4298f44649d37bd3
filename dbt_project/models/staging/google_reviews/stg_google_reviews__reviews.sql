{#- starRating is an enum (ONE..FIVE); the reviewer is only a display name, often "First L.". -#}
{%- set src = source('google_reviews', 'reviews') -%}
{%- set cols = source_columns('google_reviews', 'reviews') -%}

with source as (
    select * from {{ src }}
),

renamed as (
    select
        cast(review_id as string)                                            as review_id,
        {{ col_or_null(cols, 'name', 'varchar') }}                            as review_name,
        coalesce({{ col_or_null(cols, 'location_name', 'varchar') }},
                 regexp_extract({{ col_or_null(cols, 'name', 'varchar') }}, '^(accounts/[^/]+/locations/[^/]+)', 1))
                                                                              as google_location_name,
        {# the place's id, shared with the v1 locations list ("locations/{id}") #}
        regexp_extract(coalesce({{ col_or_null(cols, 'location_name', 'varchar') }}, {{ col_or_null(cols, 'name', 'varchar') }}),
                       'locations/([^/]+)', 1)                                as google_location_id,
        {{ col_or_null(cols, 'reviewer__display_name', 'varchar') }}          as reviewer_display_name,
        coalesce({{ col_or_null(cols, 'reviewer__is_anonymous', 'boolean') }}, false) as reviewer_is_anonymous,
        case {{ col_or_null(cols, 'star_rating', 'varchar') }}
            when 'ONE' then 1 when 'TWO' then 2 when 'THREE' then 3 when 'FOUR' then 4 when 'FIVE' then 5
        end                                                                   as star_rating,
        {{ col_or_null(cols, 'comment', 'varchar') }}                         as comment,
        {{ col_or_null(cols, 'review_reply__comment', 'varchar') }}           as reply_comment,
        {{ to_utc(col_or_null(cols, 'create_time', 'timestamptz')) }}         as created_at,
        {{ to_utc(col_or_null(cols, 'update_time', 'timestamptz')) }}         as updated_at
    from source
)

select
    *,
    {{ normalise_name("split_part(reviewer_display_name, ' ', 1)") }}         as reviewer_first_name_normalised,
    {{ normalise_name("nullif(regexp_replace(reviewer_display_name, '^\\S+\\s*', ''), '')") }}
                                                                              as reviewer_last_name_normalised
from renamed
