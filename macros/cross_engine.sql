{#- SQL that differs between DuckDB, PostgreSQL and Spark, dispatched by adapter (no copies of models). -#}

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
    coalesce(nullif({{ re_extract("translate(" ~ column ~ ", '（）', '()')", '\\(([^()]*)\\)[^()]*$') }}, ''),
             {{ re_extract(column, '(?i)units?\\s*:\\s*([^>()]+)$') }})
{%- endmacro %}

{# The last `words` words of a header's last level ('' when it has fewer): a unit printed after
   the header's words (`Total Scope 1, > 2 &3 Mt CO2e`, 2 -> `Mt CO2e`). #}
{% macro last_words(column, words) -%}
    {{ re_extract(column, '(?:^|[\\s>])((?:[^\\s>]+\\s+){' ~ (words - 1) ~ '}[^\\s>]+)\\s*$') }}
{%- endmacro %}

{# --- Apache Spark (esgwh build --target spark) ------------------------------------------------
   Spark reads string literals with backslash escapes ('\s' is the letter s) and no '' for a quote,
   its regexp_replace replaces every match and takes no flags (a fourth argument is a position),
   back references are $1, and it has no bare varchar or double precision. Patterns are therefore
   written once, as Jinja strings, and rendered into the literal each engine reads. #}

{# A regular expression (or any text) as a SQL string literal of the target engine. #}
{% macro sql_literal(text) -%}
    {{ return(adapter.dispatch('sql_literal', 'esgwh')(text)) }}
{%- endmacro %}

{% macro default__sql_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{# regexp_replace of the first match, or of every match with every=true. The first-match form is
   used only with anchored patterns (^…, …$) or to test whether a pattern matches at all, where
   Spark's every-match replacement gives the same answer. Back references are written \\1. #}
{% macro re_replace(expression, pattern, replacement, every=false) -%}
    {{ return(adapter.dispatch('re_replace', 'esgwh')(expression, pattern, replacement, every)) }}
{%- endmacro %}

{% macro default__re_replace(expression, pattern, replacement, every) -%}
    regexp_replace({{ expression }}, {{ sql_literal(pattern) }}, {{ sql_literal(replacement) }}{% if every %}, 'g'{% endif %})
{%- endmacro %}

{% macro spark__re_replace(expression, pattern, replacement, every) -%}
    regexp_replace({{ expression }}, {{ sql_literal(pattern) }}, {{ sql_literal(modules.re.sub('\\\\([0-9])', '$\\1', replacement)) }})
{%- endmacro %}

{# The first capturing group of the first match ('' when none). #}
{% macro re_extract(expression, pattern) -%}
    {{ return(adapter.dispatch('re_extract', 'esgwh')(expression, pattern)) }}
{%- endmacro %}

{% macro default__re_extract(expression, pattern) -%}
    coalesce(regexp_extract({{ expression }}, {{ sql_literal(pattern) }}, 1), '')
{%- endmacro %}

{% macro postgres__re_extract(expression, pattern) -%}
    coalesce(substring({{ expression }} from {{ sql_literal(pattern) }}), '')
{%- endmacro %}

{# Column types a cast names. #}
{% macro text_type() -%}
    {{ return(adapter.dispatch('text_type', 'esgwh')()) }}
{%- endmacro %}
{% macro default__text_type() %}varchar{% endmacro %}
{% macro spark__text_type() %}string{% endmacro %}

{% macro float_type() -%}
    {{ return(adapter.dispatch('float_type', 'esgwh')()) }}
{%- endmacro %}
{% macro default__float_type() %}double precision{% endmacro %}
{% macro spark__float_type() %}double{% endmacro %}

{# string_agg(expression, separator order by order_by). #}
{% macro ordered_string_agg(expression, separator, order_by, distinct=false) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'esgwh')(expression, separator, order_by, distinct)) }}
{%- endmacro %}

{% macro default__ordered_string_agg(expression, separator, order_by, distinct) -%}
    string_agg({% if distinct %}distinct {% endif %}{{ expression }}, {{ sql_literal(separator) }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expression, separator, order_by, distinct) -%}
    listagg({% if distinct %}distinct {% endif %}{{ expression }}, {{ sql_literal(separator) }}) within group (order by {{ order_by }})
{%- endmacro %}

{% macro spark__split_to_rows(column, delimiter) -%}
    explode(split({{ column }}, {{ sql_literal(modules.re.escape(delimiter)) }}))
{%- endmacro %}

{# 10 to the power -n as the nearest double (0.01 for 2): Spark's power(10, -5) is one unit in the
   last place off DuckDB's, which would move a printed figure's precision step. #}
{% macro ten_to_minus(n) -%}
    {{ return(adapter.dispatch('ten_to_minus', 'esgwh')(n)) }}
{%- endmacro %}

{% macro default__ten_to_minus(n) -%}
    power(10.0, -{{ n }})
{%- endmacro %}

{% macro spark__ten_to_minus(n) -%}
    cast(concat('1e-', cast({{ n }} as string)) as double)
{%- endmacro %}
