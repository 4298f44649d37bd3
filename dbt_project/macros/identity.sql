{#- Values that many unrelated people type when they do not want to give theirs. They never link
    records. Frequency-based junk detection (int_identity_identifier_values) catches the rest. -#}
{% macro is_placeholder_identifier(identifier_type, identifier_value) -%}
    case {{ identifier_type }}
        when 'email' then
            split_part({{ identifier_value }}, '@', 1) in (
                'test', 'testing', 'none', 'noemail', 'no-email', 'noreply', 'no-reply', 'na', 'null', 'unknown',
                'asdf', 'customer', 'guest', 'email', 'fake', 'sample', 'nobody', 'noone', 'xxx', 'abc')
            or split_part({{ identifier_value }}, '@', 2) in (
                'example.com', 'example.org', 'example.net', 'test.com', 'none.com', 'noemail.com', 'email.com',
                'fake.com', 'invalid', 'localhost')
        when 'phone' then
            /* all one digit (0000000000), counting sequences, or 555 fiction numbers */
            length(replace(substr({{ identifier_value }}, 3), substr({{ identifier_value }}, 3, 1), '')) = 0
            or substr({{ identifier_value }}, 3) in ('1234567890', '0123456789', '9876543210')
            or regexp_full_match({{ identifier_value }}, '\+1[0-9]{3}55501[0-9]{2}')
            or regexp_full_match({{ identifier_value }}, '\+1555[0-9]{7}')
        else false
    end
{%- endmacro %}

{#- Two first-name keys (nickname-canonicalised) can belong to one person: equal, a typo apart, or an
    initial (an email's "jsmith") and a name starting with it. -#}
{% macro first_names_compatible(left_key, right_key) -%}
    ({{ left_key }} = {{ right_key }} or jaro_winkler_similarity({{ left_key }}, {{ right_key }}) >= 0.88
     or ((length({{ left_key }}) = 1 or length({{ right_key }}) = 1) and left({{ left_key }}, 1) = left({{ right_key }}, 1)))
{%- endmacro %}

{#- Two records' names can belong to one person: first names compatible, and last names too when both
    records have one (households share a surname, so a different surname means a different person). -#}
{% macro names_compatible(left, right) -%}
    ({{ first_names_compatible(left ~ '.first_name_key', right ~ '.first_name_key') }}
     and ({{ left }}.last_name_key is null or {{ right }}.last_name_key is null
          or {{ left }}.last_name_key = {{ right }}.last_name_key
          or jaro_winkler_similarity({{ left }}.last_name_key, {{ right }}.last_name_key) >= 0.88))
{%- endmacro %}
