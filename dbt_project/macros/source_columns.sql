{#- dlt creates a column only once a non-null value has been seen, and a child table only once a
    nested list has had an element. Staging must not break on a quiet source, so it reads optional
    columns and tables through these helpers, which look the relation up at run time only (dbt parse
    needs no database). -#}

{#- The lower-cased column names of a relation; none when they cannot be known (at parse time, or in
    a unit test, where the source is a fixture CTE with no catalog entry): then every column is
    assumed present. A missing optional table (none) has no columns. -#}
{% macro relation_columns(relation) -%}
    {%- if relation is none -%}{{ return([]) }}{%- endif -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {{ return(columns if columns else none) }}
{%- endmacro %}

{#- The columns of a source's raw table, looked up by the sources' naming convention (catalog raw,
    schema = dlt dataset = source name) rather than through source(): in a unit test source() is the
    fixture CTE, whose columns are the raw table's. -#}
{% macro source_columns(source_name, table_name) -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set catalog = 'raw' if target.type != 'spark' else source_name -%}{#- Spark: database = schema -#}
    {{ return(relation_columns(api.Relation.create(database=catalog, schema=source_name, identifier=table_name))) }}
{%- endmacro %}

{% macro col_or_null(columns, name, data_type) -%}
    {%- if columns is none or name | lower in columns -%}cast({{ adapter.quote(name) }} as {{ sql_type(data_type) }})
    {%- else -%}cast(null as {{ sql_type(data_type) }}){%- endif -%}
{%- endmacro %}

{#- The source relation if the table exists, else none (the caller then selects zero typed rows). -#}
{% macro optional_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
                                   identifier=relation.identifier)) }}
{%- endmacro %}
