{#-
  Which amounts the template of a report requires on every fund line it prints: 全年预算数 and
  全年执行数 in department and project tables, 年初预算数 as well in project tables. Prose reports
  mention what they mention. Rule B6 and the coverage counts of town_year_summary read these.
-#}

{% macro requires_amounts(doc_kind) -%}
    ({{ doc_kind }} in ('dept_table', 'project_table'))
{%- endmacro %}

{% macro requires_initial_budget(doc_kind) -%}
    ({{ doc_kind }} = 'project_table')
{%- endmacro %}

{#- A fund line without an amount its template requires (printed as —, /, 无, left empty, or unreadable). -#}
{% macro lacks_required_amount(doc_kind, initial, adjusted, executed) -%}
    (
        {{ requires_amounts(doc_kind) }}
        and (
            {{ adjusted }} is null
            or {{ executed }} is null
            or ({{ requires_initial_budget(doc_kind) }} and {{ initial }} is null)
        )
    )
{%- endmacro %}
