{#- Non-null values of `column_name` lie in [min_value, max_value] (either bound optional; dbt_utils is not
    installable here). Nulls pass: pair it with not_null where a value is required. -#}
{% test in_range(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }} as out_of_range_value
from {{ model }}
where {{ column_name }} is not null
  and (false
       {%- if min_value is not none %} or {{ column_name }} < {{ min_value }}{% endif %}
       {%- if max_value is not none %} or {{ column_name }} > {{ max_value }}{% endif %})
{% endtest %}
