{#- The identity rules' version as one SQL string literal: `v<identity_rules_version>` plus a short
    fingerprint of the knobs, so a knob changed without a version bump still shows as a new rule set
    in int_customer_id_assignments and customer_id_history. Add a knob here when you add one to
    dbt_project.yml. -#}
{% macro identity_rules_version() -%}
    {%- set knobs = {
        'max_names_per_shared_value': var('identity_max_names_per_shared_value'),
        'max_cluster_identifiers': var('identity_max_cluster_identifiers'),
        'max_household_clusters': var('identity_max_household_clusters'),
        'min_link_probability': var('identity_min_link_probability'),
        'min_link_margin': var('identity_min_link_margin'),
        'visit_window_days': var('identity_visit_window_days'),
        'post_window_days': var('identity_post_window_days'),
    } -%}
    {%- set fingerprint = local_md5(tojson(knobs, sort_keys=true))[:8] -%}
    'v{{ var("identity_rules_version") }}+{{ fingerprint }}'
{%- endmacro %}
