{{ config(materialized='incremental', full_refresh=false) }}

{#- When the identity rules changed: one row per run that built with a rule set (macro
    identity_rules_version: the version var plus a fingerprint of the knobs) other than the last
    one logged. Kept through --full-refresh like the id map, so int_customer_id_assignments can tell
    a run that replayed new rules over all history from an ordinary one. -#}

{%- set rules_version = identity_rules_version() %}

with logged as (
    {% if is_incremental() %}
    select max_by(rules_version, started_at) as rules_version from {{ this }}
    {% else %}
    select cast(null as varchar) as rules_version
    {% endif %}
)

select
    {{ rules_version }}                                                       as rules_version,
    logged.rules_version                                                      as previous_rules_version,
    {{ to_utc("'" ~ run_started_at ~ "'") }}                                  as started_at,
    '{{ invocation_id }}'                                                     as invocation_id
from logged
where logged.rules_version is distinct from {{ rules_version }}
