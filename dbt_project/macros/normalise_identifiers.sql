{#- Identifier normalisation shared by every staging model, so that the same person's email, phone,
    name or postcode compares equal whichever channel it came from. Each macro is one SQL expression;
    the rules are unit-tested in models/staging/_staging__unit_tests.yml. -#}

{#- Email: trim + lower; drop "+tags"; drop dots in gmail local parts; repair the domain typos common
    in hand-typed POS data. Null when the value is not an address at all. -#}
{% macro normalise_email(column) -%}
    {%- set cleaned = "lower(trim(cast(" ~ column ~ " as string)))" -%}
    {%- set local_part = "regexp_replace(split_part(" ~ cleaned ~ ", '@', 1), '\\+.*$', '')" -%}
    {%- set domain -%}
        case split_part({{ cleaned }}, '@', 2)
            when 'gmial.com' then 'gmail.com' when 'gmal.com' then 'gmail.com'
            when 'gmai.com' then 'gmail.com' when 'gnail.com' then 'gmail.com'
            when 'gmail.co' then 'gmail.com' when 'gmail.con' then 'gmail.com'
            when 'googlemail.com' then 'gmail.com'
            when 'yaho.com' then 'yahoo.com' when 'yahooo.com' then 'yahoo.com' when 'yahoo.co' then 'yahoo.com'
            when 'hotmial.com' then 'hotmail.com' when 'hotmal.com' then 'hotmail.com'
            when 'hotmail.co' then 'hotmail.com'
            when 'outlok.com' then 'outlook.com' when 'outllok.com' then 'outlook.com'
            when 'iclod.com' then 'icloud.com' when 'aol.co' then 'aol.com'
            when 'comcast.com' then 'comcast.net' when 'protonme.com' then 'proton.me'
            else split_part({{ cleaned }}, '@', 2)
        end
    {%- endset -%}
    case when regexp_full_match({{ cleaned }}, '[^@\s]+@[^@\s]+\.[^@\s]+') then
        case when ({{ domain }}) = 'gmail.com' then replace({{ local_part }}, '.', '') else {{ local_part }} end
        || '@' || ({{ domain }})
    end
{%- endmacro %}

{#- Phone to E.164. North American numbers are the default when no country code is given (the
    retailer's stores are in the US); "+" or "00" prefixes keep their own country code; extensions
    are dropped. Null when fewer than 8 or more than 15 digits remain. -#}
{% macro normalise_phone(column) -%}
    {%- set without_extension = "regexp_replace(trim(cast(" ~ column ~ " as string)), '(?i)\\s*(ext\\.?|x|#)\\s*[0-9]+$', '')" -%}
    {%- set digits = "regexp_replace(" ~ without_extension ~ ", '[^0-9]', ''" ~ all_matches() ~ ")" -%}
    case
        when starts_with({{ without_extension }}, '+') and length({{ digits }}) between 8 and 15 then '+' || {{ digits }}
        when starts_with({{ digits }}, '00') and length({{ digits }}) between 12 and 17 then '+' || substr({{ digits }}, 3)
        when length({{ digits }}) = 10 then '+1' || {{ digits }}
        when length({{ digits }}) = 11 and starts_with({{ digits }}, '1') then '+' || {{ digits }}
    end
{%- endmacro %}

{#- Name for matching: accents stripped, lower case, anything but letters becomes one space. -#}
{% macro normalise_name(column) -%}
    nullif(trim(regexp_replace(lower(strip_accents(trim(cast({{ column }} as string)))), '[^a-z]+', ' '{{ all_matches() }})), '')
{%- endmacro %}

{#- Postcode: upper case without spaces or dashes; US ZIP+4 is cut to the 5-digit ZIP. -#}
{% macro normalise_postcode(column) -%}
    {%- set compact = "upper(regexp_replace(trim(cast(" ~ column ~ " as string)), '[^0-9A-Za-z]', ''" ~ all_matches() ~ "))" -%}
    nullif(case when regexp_full_match({{ compact }}, '[0-9]{9}') then left({{ compact }}, 5) else {{ compact }} end, '')
{%- endmacro %}
