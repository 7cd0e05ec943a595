{#- Every row satisfies the expression (a null result passes, as in dbt_utils). -#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not ({{ expression }})

{% endtest %}
