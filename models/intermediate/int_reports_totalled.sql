{#-
  The whole budget of every report, whatever its kind. Reports print it in
  different ways, tried in this order: a total line (project tables always have
  one); 资金来源 (财政拨款 + 其他资金); 一般公共预算 (+ 政府性基金预算);
  资金结构 (基本支出 + 项目支出). A basis with a line printed without its amount
  (—, /, an empty cell) is not a total; a report none of them completes has NULLs.
  A table built by report: three models read it (and the town summaries through
  int_department_budgets), and a report's total follows from its own rows.
-#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('stg_reports__reports')) }}"
    )
}}

with

reports as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__reports') }}
    {{ only_reports_to_rebuild('report_id') }}

),

fund_lines as (

    select * from {{ ref('stg_reports__fund_lines') }}
    {{ only_reports_to_rebuild('report_id') }}

),

bases (priority, basis, fund_line, is_required) as (

    values
    (1, 'total', 'total', true),
    (2, 'sources', 'fiscal_appropriation', true),
    (2, 'sources', 'other_funds', true),
    (3, 'budget_types', 'general_public_budget', true),
    (3, 'budget_types', 'government_fund_budget', false),
    (4, 'structure', 'basic_expenditure', true),
    (4, 'structure', 'project_expenditure', true)

),

per_basis as (

    select
        reports.report_id,
        bases.priority,
        bases.basis,
        sum(fund_lines.initial_budget_yuan) as initial_budget_yuan,
        sum(fund_lines.adjusted_budget_yuan) as adjusted_budget_yuan,
        sum(fund_lines.executed_yuan) as executed_yuan,
        -- sums with a missing required term are not totals
        bool_and(fund_lines.report_id is not null or not bases.is_required) as is_complete,
        -- nor are sums over a line printed without its amount (—, /, an empty cell)
        bool_and(fund_lines.report_id is null or fund_lines.adjusted_budget_yuan is not null) as has_adjusted,
        bool_and(fund_lines.report_id is null or fund_lines.executed_yuan is not null) as has_executed,
        bool_and(fund_lines.report_id is null or fund_lines.initial_budget_yuan is not null) as has_initial

    from reports
    cross join bases
    left join fund_lines
        on
            reports.report_id = fund_lines.report_id
            and bases.fund_line = fund_lines.fund_line
    group by all

),

chosen as (

    select
        report_id,
        basis as budget_basis,
        case when has_initial then initial_budget_yuan::decimal(18, 2) end as initial_budget_yuan,
        adjusted_budget_yuan::decimal(18, 2) as adjusted_budget_yuan,
        case when has_executed then executed_yuan::decimal(18, 2) end as executed_yuan

    from per_basis
    where is_complete and has_adjusted and adjusted_budget_yuan is not null
    qualify row_number() over (partition by report_id order by priority) = 1

),

final as (

    select
        reports.report_id,
        reports.source_sha256,
        chosen.budget_basis,
        chosen.initial_budget_yuan,
        chosen.adjusted_budget_yuan,
        chosen.executed_yuan,
        case
            when chosen.adjusted_budget_yuan > 0
                then round(chosen.executed_yuan::double * 100 / chosen.adjusted_budget_yuan::double, 4)
        end as execution_rate_pct

    from reports
    left join chosen on reports.report_id = chosen.report_id

)

select * from final
