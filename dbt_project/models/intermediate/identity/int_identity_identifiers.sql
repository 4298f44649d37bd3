{#- Shared-key evidence in long form: one row per node and identifier value (email, phone, payment
    card). Two nodes carrying the same value may be the same person; whether they are linked depends
    on the value's classification in int_identity_identifier_values. -#}

with emails_and_phones as (
    select 'shopify:customers:' || shopify_customer_id as node_id, email, phone from {{ ref('stg_shopify__customers') }}
    union all
    select 'shopify:orders:' || shopify_order_id, email, phone from {{ ref('stg_shopify__orders') }}
    union all
    select 'shopify:checkouts:' || shopify_checkout_id, email, phone from {{ ref('stg_shopify__checkouts') }}
    union all
    select 'square:customers:' || square_customer_id, email, phone from {{ ref('stg_square__customers') }}
    union all
    select 'square:loyalty_accounts:' || square_loyalty_account_id, null, phone
    from {{ ref('stg_square__loyalty_accounts') }}
    union all
    select distinct 'web_events:anonymous_ids:' || anonymous_id, email, phone
    from {{ ref('stg_web_events__events') }}
    where event_type = 'identify' and anonymous_id is not null
),

cards as (
    select distinct 'square:orders:' || square_order_id as node_id, card_fingerprint
    from {{ ref('stg_square__payments') }}
    where square_order_id is not null and card_fingerprint is not null
),

long as (
    select node_id, 'email' as identifier_type, email as identifier_value from emails_and_phones where email is not null
    union
    select node_id, 'phone', phone from emails_and_phones where phone is not null
    union
    select node_id, 'card', card_fingerprint from cards
)

select long.*
from long
inner join {{ ref('int_identity_nodes') }} as nodes using (node_id)
