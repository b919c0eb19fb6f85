{# Every +-separated token of a basis column is a basis of seeds/bases.csv. #}
{% test basis_tokens_known(model, column_name) %}
with tokens as (
    select distinct trim(token) as token
    from (select {{ split_to_rows(column_name, '+') }} as token from {{ model }} where {{ column_name }} is not null) as s
)
select t.token
from tokens as t
left join {{ ref('bases') }} as b
    on t.token = b.basis
where b.basis is null and t.token <> ''
{% endtest %}
