{#- Which store each Google Business Profile location is, when the locations list (storeCode) is not
    loaded: reviewers whose name ("Maria G.") matches exactly one customer vote with that customer's
    store visits; a Google location and a store pair up when each is the other's top vote. Used by
    int_locations_mapped only where no storeCode mapping exists. -#}

with nodes as (
    select nodes.*, clusters.deterministic_cluster_id
    from {{ ref('int_identity_nodes') }} as nodes
    inner join {{ ref('int_identity_clusters_deterministic') }} as clusters using (node_id)
),

reviewers as (
    select reviews.review_id, reviews.google_location_name, nodes.first_name_key, left(nodes.last_name_key, 1) as last_initial
    from {{ ref('stg_google_reviews__reviews') }} as reviews
    inner join nodes on nodes.node_id = 'google_reviews:reviews:' || reviews.review_id
    where nodes.first_name_key is not null and nodes.last_name_key is not null
),

persons as (
    select deterministic_cluster_id, mode() within group (order by first_name_key) as first_name_key,
        mode() within group (order by left(last_name_key, 1)) as last_initial
    from nodes
    where source in ('shopify', 'square') and first_name_key is not null
    group by all
),

unique_name_matches as (
    select reviewers.review_id, reviewers.google_location_name, persons.deterministic_cluster_id
    from reviewers
    inner join persons using (first_name_key, last_initial)
    qualify count(*) over (partition by reviewers.review_id) = 1
),

store_visits as (
    select nodes.deterministic_cluster_id, orders.square_location_id
    from {{ ref('stg_square__orders') }} as orders
    inner join nodes on nodes.node_id = 'square:orders:' || orders.square_order_id
    where orders.square_location_id is not null
),

votes as (
    select unique_name_matches.google_location_name, store_visits.square_location_id, count(*) as votes
    from unique_name_matches
    inner join store_visits using (deterministic_cluster_id)
    group by all
)

select google_location_name, square_location_id, votes
from votes
qualify row_number() over (partition by google_location_name order by votes desc, square_location_id) = 1
    and row_number() over (partition by square_location_id order by votes desc, google_location_name) = 1
