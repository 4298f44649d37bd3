{#- PII leaves the restricted schema only hashed or masked. The salt comes from configuration
    (var pii_salt <- env SEAMLINE_PII_SALT) so hashes cannot be reversed by a dictionary of emails. -#}

{#- The one hash formula: the marts call it with the configured salt, the dashboard (dashboards/pii.py)
    renders it with `salt_sql` = its bound salt parameter to hash a searched email the same way. -#}
{% macro hash_pii(column, salt_sql=none) -%}
    case when {{ column }} is not null
        then sha256({{ salt_sql if salt_sql else "'" ~ var("pii_salt") ~ "'" }} || cast({{ column }} as string)) end
{%- endmacro %}

{#- "+1*******4567": country code and the last four digits, enough to recognise a number on a call. -#}
{% macro mask_phone(column) -%}
    case when {{ column }} is not null
        then left({{ column }}, 2) || repeat('*', greatest(length({{ column }}) - 6, 0)) || right({{ column }}, 4) end
{%- endmacro %}

{#- "J*** D." : first initial and last initial only. -#}
{% macro mask_name(first_name, last_name) -%}
    nullif(concat_ws(' ',
        case when {{ first_name }} is not null then upper(left({{ first_name }}, 1)) || '***' end,
        case when {{ last_name }} is not null then upper(left({{ last_name }}, 1)) || '.' end), '')
{%- endmacro %}
