{#- The schema is exactly the custom name (staging, intermediate, marts, restricted), not
    "<target schema>_<custom>", so analysts and the serving snapshot see stable schema names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
