{#- Shopify and Google locations that look like stores but match no Square location: a Shopify
    location with POS sales or pickups (a store) that only Shopify knows, while the merchant runs
    its stores on Square; a Google listing (always a storefront) that matches no place. A Shopify
    location without either (a fulfilment centre, a warehouse) is not a store and is not reported. -#}
{% test unmapped_store_locations(model) %}
select system, system_location_id, location_name, street_key, postal_code, rule, pos_orders, pickup_orders
from {{ model }}
where (system = 'shopify' and rule = 'unmatched' and pos_orders + pickup_orders > 0
       and exists (select 1 from {{ model }} where system = 'square'))
   or (system = 'google' and (rule = 'unmatched' or location_id like 'shopify:%'
       and exists (select 1 from {{ model }} where system = 'square')))
{% endtest %}
