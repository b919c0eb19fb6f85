{# The key a printed unit is matched on: simplified script (done by the loader), no whitespace,
   full-width brackets and colons folded to ASCII. Case is kept: Mt (megatonnes) is not MT. #}
{% macro normalise_label(column) -%}
    translate({{ re_replace("coalesce(" ~ column ~ ", '')", '\\s', '', every=true) }}, '（）：，／', '():,/')
{%- endmacro %}

{# The key a printed label is matched on (seeds/label_aliases.csv): normalise_label, lower case,
   Markdown emphasis removed, and the list markers a report prints in front of a label dropped
   (`1.`, `(ii)`, `a.`, `•`, `–`). Seeds hold labels as printed: the same macro turns both sides
   into keys. #}
{% macro label_key(column) -%}
    {%- set key = "lower(replace(" ~ normalise_label(column) ~ ", '*', ''))" -%}
    {%- set key = re_replace(key, '^(\\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\\)|\\(?[a-h]\\)|[0-9]{1,2}[.)]|[•▪●◦–—-]+)', '') -%}
    {%- set key = re_replace(key, '^[0-9]{1,2}([a-z(])', '\\1') -%}
    {{ re_replace(key, '^[a-h]\\.([a-z])', '\\1') }}
{%- endmacro %}

{# A label key without the formula reference a report prints after it: `(A+B+C)`, `(D)`,
   `(i + ii + iii)` (BRSR). Kept apart from label_key because the reference can tell two rows
   apart: JSW's `Total energy consumption (D+E+F)` is the non-renewable total. #}
{% macro without_formula(key) -%}
    {{ re_replace(key, '\\(([a-h](\\+[a-h])*|(i|ii|iii|iv|v|vi)(\\+(i|ii|iii|iv|v|vi))*)\\)$', '') }}
{%- endmacro %}

{# A header path (levels joined by ' > ') as a key of levels: '|level|level|', each level a
   label_key, so an alias can match one level exactly (like '%|male|%'). #}
{% macro level_key(column) -%}
    {{ re_replace("'|' || replace(" ~ label_key(column) ~ ", '>', '|') || '|'",
        '\\|(\\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\\)|\\(?[a-h]\\)|[a-h]\\.|(i|ii|iii|iv|v|vi)\\.|[0-9]{1,2}[.)])', '|', every=true) }}
{%- endmacro %}

{# A header that names a multiplier (`'000 GJ`, `Thousand tonnes`, `百万吨`): a unit read off its
   last words would drop the multiplier, so none is read there. #}
{% macro names_a_multiplier(column) -%}
    ({{ re_replace("lower(coalesce(" ~ column ~ ", ''))",
        "((^|[\\s>(])('?000s?|thousands?|millions?|billions?|mn|bn|k)($|[\\s)])|[千万萬亿億])", '') }}
     <> lower(coalesce({{ column }}, '')))
{%- endmacro %}
