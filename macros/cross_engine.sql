{#- SQL that differs between DuckDB and PostgreSQL, dispatched by adapter (no copies of models). -#}

{# Round a double to n decimal places: PostgreSQL's round() takes numeric only. #}
{% macro round_float(expression, places) -%}
    {{ return(adapter.dispatch('round_float', 'esgwh')(expression, places)) }}
{%- endmacro %}

{% macro default__round_float(expression, places) -%}
    round({{ expression }}, {{ places }})
{%- endmacro %}

{% macro postgres__round_float(expression, places) -%}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{%- endmacro %}

{# One row per element of a delimited string (footnote markers '2;3;4'), in a select list. #}
{% macro split_to_rows(column, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows', 'esgwh')(column, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(column, delimiter) -%}
    unnest(string_split({{ column }}, '{{ delimiter }}'))
{%- endmacro %}

{% macro postgres__split_to_rows(column, delimiter) -%}
    unnest(string_to_array({{ column }}, '{{ delimiter }}'))
{%- endmacro %}

{# The text inside the last pair of round brackets of a string, or after a closing `Unit:`
   ('' when there is neither): `Total GHG Emissions (t CO2e) Asset Class` -> `t CO2e`,
   `Unit: Tonnes` -> `Tonnes`. #}
{% macro last_bracketed(column) -%}
    {{ return(adapter.dispatch('last_bracketed', 'esgwh')(column)) }}
{%- endmacro %}

{% macro default__last_bracketed(column) -%}
    coalesce(nullif(regexp_extract(translate({{ column }}, '（）', '()'), '\(([^()]*)\)[^()]*$', 1), ''),
             regexp_extract({{ column }}, '(?i)units?\s*:\s*([^>()]+)$', 1), '')
{%- endmacro %}

{% macro postgres__last_bracketed(column) -%}
    coalesce(nullif(substring(translate({{ column }}, '（）', '()') from '\(([^()]*)\)[^()]*$'), ''),
             substring({{ column }} from '(?i)units?\s*:\s*([^>()]+)$'), '')
{%- endmacro %}

{# The last `words` words of a header's last level ('' when it has fewer): a unit printed after
   the header's words (`Total Scope 1, > 2 &3 Mt CO2e`, 2 -> `Mt CO2e`). #}
{% macro last_words(column, words) -%}
    {{ return(adapter.dispatch('last_words', 'esgwh')(column, words)) }}
{%- endmacro %}

{% macro default__last_words(column, words) -%}
    coalesce(regexp_extract({{ column }}, '(?:^|[\s>])((?:[^\s>]+\s+){{ '{' ~ (words - 1) ~ '}' }}[^\s>]+)\s*$', 1), '')
{%- endmacro %}

{% macro postgres__last_words(column, words) -%}
    coalesce(substring({{ column }} from '(?:^|[\s>])((?:[^\s>]+\s+){{ '{' ~ (words - 1) ~ '}' }}[^\s>]+)\s*$'), '')
{%- endmacro %}
