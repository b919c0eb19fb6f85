{# The key a printed label is matched on: simplified script (done by the loader), no whitespace,
   full-width brackets and colons folded to ASCII. Seeds hold keys in this same form. #}
{% macro normalise_label(column) -%}
    translate(regexp_replace(coalesce({{ column }}, ''), '\s', '', 'g'), '（）：，／', '():,/')
{%- endmacro %}
