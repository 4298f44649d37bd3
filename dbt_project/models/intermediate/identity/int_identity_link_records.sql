{#- Input of the probabilistic pass, one table in one shape for Splink:
    - person:  a deterministic cluster holding a customer record (Shopify/Square customer, order,
               checkout or loyalty account), with its modal name, its email local parts and its
               store visits (Square sales, Shopify POS and pickup orders);
    - review:  a Google review (reviewer display name, store reviewed, time);
    - author:  a Bluesky author (their posts grouped by DID in the deterministic pass).
    unique_id is the deterministic cluster id, so a match links whole clusters. -#}

with nodes as (
    select nodes.*, clusters.deterministic_cluster_id
    from {{ ref('int_identity_nodes') }} as nodes
    inner join {{ ref('int_identity_clusters_deterministic') }} as clusters using (node_id)
),

person_clusters as (
    select deterministic_cluster_id
    from nodes
    where source in ('shopify', 'square')
    group by all
),

person_names as (
    select
        deterministic_cluster_id,
        mode() within group (order by first_name_key)                         as first_name_key,
        mode() within group (order by last_name_key)                          as last_name_key
    from nodes
    inner join person_clusters using (deterministic_cluster_id)
    where source in ('shopify', 'square')
    group by all
),

{#- local parts twice: letters and digits ("mgarcia84", which tells namesakes apart) and letters only
    ("mgarcia", which survives a handle renumbered because its first choice was taken) -#}
person_email_keys as (
    select
        nodes.deterministic_cluster_id,
        list_sort({{ list_agg("regexp_replace(split_part(identifiers.identifier_value, '@', 1), '[^a-z]', ''" ~ all_matches() ~ ")", distinct=true) }})
                                                                              as email_local_keys,
        list_sort({{ list_agg("regexp_replace(split_part(identifiers.identifier_value, '@', 1), '[^a-z0-9]', ''" ~ all_matches() ~ ")", distinct=true) }})
                                                                              as email_locals
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join nodes using (node_id)
    where identifiers.identifier_type = 'email'
    group by all
),

locations as (
    {# stores only: a web order fulfilled from a warehouse is no store visit #}
    select * from {{ ref('int_locations_mapped') }} where is_store
),

store_visits as (
    select 'square:orders:' || square_order_id as node_id, square_location_id as location_id, created_at as visited_at
    from {{ ref('stg_square__orders') }}
    union all
    select 'shopify:orders:' || orders.shopify_order_id, locations.location_id, orders.created_at
    from {{ ref('stg_shopify__orders') }} as orders
    inner join {{ ref('stg_shopify__fulfillments') }} as fulfillments using (shopify_order_id)
    inner join locations on fulfillments.shopify_location_id = locations.shopify_location_id
    union all
    select 'shopify:orders:' || orders.shopify_order_id, locations.location_id, orders.created_at
    from {{ ref('stg_shopify__orders') }} as orders
    inner join locations on orders.shopify_location_id = locations.shopify_location_id
),

{#- what each store visit bought, by SKU: a review that names a product the reviewer bought there -#}
visit_skus as (
    select 'square:orders:' || square_order_id as node_id, sku from {{ ref('stg_square__order_line_items') }}
    union all  {#- the lists below are distinct: no de-duplication of every line item here #}
    select 'shopify:orders:' || shopify_order_id, sku from {{ ref('stg_shopify__order_line_items') }}
),

person_visits as (
    select
        nodes.deterministic_cluster_id,
        list_sort(list(distinct store_visits.location_id))                               as visit_locations,
        list_sort(list(distinct store_visits.location_id || '|' || cast(cast(store_visits.visited_at as date) as string)))
                                                                              as visit_days,
        list_sort(list(distinct store_visits.location_id || '|' || cast(cast(store_visits.visited_at as date) as string)
                            || '|' || visit_skus.sku) filter (where visit_skus.sku is not null))
                                                                              as visit_day_skus
    from store_visits
    inner join nodes using (node_id)
    left join visit_skus using (node_id)
    where store_visits.location_id is not null
    group by all
),

person_purchases as (
    select nodes.deterministic_cluster_id, list_sort({{ list_agg("cast(cast(orders.created_at as date) as string)", distinct=true) }}) as purchase_days
    from (
        select 'shopify:orders:' || shopify_order_id as node_id, created_at from {{ ref('stg_shopify__orders') }}
        union all
        select 'square:orders:' || square_order_id, created_at from {{ ref('stg_square__orders') }}
    ) as orders
    inner join nodes using (node_id)
    group by all
),

persons as (
    select
        person_names.deterministic_cluster_id                                 as unique_id,
        'person'                                                              as record_kind,
        person_names.first_name_key,
        person_names.last_name_key,
        left(person_names.last_name_key, 1)                                   as last_initial,
        coalesce(person_email_keys.email_local_keys, {{ list_of([]) }})                      as email_local_keys,
        coalesce(person_email_keys.email_locals, {{ list_of([]) }})                          as email_locals,
        cast(null as string)                                                 as handle_key,
        cast(null as string)                                                 as handle_local,
        cast(null as string)                                                 as location_id,
        cast(null as timestamp)                                               as event_at,
        coalesce(person_visits.visit_locations, [])                           as visit_locations,
        coalesce(person_visits.visit_days, [])                                as visit_days,
        coalesce(person_visits.visit_day_skus, [])                            as visit_day_skus,
        coalesce(person_purchases.purchase_days, [])                          as purchase_days
    from person_names
    left join person_email_keys using (deterministic_cluster_id)
    left join person_visits using (deterministic_cluster_id)
    left join person_purchases using (deterministic_cluster_id)
    where person_names.first_name_key is not null
),

reviews as (
    select
        nodes.deterministic_cluster_id                                        as unique_id,
        'review'                                                              as record_kind,
        nodes.first_name_key,
        {# "Maria G." gives only an initial: no last name to compare, but the initial counts #}
        case when length(nodes.last_name_key) > 1 then nodes.last_name_key end as last_name_key,
        left(nodes.last_name_key, 1)                                          as last_initial,
        {{ list_of([]) }}                                                 as email_local_keys,
        {{ list_of([]) }}                                                 as email_locals,
        cast(null as string)                                                 as handle_key,
        cast(null as string)                                                 as handle_local,
        by_location.location_id                                               as location_id,
        reviews.created_at                                                    as event_at,
        reviews.review_id,
        reviews.comment
    from {{ ref('stg_google_reviews__reviews') }} as reviews
    inner join nodes on nodes.node_id = 'google_reviews:reviews:' || reviews.review_id
    left join locations as by_location on reviews.google_location_id = by_location.google_location_id
    where nodes.first_name_key is not null
),

authors as (
    select
        posts_nodes.deterministic_cluster_id                                  as unique_id,
        'author'                                                              as record_kind,
        min(posts_nodes.first_name_key)                                       as first_name_key,
        min(case when length(posts_nodes.last_name_key) > 1 then posts_nodes.last_name_key end) as last_name_key,
        min(left(posts_nodes.last_name_key, 1))                               as last_initial,
        {{ list_of([]) }}                                                 as email_local_keys,
        {{ list_of([]) }}                                                 as email_locals,
        min(posts.author_handle_key)                                          as handle_key,
        {# the handle's first label, letters and digits: "jane-doe88.bsky.social" -> "janedoe88" #}
        min(nullif(regexp_replace(lower(split_part(posts.author_handle, '.', 1)), '[^a-z0-9]', ''{{ all_matches() }}), ''))
                                                                              as handle_local,
        cast(null as string)                                                 as location_id,
        min(posts.created_at)                                                 as event_at,
        cast([] as varchar[])                                                 as visit_locations,
        cast([] as varchar[])                                                 as visit_days,
        cast([] as varchar[])                                                 as visit_day_skus,
        {# people post about a purchase within days: the days before each post #}
        list_sort({{ list_agg("cast(cast(posts.created_at as date) - cast(window_offset as integer) as string)", distinct=true) }})
                                                                              as purchase_days
    from {{ ref('stg_bluesky__posts') }} as posts
    {{ cross_join_unnest(integer_range(0, var('identity_post_window_days') + 1), 'offsets', 'window_offset') }}
    inner join nodes as posts_nodes on posts_nodes.node_id = 'bluesky:posts:' || posts.post_uri
    group by posts_nodes.deterministic_cluster_id
),

{#- the catalogue's product names (web titles and the names the tills print), words only: a review
    "names" a product when the name's words appear in its text in a row -#}
product_names as (
    select distinct sku, trim(regexp_replace(lower(product_title), '[^a-z0-9]+', ' ', 'g')) as product_name
    from {{ ref('stg_shopify__product_variants') }}
    where sku is not null and product_title is not null
    union
    select distinct sku, trim(regexp_replace(lower(item_name), '[^a-z0-9]+', ' ', 'g'))
    from {{ ref('stg_square__order_line_items') }}
    where sku is not null and item_name is not null
),

review_named_skus as (
    select reviews.unique_id, product_names.sku
    from reviews
    inner join product_names
        on strpos(' ' || regexp_replace(lower(reviews.comment), '[^a-z0-9]+', ' ', 'g') || ' ',
                  ' ' || product_names.product_name || ' ') > 0
    where length(product_names.product_name) >= 3
),

{#- a visit "shortly before" a review = the reviewed store on any of the window's days before it;
    with the SKUs the review names, what such a visit bought -#}
review_windows as (
    select
        reviews.unique_id,
        list_sort({{ list_agg("reviews.location_id || '|' || cast(cast(day as date) as string)") }})   as visit_days
    from reviews
    {{ cross_join_unnest(day_list("cast(reviews.event_at as date) - " ~ var('identity_visit_window_days'),
                                  'cast(reviews.event_at as date)'), 'window_days', 'day') }}
    where reviews.location_id is not null
    group by all
),

review_window_skus as (
    select
        unique_id,
        list_sort(list(window_days.visit_day || '|' || review_named_skus.sku)) as visit_day_skus
    from (select unique_id, unnest(visit_days) as visit_day from review_windows) as window_days
    inner join review_named_skus using (unique_id)
    group by all
)

select * from persons
{{ union_all_by_name() }}
select
    reviews.* exclude (review_id, comment),
    case when reviews.location_id is not null then [reviews.location_id] else cast([] as varchar[]) end
                                                                              as visit_locations,
    coalesce(review_windows.visit_days, cast([] as varchar[]))                as visit_days,
    coalesce(review_window_skus.visit_day_skus, cast([] as varchar[]))        as visit_day_skus,
    cast([] as varchar[])                                                     as purchase_days
from reviews
left join review_windows using (unique_id)
left join review_window_skus using (unique_id)
union all by name
select * from authors
