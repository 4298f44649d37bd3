{#- Deterministic edges of the identity graph, each with the rule that made it:
    - reference edges: one system record points at another (order -> its customer, loyalty account
      -> its customer, web session -> the order it completed or the checkout it started, posts ->
      their author);
    - value edges: records sharing a personal email/phone/card (a star to the value's smallest node,
      which is enough for connected components), and records sharing a household value whose first
      names agree. Placeholder and junk values make no edges. -#}

with nodes as (
    select node_id, first_name_key, last_name_key from {{ ref('int_identity_nodes') }}
),

{#- a value a household shares: records reached through it (a shared account) may be another member -#}
shared_values as (
    select identifiers.node_id
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_identifier_values') }} as value_classes using (identifier_type, identifier_value)
    where value_classes.value_class in ('shared', 'ambiguous', 'junk')
),

web_events as (
    select * from {{ ref('stg_web_events__events') }} where anonymous_id is not null
),

{#- the storefront session that started a checkout: Segment's Checkout Started carries no checkout
    token, but its revenue equals the checkout's merchandise total and the checkout is created within
    minutes after it. Only a checkout with exactly one such session links (a guest checkout on a
    household email then joins the member whose device it was). Joined on the amount, never all pairs. -#}
checkout_totals as (
    select checkouts.shopify_checkout_id, checkouts.created_at, sum(lines.unit_price * lines.quantity) as merchandise
    from {{ ref('stg_shopify__checkouts') }} as checkouts
    inner join {{ ref('stg_shopify__checkout_line_items') }} as lines using (shopify_checkout_id)
    group by all
),

checkout_sessions as (
    select checkout_totals.shopify_checkout_id, started.anonymous_id
    from checkout_totals
    inner join web_events as started
        on started.event_name = 'Checkout Started'
        and started.revenue = checkout_totals.merchandise
        and started.occurred_at between checkout_totals.created_at - interval 30 minute and checkout_totals.created_at
    {# one distinct session (min = max: Spark has no distinct window count) #}
    qualify min(started.anonymous_id) over (partition by checkout_totals.shopify_checkout_id)
        = max(started.anonymous_id) over (partition by checkout_totals.shopify_checkout_id)
),

identifiers as (
    select identifiers.*, value_classes.value_class, nodes.first_name_key, nodes.last_name_key
    from {{ ref('int_identity_identifiers') }} as identifiers
    inner join {{ ref('int_identity_identifier_values') }} as value_classes using (identifier_type, identifier_value)
    inner join nodes using (node_id)
),

{#- An order or checkout on a Shopify account, and whether the record names its buyer (an order that
    ships somewhere; a checkout and a pickup order only copy the account's name) -#}
account_records as (
    select 'shopify:orders:' || shopify_order_id as node_id, 'shopify:customers:' || shopify_customer_id as account_id
    from {{ ref('stg_shopify__orders') }} where shopify_customer_id is not null
    union all
    select 'shopify:checkouts:' || shopify_checkout_id, 'shopify:customers:' || shopify_customer_id
    from {{ ref('stg_shopify__checkouts') }} where shopify_customer_id is not null
),

{#- who else a record's evidence names: buyers of orders completed in its storefront session, named
    records sharing a personal email or phone with it or with its session, and the person its email's
    local part spells (an account on "emma_s@" that Jacob opened is Emma's mailbox too) -#}
record_sessions as (
    select 'shopify:checkouts:' || shopify_checkout_id as node_id, 'web_events:anonymous_ids:' || anonymous_id as session_id
    from checkout_sessions
    union
    select 'shopify:orders:' || order_id, 'web_events:anonymous_ids:' || anonymous_id
    from web_events where order_id is not null and event_name = 'Order Completed'
),

named_by_personal_values as (
    select unnamed.node_id, named.first_name_key, named.last_name_key
    from identifiers as unnamed
    inner join identifiers as named
        on unnamed.identifier_type = named.identifier_type and unnamed.identifier_value = named.identifier_value
    where unnamed.value_class = 'personal' and named.first_name_key is not null
        and (unnamed.node_id in (select node_id from account_records)
             or unnamed.node_id in (select session_id from record_sessions))
),

session_names as (
    select record_sessions.session_id, buyer.first_name_key, buyer.last_name_key
    from record_sessions
    inner join nodes as buyer on record_sessions.node_id = buyer.node_id
    where buyer.first_name_key is not null
    union
    select node_id, first_name_key, last_name_key from named_by_personal_values
    where node_id like 'web\_events:%' escape '\'
),

evidence_names as (
    select node_id, first_name_key, last_name_key from named_by_personal_values
    union
    select identifiers.node_id, local_names.first_name_key, local_names.last_name_key
    from identifiers
    inner join {{ ref('int_identity_email_local_names') }} as local_names
        on identifiers.identifier_type = 'email' and identifiers.identifier_value = local_names.email
    union
    select record_sessions.node_id, session_names.first_name_key, session_names.last_name_key
    from record_sessions
    inner join session_names using (session_id)
),

{#- a nameless record on a household account (its email or phone typed by several people) is the
    account holder's unless its evidence names someone else: then it may be another member's -#}
another_members_records as (
    select distinct account_records.node_id
    from account_records
    inner join nodes as account on account_records.account_id = account.node_id
    inner join evidence_names on account_records.node_id = evidence_names.node_id
    where account.first_name_key is not null and not {{ names_compatible('evidence_names', 'account') }}
),

reference_edges as (
    {# an order or checkout belongs to its account unless the buyer's name says it is another household
       member, or, nameless on a household account, its evidence names another member #}
    select
        account_records.node_id                                               as node_a,
        account_records.account_id                                            as node_b,
        case when account_records.node_id like 'shopify:orders:%' then 'shopify_order_customer'
             else 'shopify_checkout_customer' end                              as rule
    from account_records
    inner join nodes as buyer on account_records.node_id = buyer.node_id
    inner join nodes as account on account_records.account_id = account.node_id
    where (buyer.first_name_key is not null
           and (account.first_name_key is null or {{ names_compatible('buyer', 'account') }}))
        or (buyer.first_name_key is null
            and (account_records.account_id not in (select node_id from shared_values)
                 or account_records.node_id not in (select node_id from another_members_records)))
    union all
    select 'shopify:checkouts:' || checkouts.shopify_checkout_id, 'shopify:orders:' || orders.shopify_order_id,
           'shopify_checkout_completed_as_order'
    from {{ ref('stg_shopify__checkouts') }} as checkouts
    inner join {{ ref('stg_shopify__orders') }} as orders on checkouts.checkout_token = orders.checkout_token
    union all
    select 'square:orders:' || square_order_id, 'square:customers:' || square_customer_id, 'square_order_customer'
    from {{ ref('stg_square__orders') }} where square_customer_id is not null
    union all
    select 'square:orders:' || return_order_id, 'square:orders:' || source_order_id, 'square_return_of_sale'
    from {{ ref('stg_square__order_returns') }} where source_order_id is not null
    union all
    select 'square:loyalty_accounts:' || square_loyalty_account_id, 'square:customers:' || square_customer_id,
           'square_loyalty_customer'
    from {{ ref('stg_square__loyalty_accounts') }} where square_customer_id is not null
    union all
    select 'shopify:checkouts:' || shopify_checkout_id, 'web_events:anonymous_ids:' || anonymous_id, 'web_checkout_started'
    from checkout_sessions
    union all
    select distinct 'web_events:anonymous_ids:' || anonymous_id, 'shopify:orders:' || order_id, 'web_order_completed'
    from web_events where order_id is not null and event_name = 'Order Completed'
    union all
    {# a login to an account on a household email may be any member: no edge then #}
    select distinct 'web_events:anonymous_ids:' || anonymous_id, 'shopify:customers:' || user_id, 'web_user_id'
    from web_events
    where user_id is not null and 'shopify:customers:' || user_id not in (select node_id from shared_values)
    union all
    select 'bluesky:posts:' || post_uri,
           'bluesky:posts:' || min(post_uri) over (partition by author_did), 'bluesky_same_author'
    from {{ ref('stg_bluesky__posts') }}
    where author_did is not null and coalesce(feed, 'search') <> 'author'
        and 'bluesky:posts:' || post_uri in (select node_id from nodes)  {#- posts about the brand only #}
),

personal_value_edges as (
    select
        node_id as node_a,
        min(node_id) over (partition by identifier_type, identifier_value) as node_b,
        'same_' || identifier_type as rule
    from identifiers
    where value_class = 'personal'
),

shared_value_edges as (
    select left_node.node_id as node_a, right_node.node_id as node_b, 'same_' || left_node.identifier_type || '_and_first_name' as rule
    from identifiers as left_node
    inner join identifiers as right_node
        on left_node.identifier_type = right_node.identifier_type
        and left_node.identifier_value = right_node.identifier_value
        and left_node.node_id < right_node.node_id
        and {{ names_compatible('left_node', 'right_node') }}
    where left_node.value_class = 'shared'
),

{#- name plus postcode: customer profiles (a Shopify customer's default address, a Square customer's
    address) with the same full name in the same postcode are one person when nothing says they are
    two: together they carry at most one email and one phone that still link (placeholders and junk
    say nothing). Two namesakes in one postcode each bring their own email or phone and stay apart. -#}
name_postcode_profiles as (
    select node_id, first_name_key, last_name_key, postal_code
    from {{ ref('int_identity_nodes') }}
    where entity = 'customers' and postal_code is not null and first_name_key is not null
        and length(last_name_key) > 1
),

name_postcode_keys as (
    select profiles.first_name_key, profiles.last_name_key, profiles.postal_code
    from name_postcode_profiles as profiles
    left join identifiers
        on profiles.node_id = identifiers.node_id and identifiers.value_class not in ('placeholder', 'junk')
    group by all
    having count(distinct profiles.node_id) >= 2
        and count(distinct case when identifiers.identifier_type = 'email' then identifiers.identifier_value end) <= 1
        and count(distinct case when identifiers.identifier_type = 'phone' then identifiers.identifier_value end) <= 1
),

name_postcode_edges as (
    select
        profiles.node_id                                                      as node_a,
        min(profiles.node_id) over (partition by profiles.first_name_key, profiles.last_name_key, profiles.postal_code)
                                                                              as node_b,
        'same_name_and_postcode'                                              as rule
    from name_postcode_profiles as profiles
    inner join name_postcode_keys using (first_name_key, last_name_key, postal_code)
),

all_edges as (
    select * from reference_edges
    union all select * from personal_value_edges
    union all select * from shared_value_edges
    union all select * from name_postcode_edges
)

{#- only edges between known nodes (an order may point at a customer not yet loaded), no self-loops -#}
select distinct
    least(all_edges.node_a, all_edges.node_b)                                 as node_a,
    greatest(all_edges.node_a, all_edges.node_b)                              as node_b,
    all_edges.rule
from all_edges
inner join nodes as a on all_edges.node_a = a.node_id
inner join nodes as b on all_edges.node_b = b.node_id
where all_edges.node_a <> all_edges.node_b
