{#- The project on DuckDB (dev, demo, tests) and on Spark (docs/SPARK.md): where the dialects differ,
    models call these macros (adapter.dispatch: `default__` is DuckDB's SQL, unchanged; `spark__` is
    Spark SQL's), or DuckDB's scalar function names, which `define_duckdb_functions` defines on Spark
    with the same meaning. dbt's own cross-database macros (dbt.dateadd, dbt.datediff, ...) come first. -#}

{#- A type as the models name it (DuckDB's names) in the target's dialect. -#}
{% macro sql_type(name) -%}{{ return(adapter.dispatch('sql_type', 'seamline')(name)) }}{%- endmacro %}
{% macro default__sql_type(name) -%}{{ return(name) }}{%- endmacro %}
{% macro spark__sql_type(name) -%}
    {{ return({'varchar': 'string', 'timestamptz': 'timestamp', 'string[]': 'array<string>'}.get(name | lower, name)) }}
{%- endmacro %}

{#- dbt's cast (model contracts cast null to each declared column type): the contracts declare DuckDB's names. -#}
{% macro spark__cast(field, type) -%}cast({{ field }} as {{ sql_type(type) }}){%- endmacro %}

{#- A money amount from a division or an average (an average order value), to the cent. DuckDB divides
    decimals in floating point and rounds the double it gets (536.06 / 4 = 134.01499.. -> 134.01); Spark
    divides decimals exactly (134.015 -> 134.02), so on Spark it is computed and rounded the DuckDB way. -#}
{% macro money_from_ratio(expression) -%}{{ adapter.dispatch('money_from_ratio', 'seamline')(expression) }}{%- endmacro %}
{% macro default__money_from_ratio(expression) -%}cast({{ expression }} as decimal(18, 2)){%- endmacro %}
{% macro spark__money_from_ratio(expression) -%}
    cast(floor(cast({{ expression }} as double) * 100 + 0.5) / 100 as decimal(18, 2))
{%- endmacro %}

{#- Timestamps to UTC, whatever the source sent (ISO text with an offset, or a dlt timestamptz). Spark's
    session time zone is UTC (the profile), so its timestamp is the UTC wall clock too. -#}
{% macro to_utc(column) -%}{{ adapter.dispatch('to_utc', 'seamline')(column) }}{%- endmacro %}
{% macro default__to_utc(column) -%}timezone('UTC', cast({{ column }} as timestamptz)){%- endmacro %}
{% macro spark__to_utc(column) -%}cast({{ column }} as timestamp){%- endmacro %}

{#- A UTC timestamp's local wall clock in a time zone (IANA name). -#}
{% macro local_time(time_zone, utc_timestamp) -%}{{ adapter.dispatch('local_time', 'seamline')(time_zone, utc_timestamp) }}{%- endmacro %}
{% macro default__local_time(time_zone, utc_timestamp) -%}timezone({{ time_zone }}, cast({{ utc_timestamp }} as timestamptz)){%- endmacro %}
{% macro spark__local_time(time_zone, utc_timestamp) -%}from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }}){%- endmacro %}

{#- Aggregate a column into a list (optionally distinct values only); nulls are left out. -#}
{% macro list_agg(expression, distinct=false) -%}{{ adapter.dispatch('list_agg', 'seamline')(expression, distinct) }}{%- endmacro %}
{% macro default__list_agg(expression, distinct) -%}list({{ 'distinct ' if distinct }}{{ expression }}){%- endmacro %}
{% macro spark__list_agg(expression, distinct) -%}{{ 'collect_set' if distinct else 'collect_list' }}({{ expression }}){%- endmacro %}

{#- Values joined with a separator in a given order (distinct values only, optionally). -#}
{% macro string_agg_ordered(expression, separator, order_by, distinct=false) -%}
    {{ adapter.dispatch('string_agg_ordered', 'seamline')(expression, separator, order_by, distinct) }}
{%- endmacro %}
{% macro default__string_agg_ordered(expression, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__string_agg_ordered(expression, separator, order_by, distinct) -%}
    {%- if distinct and order_by == expression -%}{#- Spark's distinct listagg fails beside other distinct aggregates -#}
    array_join(array_sort(collect_set({{ expression }})), {{ separator }})
    {%- else -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, {{ separator }}) within group (order by {{ order_by }})
    {%- endif -%}
{%- endmacro %}

{#- dbt.listagg on Spark: dbt-spark's drops the order by (with a warning); Spark 4 has listagg ... within group. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}{{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark") }}{%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#- One row per list element (in a select list or as a table in FROM). -#}
{% macro unnest_list(list) -%}{{ adapter.dispatch('unnest_list', 'seamline')(list) }}{%- endmacro %}
{% macro default__unnest_list(list) -%}unnest({{ list }}){%- endmacro %}
{% macro spark__unnest_list(list) -%}explode({{ list }}){%- endmacro %}

{#- A list of every element turned by `body` (an expression of `name`), or only those for which it holds. -#}
{% macro list_map(list, name, body) -%}{{ adapter.dispatch('list_map', 'seamline')(list, name, body) }}{%- endmacro %}
{% macro default__list_map(list, name, body) -%}list_transform({{ list }}, lambda {{ name }}: {{ body }}){%- endmacro %}
{% macro spark__list_map(list, name, body) -%}transform({{ list }}, {{ name }} -> {{ body }}){%- endmacro %}
{% macro list_where(list, name, body) -%}{{ adapter.dispatch('list_where', 'seamline')(list, name, body) }}{%- endmacro %}
{% macro default__list_where(list, name, body) -%}list_filter({{ list }}, lambda {{ name }}: {{ body }}){%- endmacro %}
{% macro spark__list_where(list, name, body) -%}filter({{ list }}, {{ name }} -> {{ body }}){%- endmacro %}

{#- A list's elements joined with a separator (nulls skipped); its distinct non-null elements, sorted;
    the elements two lists share; a list's length; its element at a position (from 1).
    Macros, not functions: Spark does not take a SQL function around a lambda. -#}
{% macro list_join(list, separator) -%}{{ adapter.dispatch('list_join', 'seamline')(list, separator) }}{%- endmacro %}
{% macro default__list_join(list, separator) -%}array_to_string({{ list }}, {{ separator }}){%- endmacro %}
{% macro spark__list_join(list, separator) -%}array_join({{ list }}, {{ separator }}){%- endmacro %}
{% macro list_sorted_distinct(list) -%}{{ adapter.dispatch('list_sorted_distinct', 'seamline')(list) }}{%- endmacro %}
{% macro default__list_sorted_distinct(list) -%}list_sort(list_distinct({{ list }})){%- endmacro %}
{% macro spark__list_sorted_distinct(list) -%}array_sort(array_distinct(filter({{ list }}, item -> item is not null))){%- endmacro %}

{% macro list_length(list) -%}{{ adapter.dispatch('list_length', 'seamline')(list) }}{%- endmacro %}
{% macro default__list_length(list) -%}len({{ list }}){%- endmacro %}
{% macro spark__list_length(list) -%}size({{ list }}){%- endmacro %}
{% macro list_at(list, position) -%}{{ adapter.dispatch('list_at', 'seamline')(list, position) }}{%- endmacro %}
{% macro default__list_at(list, position) -%}{{ list }}[{{ position }}]{%- endmacro %}
{% macro spark__list_at(list, position) -%}element_at({{ list }}, {{ position }}){%- endmacro %}
{% macro list_common(left, right) -%}{{ adapter.dispatch('list_common', 'seamline')(left, right) }}{%- endmacro %}
{% macro default__list_common(left, right) -%}list_intersect({{ left }}, {{ right }}){%- endmacro %}
{% macro spark__list_common(left, right) -%}array_intersect({{ left }}, {{ right }}){%- endmacro %}

{#- A list literal of expressions; an empty one needs its element type. -#}
{% macro list_of(items, element_type='varchar') -%}{{ adapter.dispatch('list_of', 'seamline')(items, element_type) }}{%- endmacro %}
{% macro default__list_of(items, element_type) -%}
    {%- if items -%}[{{ items | join(', ') }}]{%- else -%}cast([] as {{ element_type }}[]){%- endif -%}
{%- endmacro %}
{% macro spark__list_of(items, element_type) -%}
    {%- if items -%}array({{ items | join(', ') }}){%- else -%}cast(array() as array<{{ sql_type(element_type) }}>){%- endif -%}
{%- endmacro %}

{#- The integers start .. stop - 1, as a list. -#}
{% macro integer_range(start, stop) -%}{{ adapter.dispatch('integer_range', 'seamline')(start, stop) }}{%- endmacro %}
{% macro default__integer_range(start, stop) -%}range({{ start }}, {{ stop }}){%- endmacro %}
{% macro spark__integer_range(start, stop) -%}filter(sequence({{ start }}, greatest({{ start }}, {{ stop }})), i -> i < {{ stop }}){%- endmacro %}

{#- The days first_day .. last_day (both included), as a list of dates. -#}
{% macro day_list(first_day, last_day) -%}{{ adapter.dispatch('day_list', 'seamline')(first_day, last_day) }}{%- endmacro %}
{% macro default__day_list(first_day, last_day) -%}generate_series(cast({{ first_day }} as date), cast({{ last_day }} as date), interval 1 day){%- endmacro %}
{% macro spark__day_list(first_day, last_day) -%}sequence(cast({{ first_day }} as date), cast({{ last_day }} as date), interval 1 day){%- endmacro %}

{#- `select *` but these columns. -#}
{% macro star_except(columns, relation_alias=none) -%}{{ adapter.dispatch('star_except', 'seamline')(columns, relation_alias) }}{%- endmacro %}
{% macro default__star_except(columns, relation_alias) -%}{{ relation_alias ~ '.' if relation_alias }}* exclude ({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__star_except(columns, relation_alias) -%}{{ relation_alias ~ '.' if relation_alias }}* except ({{ columns | join(', ') }}){%- endmacro %}

{#- DuckDB's scalar functions that the models use and Spark lacks, defined on Spark under the same
    names with the same meaning as temporary SQL functions (Spark inlines them: no Python UDF).
    on-run-start calls it; on DuckDB it does nothing. On a Spark Thrift server the functions live in
    each session, so dbt needs `threads: 1` there (docs/SPARK.md). -#}
{% macro define_duckdb_functions() -%}{{ adapter.dispatch('define_duckdb_functions', 'seamline')() }}{%- endmacro %}
{% macro default__define_duckdb_functions() -%}{%- endmacro %}
{% macro spark__define_duckdb_functions() -%}
    {%- set accented = 'àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž' -%}
    {%- set plain = 'aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnoooooooooorrrssssttttuuuuuuuuuuwyyyzzz' -%}
    {%- set functions = [
        "regexp_full_match(s string, pattern string) returns boolean return s rlike concat('^(?:', pattern, ')$')",
        "regexp_matches(s string, pattern string) returns boolean return s rlike pattern",
        "starts_with(s string, prefix string) returns boolean return startswith(s, prefix)",
        "strip_accents(s string) returns string return translate(s, '" ~ accented ~ accented.upper() ~ "', '"
            ~ plain ~ plain.upper() ~ "')",
        "string_split(s string, separator string) returns array<string> return split(s, concat('\\Q', separator, '\\E'), -1)",
        "string_split_regex(s string, pattern string) returns array<string> return split(s, pattern, -1)",
        "list_sort(items array<string>) returns array<string> return array_sort(items)",
        "sha256(s string) returns string return sha2(s, 256)",
    ] -%}
    {%- for function in functions %}
        {%- do run_query('create or replace function ' ~ function) %}
    {%- endfor %}
{%- endmacro %}

{#- regexp_replace(text, pattern, replacement {{ all_matches() }}) replaces every match: DuckDB needs
    the 'g' option, Spark always does. -#}
{% macro all_matches() -%}{{ adapter.dispatch('all_matches', 'seamline')() }}{%- endmacro %}
{% macro default__all_matches() -%}, 'g'{%- endmacro %}
{% macro spark__all_matches() -%}{%- endmacro %}

{#- `cross join` one row per list element, named alias (column), beside each row of the left side. -#}
{% macro cross_join_unnest(list, alias, column) -%}{{ adapter.dispatch('cross_join_unnest', 'seamline')(list, alias, column) }}{%- endmacro %}
{% macro default__cross_join_unnest(list, alias, column) -%}cross join unnest({{ list }}) as {{ alias }} ({{ column }}){%- endmacro %}
{% macro spark__cross_join_unnest(list, alias, column) -%}cross join lateral explode({{ list }}) as {{ alias }} ({{ column }}){%- endmacro %}

{#- `cross join` these rows (lists of expressions that may use the left side), named alias (columns). -#}
{% macro cross_join_rows(rows, alias, columns) -%}{{ adapter.dispatch('cross_join_rows', 'seamline')(rows, alias, columns) }}{%- endmacro %}
{% macro default__cross_join_rows(rows, alias, columns) -%}
    cross join lateral (values {% for row in rows %}({{ row | join(', ') }}){{ ', ' if not loop.last }}{% endfor %}) as {{ alias }} ({{ columns | join(', ') }})
{%- endmacro %}
{% macro spark__cross_join_rows(rows, alias, columns) -%}
    cross join lateral stack({{ rows | length }}, {% for row in rows %}{{ row | join(', ') }}{{ ', ' if not loop.last }}{% endfor %}) as {{ alias }} ({{ columns | join(', ') }})
{%- endmacro %}

{#- Spark (Parquet tables) has no delete: the Spark build is always a full refresh (`--full-refresh`,
    docs/SPARK.md), where an incremental model is simply rebuilt, so delete+insert is accepted there. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy not in ['append', 'merge', 'insert_overwrite', 'microbatch'] and not should_full_refresh() -%}
        {{ exceptions.raise_compiler_error("Spark builds the '" ~ raw_strategy ~ "' models only with --full-refresh") }}
    {%- endif -%}
    {{ return(raw_strategy if raw_strategy in ['append', 'merge', 'insert_overwrite', 'microbatch'] else 'append') }}
{%- endmacro %}

{#- `union all by name` on DuckDB; Spark SQL matches union branches by position, so the branches of a
    model that uses this list their columns in the same order. -#}
{% macro union_all_by_name() -%}{{ adapter.dispatch('union_all_by_name', 'seamline')() }}{%- endmacro %}
{% macro default__union_all_by_name() -%}union all by name{%- endmacro %}
{% macro spark__union_all_by_name() -%}union all{%- endmacro %}
