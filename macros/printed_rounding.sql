{# Two printed values agree within printed rounding: they differ by no more than half the step of
   the coarser one's last printed digit (12.37 and 12.4 agree; 24.1 and 24.2 do not). One rule for
   every comparison of printed figures: restatements, like-for-like values, corroborated years. #}
{% macro agrees_within_rounding(a, b, step_a, step_b) -%}
    (abs(cast({{ a }} - {{ b }} as {{ float_type() }})) <= greatest({{ step_a }}, {{ step_b }}) / 2 + 1e-9)
{%- endmacro %}
