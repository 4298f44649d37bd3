{#- Which place each Shopify and Google location is, with the evidence. Square is the store system
    of record: every Shopify and Google location is matched to a Square location by its address;
    a Shopify location that matches none is its own place (a store only Shopify knows: a Shopify
    POS merchant; or a warehouse), and Google locations may match those too.

    Rules, strongest first (score):
    - crosswalk (1.0): seeds/location_crosswalk.csv says so; it overrides everything.
    - address (1.0): same postcode key and same normalised street line (house number + street).
    - street_city (0.8): same street line in the same city, postcode missing or typed differently.
    - house_number_postcode (0.7): same postcode and house number, street spelled differently.
    - store_code (0.6, Google): storeCode equals the Square location id (a merchant code is
      free text, so only evidence when nothing in the address agrees).
    - name (0.3): every token of the shorter name is in the longer one and no other place qualifies
      as well; names are merchant free text and differ between systems, so this is a fallback.
    Ties are broken by name overlap, then the candidate's id. One row per (system,
    system_location_id); Square locations match themselves (rule self); a Shopify location that
    matches no Square location is its own place `shopify:<id>` (rule unmatched), an unmatched
    Google location belongs to no place (location_id null). -#}

with places as (
    select * from {{ ref('int_location_places') }}
),

crosswalk as (
    select cast(system as string) as system, cast(system_location_id as string) as system_location_id,
           cast(location_id as string) as location_id
    from {{ ref('location_crosswalk') }}
),

{#- name_overlap: shared name tokens / tokens of the shorter name ("Pearl District" is all in
    "Larkspur Pearl District"; "Larkspur Hawthorne" only half) -#}
scored as (
    select
        place.system,
        place.system_location_id,
        anchor.system_location_id                                             as anchor_id,
        anchor.system                                                         as anchor_system,
        case
            when place.postal_code = anchor.postal_code and place.street_key = anchor.street_key
                then 'address'
            when place.street_key = anchor.street_key and place.city_key = anchor.city_key then 'street_city'
            when place.postal_code = anchor.postal_code and place.house_number = anchor.house_number
                then 'house_number_postcode'
            when place.store_code = anchor.system_location_id and anchor.system = 'square' then 'store_code'
            when {{ list_length('place.name_tokens') }} > 0 and {{ list_length('anchor.name_tokens') }} > 0
                and {{ list_length(list_common("place.name_tokens", "anchor.name_tokens")) }}
                    = least({{ list_length('place.name_tokens') }}, {{ list_length('anchor.name_tokens') }}) then 'name'
        end                                                                   as rule,
        {{ list_length(list_common("place.name_tokens", "anchor.name_tokens")) }}
            / greatest(least({{ list_length('place.name_tokens') }}, {{ list_length('anchor.name_tokens') }}), 1) as name_overlap
    from places as place
    cross join (select * from places where system in ('square', 'shopify')) as anchor
    where place.system in ('shopify', 'google')
        and anchor.system <> place.system
),

rules as (
    select * from (values
        ('address', 'postal_code,street', 1.0),
        ('street_city', 'street,city', 0.8),
        ('house_number_postcode', 'postal_code,house_number', 0.7),
        ('store_code', 'store_code', 0.6),
        ('name', 'name', 0.3)
    ) as t(rule, fields, score)
),

candidates as (
    select scored.*, rules.fields, rules.score
    from scored
    inner join rules using (rule)
),

shopify_best as (
    select *
    from candidates
    where system = 'shopify' and anchor_system = 'square'
    qualify row_number() over (
        partition by system_location_id order by score desc, name_overlap desc, anchor_id) = 1
        {# a name-only match must be the only one as good #}
        and (rule <> 'name' or count(*) over (partition by system_location_id, score, name_overlap) = 1)
),

{#- Google: against Square locations, and against Shopify locations that matched no Square one -#}
google_best as (
    select candidates.*,
           case when candidates.anchor_system = 'square' then candidates.anchor_id
                else 'shopify:' || candidates.anchor_id end                   as anchor_location_id
    from candidates
    left join shopify_best
        on candidates.anchor_system = 'shopify' and shopify_best.system_location_id = candidates.anchor_id
    where candidates.system = 'google'
        {# Shopify places that matched a Square location are that location already #}
        and (candidates.anchor_system = 'square' or shopify_best.system_location_id is null)
    qualify row_number() over (
        partition by candidates.system_location_id
        order by candidates.score desc, candidates.anchor_system desc, candidates.name_overlap desc, candidates.anchor_id) = 1
        and (candidates.rule <> 'name'
             or count(*) over (partition by candidates.system_location_id, candidates.score, candidates.name_overlap) = 1)
),

{#- the automatic verdict for every location, before the crosswalk: Square locations are
    themselves; a Shopify location without a Square match is its own place -#}
automatic as (
    select places.system, places.system_location_id,
        case places.system
            when 'square' then places.system_location_id
            when 'shopify' then coalesce(best.anchor_id, 'shopify:' || places.system_location_id)
            else best.anchor_location_id
        end                                                                   as location_id,
        case when places.system = 'square' then 'self' else coalesce(best.rule, 'unmatched') end as rule,
        best.fields,
        case when places.system = 'square' then 1.0 else coalesce(best.score, 0) end as score
    from places
    left join (
        select system, system_location_id, anchor_id, anchor_id as anchor_location_id, rule, fields, score
        from shopify_best
        union all
        select system, system_location_id, anchor_id, anchor_location_id, rule, fields, score
        from google_best
    ) as best using (system, system_location_id)
),

matches as (
    select
        automatic.system,
        automatic.system_location_id,
        coalesce(crosswalk.location_id, automatic.location_id)                as location_id,
        case when crosswalk.location_id is not null then 'crosswalk' else automatic.rule end as rule,
        case when crosswalk.location_id is not null then 'location_crosswalk.csv' else automatic.fields end as fields,
        case when crosswalk.location_id is not null then 1.0 else automatic.score end as score
    from automatic
    left join crosswalk using (system, system_location_id)
)

select
    matches.system,
    matches.system_location_id,
    matches.location_id,
    matches.rule,
    matches.fields,
    cast(matches.score as decimal(3, 2))                                      as score,
    places.location_name,
    places.street_key,
    places.postal_code,
    places.pos_orders,
    places.pickup_orders
from matches
inner join places using (system, system_location_id)
