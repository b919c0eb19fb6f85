{# Join condition: two relations hold the same series (company, metric, dimension, member, basis),
   and, with fiscal_year=true, the same fiscal year. #}
{% macro same_series(a, b, fiscal_year=true) -%}
    {{ a }}.company = {{ b }}.company and {{ a }}.metric_code = {{ b }}.metric_code
    and {{ a }}.dimension = {{ b }}.dimension and {{ a }}.member = {{ b }}.member
    and {{ a }}.basis = {{ b }}.basis
    {%- if fiscal_year %} and {{ a }}.fiscal_year = {{ b }}.fiscal_year{% endif %}
{%- endmacro %}

{# The columns of a series key, for partition and group by clauses. #}
{% macro series_key(prefix='') -%}
    {{ prefix }}company, {{ prefix }}metric_code, {{ prefix }}dimension, {{ prefix }}member, {{ prefix }}basis
{%- endmacro %}
