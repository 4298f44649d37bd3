{#- Incremental models pick up rows by the dlt load that wrote them, not by a business timestamp:
    a late web-event file or an order updated today carries an old occurred_at / created_at but a new
    load. "Unseen" means the load id is not among those already in the model (`seen_column`), so a
    load committed out of order (a pending dlt package retried later, with an older id) is still
    picked up, and a merge-loaded source (dlt replaces an updated record, giving it the new load id)
    re-delivers exactly the records that changed. -#}
{% macro unseen_loads(load_id_column, seen_column='dlt_load_id') -%}
    {{ load_id_column }} not in (
        select distinct {{ seen_column }} from {{ this }} where {{ seen_column }} is not null
    )
{%- endmacro %}
