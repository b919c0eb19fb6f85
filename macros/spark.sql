{#- What dbt-spark itself does differently, overridden for this project (the models stay one copy;
    the SQL differences are dispatch macros in cross_engine.sql). -#}

{# The type names the YAML (contracts, seed column types) and DuckDB/PostgreSQL use, as Spark
   names them: Spark has no bare varchar and no double precision. #}
{% macro spark_type(type) -%}
    {%- set t = (type | string).strip().lower() -%}
    {%- if t in ('varchar', 'text', 'character varying') -%}string
    {%- elif t == 'double precision' -%}double
    {%- else -%}{{ type }}
    {%- endif -%}
{%- endmacro %}

{# A contract's declared types are checked through cast(null as <type>): in Spark's names. #}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{# Seeds: dbt-spark's session cursor writes an empty cell as the string 'None' and breaks on an
   apostrophe (dbt-labs/dbt-adapters#487), so rows are written as literals here: an empty cell is
   NULL, text is escaped as Spark reads it (backslash and quote), types in Spark's names. #}
{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set type = spark_type(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
            {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}
  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}
  {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set types = [] -%}
  {%- for col_name in agate_table.column_names -%}
    {%- do types.append(spark_type(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)))) -%}
  {%- endfor -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for value in row -%}
          {%- if value is none -%}cast(null as {{ types[loop.index0] }})
          {%- else -%}cast({{ sql_literal(value | string) }} as {{ types[loop.index0] }})
          {%- endif -%}{%- if not loop.last -%},{%- endif -%}
        {%- endfor -%}){%- if not loop.last -%},{%- endif %}
      {% endfor %}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}
