{#- Address keys that compare equal whichever system typed the address (Shopify, Square, Google each
    format it their own way: "1220 NW Couch St" vs "1220 Northwest Couch Street.", ZIP vs ZIP+4).
    Each macro is one SQL expression. -#}

{#- A street line as comparable tokens: accents, case and punctuation dropped ("N.W." -> "nw"),
    every word in its USPS abbreviation, and anything after a secondary unit designator (suite,
    unit, #) cut off, so "1220 Northwest Couch Street, Suite 4" -> "1220 nw couch st". The
    abbreviations are USPS Publication 28's (street suffixes, directionals, unit designators). -#}
{% macro normalise_street(column) -%}
    {%- set usps_abbreviations = {
    'north': 'n', 'south': 's', 'east': 'e', 'west': 'w',
    'northeast': 'ne', 'northwest': 'nw', 'southeast': 'se', 'southwest': 'sw',
    'street': 'st', 'avenue': 'ave', 'av': 'ave', 'boulevard': 'blvd', 'highway': 'hwy', 'parkway': 'pkwy',
    'road': 'rd', 'drive': 'dr', 'lane': 'ln', 'court': 'ct', 'place': 'pl', 'square': 'sq',
    'terrace': 'ter', 'circle': 'cir', 'center': 'ctr', 'centre': 'ctr', 'expressway': 'expy',
    'freeway': 'fwy', 'trail': 'trl', 'plaza': 'plz', 'mount': 'mt', 'alley': 'aly', 'crossing': 'xing',
    'heights': 'hts', 'junction': 'jct', 'point': 'pt', 'turnpike': 'tpke', 'route': 'rte',
    'suite': 'ste', 'building': 'bldg', 'floor': 'fl', 'apartment': 'apt', 'room': 'rm',
    'first': '1st', 'second': '2nd', 'third': '3rd', 'fourth': '4th', 'fifth': '5th',
} -%}
    {%- set cleaned -%}
        trim(regexp_replace(regexp_replace(regexp_replace(lower(strip_accents(cast({{ column }} as string))),
            '\.', ''{{ all_matches() }}), '[^a-z0-9#]+', ' '{{ all_matches() }}), '\s+', ' '{{ all_matches() }}))
    {%- endset -%}
    {%- set abbreviated -%}
        case token
            {%- for word, abbreviation in usps_abbreviations.items() %} when '{{ word }}' then '{{ abbreviation }}'{% endfor %}
            else token end
    {%- endset -%}
    {%- set tokens = list_map("string_split(" ~ cleaned ~ ", ' ')", 'token', abbreviated) -%}
    nullif(trim(regexp_replace({{ list_join(tokens, "' '") }}, '\s(ste|unit|apt|rm|fl|bldg|#)(\s.*|[0-9].*)?$|#.*$', '')), '')
{%- endmacro %}

{#- The house number of a normalised street line ("1220" of "1220 nw couch st"), null without one. -#}
{% macro street_number(normalised_street) -%}
    nullif(regexp_extract({{ normalised_street }}, '^([0-9]+[a-z]?)\b', 1), '')
{%- endmacro %}

{#- A postcode for matching places: in the US the 5-digit ZIP (ZIP+4 and any spacing dropped);
    elsewhere upper case without spaces or dashes ("m5v 2t6" -> "M5V2T6"). A country code that is
    unknown reads the postcode as US when it starts with five digits. -#}
{% macro location_postcode(postcode, country_code) -%}
    {%- set compact = "upper(regexp_replace(trim(cast(" ~ postcode ~ " as string)), '[\\s-]', ''" ~ all_matches() ~ "))" -%}
    nullif(case
        when coalesce(upper({{ country_code }}), 'US') = 'US' and regexp_matches({{ compact }}, '^[0-9]{5}')
            then left({{ compact }}, 5)
        else {{ compact }}
    end, '')
{%- endmacro %}

{#- A place name as a set of tokens for weak matching (accents, case, punctuation dropped). -#}
{% macro name_tokens(column) -%}
    {{ list_sorted_distinct(list_where("string_split(" ~ normalise_name(column) ~ ", ' ')", 'token', "token <> ''")) }}
{%- endmacro %}
