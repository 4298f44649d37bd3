{#- Every source record that says something about who a person is becomes a node of the identity
    graph. node_id = "<source>:<entity>:<record id>", the same key the ground truth uses, so a
    resolution can be scored record by record. Name keys are normalised and nickname-canonicalised
    here once, for both the deterministic guardrails and the probabilistic matcher. -#}

with shopify_customers as (
    select 'shopify' as source, 'customers' as entity, shopify_customer_id as record_id,
           first_name_normalised, last_name_normalised, postal_code, created_at as first_seen_at
    from {{ ref('stg_shopify__customers') }}
),

{#- A name the record only copies from its account (the nested customer) says who holds the account,
    not who bought: a family member may share it. A checkout's name is always its account's; an
    order's is the buyer's only when it ships somewhere (a pickup order has no shipping address).
    Such records are nameless here: the account is a node of its own and keeps its name. -#}
shopify_orders as (
    select 'shopify', 'orders', shopify_order_id,
           case when has_shipping_address or shopify_customer_id is null then first_name_normalised end,
           case when has_shipping_address or shopify_customer_id is null then last_name_normalised end,
           cast(null as string), created_at
    from {{ ref('stg_shopify__orders') }}
),

shopify_checkouts as (
    select 'shopify', 'checkouts', shopify_checkout_id,
           cast(null as string), cast(null as string), cast(null as string), created_at
    from {{ ref('stg_shopify__checkouts') }}
),

square_customers as (
    select 'square', 'customers', square_customer_id,
           first_name_normalised, last_name_normalised, postal_code, created_at
    from {{ ref('stg_square__customers') }}
),

{#- Square orders and loyalty accounts carry no name of their own: they borrow their customer's,
    so that the household guardrail can see who swiped a shared card or phone. -#}
square_orders as (
    select 'square', 'orders', orders.square_order_id,
           customers.first_name_normalised, customers.last_name_normalised, cast(null as string), orders.created_at
    from {{ ref('stg_square__orders') }} as orders
    left join {{ ref('stg_square__customers') }} as customers using (square_customer_id)
),

square_loyalty_accounts as (
    select 'square', 'loyalty_accounts', accounts.square_loyalty_account_id,
           customers.first_name_normalised, customers.last_name_normalised, cast(null as string), accounts.created_at
    from {{ ref('stg_square__loyalty_accounts') }} as accounts
    left join {{ ref('stg_square__customers') }} as customers using (square_customer_id)
),

web_anonymous_ids as (
    select 'web_events', 'anonymous_ids', anonymous_id,
           cast(null as string), cast(null as string), cast(null as string), min(occurred_at)
    from {{ ref('stg_web_events__events') }}
    where anonymous_id is not null
    group by anonymous_id
),

google_reviews as (
    select 'google_reviews', 'reviews', review_id,
           reviewer_first_name_normalised, reviewer_last_name_normalised, cast(null as string), created_at
    from {{ ref('stg_google_reviews__reviews') }}
    where not reviewer_is_anonymous
),

bluesky_posts as (
    select 'bluesky', 'posts', post_uri,
           author_first_name_normalised, author_last_name_normalised, cast(null as string), created_at
    from {{ ref('stg_bluesky__posts') }}
    where coalesce(feed, 'search') <> 'author'
        {#- a stranger using the brand's word in another sense is nobody's customer record #}
        and post_uri in (select post_uri from {{ ref('int_social_posts_classified') }} where about_brand)
),

all_nodes as (
    select * from shopify_customers
    union all select * from shopify_orders
    union all select * from shopify_checkouts
    union all select * from square_customers
    union all select * from square_orders
    union all select * from square_loyalty_accounts
    union all select * from web_anonymous_ids
    union all select * from google_reviews
    union all select * from bluesky_posts
),

nicknames as (
    select nickname, canonical_first_name from {{ ref('name_nicknames') }}
)

select
    all_nodes.source || ':' || all_nodes.entity || ':' || all_nodes.record_id  as node_id,
    all_nodes.source,
    all_nodes.entity,
    all_nodes.record_id,
    all_nodes.first_name_normalised,
    all_nodes.last_name_normalised,
    {# first token only: "mary ann" matches "mary"; a nickname maps to its formal name #}
    coalesce(nicknames.canonical_first_name, split_part(all_nodes.first_name_normalised, ' ', 1))
                                                                              as first_name_key,
    {# last token only ("de la cruz" -> "cruz" is too lossy, so keep the letters of the whole name) #}
    nullif(replace(all_nodes.last_name_normalised, ' ', ''), '')              as last_name_key,
    all_nodes.postal_code,
    all_nodes.first_seen_at
from all_nodes
left join nicknames on split_part(all_nodes.first_name_normalised, ' ', 1) = nicknames.nickname
where all_nodes.record_id is not null
