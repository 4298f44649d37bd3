{#- The name an email address spells, read from its local part: "kevin.mensah", "mensah.kevin12",
    "kevin_m", "kmensah84", "kevinmensah" all name Kevin Mensah (the last two only as an initial or by
    splitting the letters). A name part counts only when the data knows it: a first name typed on at
    least two records (nickname-canonicalised, "bob" -> robert) and a last name likewise, so "info",
    "sales" or "goldenbear" name nobody. A local part that reads as two different people is left
    unread. One row per email that names someone; linear in the emails (each local part is split at
    most at each of its letters, then equi-joined to the known names). -#}

with emails as (
    select distinct identifier_value as email,
        {# digits dropped: "kmensah84" -> "kmensah"; separators kept to tell the name parts apart #}
        {{ list_where("string_split_regex(regexp_replace(split_part(identifier_value, '@', 1), '[^a-z._+-]', ''"
                      ~ all_matches() ~ "), '[._+-]')", 'part', "part <> ''") }}      as parts
    from {{ ref('int_identity_identifiers') }}
    where identifier_type = 'email'
        and not {{ is_placeholder_identifier("'email'", 'identifier_value') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

known_first_names as (
    select split_part(first_name_normalised, ' ', 1) as spelling, any_value(first_name_key) as first_name_key
    from nodes
    where length(split_part(first_name_normalised, ' ', 1)) >= 2
    group by all
    having count(*) >= 2
),

known_last_names as (
    select last_name_key
    from nodes
    where length(last_name_key) >= 3
    group by all
    having count(*) >= 2
),

{#- every way to read the local part as (first, last): two parts in either order, or one run of
    letters split at any position, first-last or last-first -#}
readings as (
    select email, {{ list_at('parts', 1) }} as first_part, {{ list_at('parts', 2) }} as last_part from emails where {{ list_length('parts') }} = 2
    union all
    select email, {{ list_at('parts', 2) }}, {{ list_at('parts', 1) }} from emails where {{ list_length('parts') }} = 2
    union all
    select email, left({{ list_at('parts', 1) }}, cut), substr({{ list_at('parts', 1) }}, cut + 1)
    from emails {{ cross_join_unnest(integer_range(1, 'length(' ~ list_at('parts', 1) ~ ')'), 'cuts', 'cut') }}
    where {{ list_length('parts') }} = 1
    union all
    select email, substr({{ list_at('parts', 1) }}, length({{ list_at('parts', 1) }}) - cut + 1), left({{ list_at('parts', 1) }}, length({{ list_at('parts', 1) }}) - cut)
    from emails {{ cross_join_unnest(integer_range(1, 'length(' ~ list_at('parts', 1) ~ ')'), 'cuts', 'cut') }}
    where {{ list_length('parts') }} = 1
),

{#- a full first name with a full last name or its initial, or an initial with a full last name -#}
valid_readings as (
    select
        readings.email,
        coalesce(known_first_names.first_name_key, readings.first_part)      as first_name_key,
        known_last_names.last_name_key,
        (known_first_names.first_name_key is not null)::int + (known_last_names.last_name_key is not null)::int
                                                                              as strength
    from readings
    left join known_first_names on readings.first_part = known_first_names.spelling
    left join known_last_names on readings.last_part = known_last_names.last_name_key
    where (known_first_names.first_name_key is not null
           and (known_last_names.last_name_key is not null or length(readings.last_part) = 1))
        or (length(readings.first_part) = 1 and known_last_names.last_name_key is not null)
),

best_readings as (
    select * from valid_readings
    qualify strength = max(strength) over (partition by email)
)

select
    email,
    any_value(first_name_key)                                                 as first_name_key,
    any_value(last_name_key)                                                  as last_name_key
from best_readings
group by email
having count(distinct first_name_key || '|' || coalesce(last_name_key, '')) = 1
