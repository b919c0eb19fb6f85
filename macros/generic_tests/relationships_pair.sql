{# Every non-null combination of `columns` in the model exists in `to` (a composite foreign key,
   e.g. (dimension, member) -> seeds/dimensions.csv). Fails with one row per missing combination. #}
{% test relationships_pair(model, to, columns) %}
select distinct {% for c in columns %}m.{{ c }}{% if not loop.last %}, {% endif %}{% endfor %}
from {{ model }} as m
left join {{ to }} as t
    on {% for c in columns %}m.{{ c }} = t.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %}
where {% for c in columns %}m.{{ c }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
  and t.{{ columns[0] }} is null
{% endtest %}
