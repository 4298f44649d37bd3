{#- dlt creates a column only once a non-null value has been seen, and a child table only once a
    nested list has had an element. Staging must not break on a quiet source, so it reads optional
    columns and tables through these helpers, which look the relation up at run time only (dbt parse
    needs no database). -#}

{% macro relation_columns(relation) -%}
    {%- if not execute or relation is none -%}{{ return([]) }}{%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(relation) -%}
    {{ return(columns | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}

{% macro col_or_null(columns, name, data_type) -%}
    {%- if not execute or name | lower in columns -%}cast({{ adapter.quote(name) }} as {{ data_type }})
    {%- else -%}cast(null as {{ data_type }}){%- endif -%}
{%- endmacro %}

{#- The source relation if the table exists, else none (the caller then selects zero typed rows). -#}
{% macro optional_source(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}{{ return(relation) }}{%- endif -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
                                   identifier=relation.identifier)) }}
{%- endmacro %}
