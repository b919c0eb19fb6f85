{# Join condition: two relations hold the same series (company, metric, dimension, member),
   and, with fiscal_year=true, the same fiscal year. #}
{% macro same_series(a, b, fiscal_year=true) -%}
    {{ a }}.company = {{ b }}.company and {{ a }}.metric_code = {{ b }}.metric_code
    and {{ a }}.dimension = {{ b }}.dimension and {{ a }}.member = {{ b }}.member
    {%- if fiscal_year %} and {{ a }}.fiscal_year = {{ b }}.fiscal_year{% endif %}
{%- endmacro %}
