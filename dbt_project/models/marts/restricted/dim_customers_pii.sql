{#- The golden record with raw PII, for the service role only (never published to the dashboard's
    viewer role). email_hash joins it to marts.dim_customers for those allowed to see both. -#}
select
    customer_id,
    email,
    phone,
    first_name,
    last_name,
    postal_code,
    {{ hash_pii('email') }}                                                   as email_hash
from {{ ref('int_customer_golden_records') }}
