{%- set src = source('square', 'customers') -%}
{%- set cols = source_columns('square', 'customers') -%}

select
    cast(id as string)                                                       as square_customer_id,
    {{ col_or_null(cols, 'email_address', 'varchar') }}                       as email_raw,
    {{ normalise_email(col_or_null(cols, 'email_address', 'varchar')) }}      as email,
    {{ col_or_null(cols, 'phone_number', 'varchar') }}                        as phone_raw,
    {{ normalise_phone(col_or_null(cols, 'phone_number', 'varchar')) }}       as phone,
    {{ col_or_null(cols, 'given_name', 'varchar') }}                          as first_name,
    {{ col_or_null(cols, 'family_name', 'varchar') }}                         as last_name,
    {{ normalise_name(col_or_null(cols, 'given_name', 'varchar')) }}          as first_name_normalised,
    {{ normalise_name(col_or_null(cols, 'family_name', 'varchar')) }}         as last_name_normalised,
    {# Customer.address (Square's Address object); dlt flattens it to address__* #}
    {{ normalise_postcode(col_or_null(cols, 'address__postal_code', 'varchar')) }} as postal_code,
    {{ col_or_null(cols, 'reference_id', 'varchar') }}                        as reference_id,
    {{ to_utc(col_or_null(cols, 'created_at', 'timestamptz')) }}              as created_at,
    {{ to_utc(col_or_null(cols, 'updated_at', 'timestamptz')) }}              as updated_at
from {{ src }}
