{#-
  The whole budget of each department-level report, for town totals. Reports print
  it in different ways, tried in this order: a total line; 资金来源 (财政拨款 +
  其他资金); 一般公共预算 (+ 政府性基金预算); 资金结构 (基本支出 + 项目支出).
  A unit that published both a table and a prose report for a year counts once,
  from the table (its amounts are in 元).
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and doc_kind in ('dept_table', 'dept_narrative')

),

fund_lines as (

    select * from {{ ref('stg_reports__fund_lines') }}

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
        case when has_initial then initial_budget_yuan end as initial_budget_yuan,
        adjusted_budget_yuan,
        case when has_executed then executed_yuan end as executed_yuan

    from per_basis
    where is_complete and has_adjusted and adjusted_budget_yuan is not null
    qualify row_number() over (partition by report_id order by priority) = 1

),

one_per_unit as (

    select
        reports.report_id,
        reports.district,
        reports.town,
        reports.fiscal_year,
        reports.unit_name,
        reports.doc_kind,
        chosen.budget_basis,
        chosen.initial_budget_yuan,
        chosen.adjusted_budget_yuan,
        chosen.executed_yuan

    from reports
    inner join chosen on reports.report_id = chosen.report_id
    qualify row_number() over (
        partition by reports.town, reports.fiscal_year, reports.unit_name
        order by case reports.doc_kind when 'dept_table' then 1 else 2 end, reports.report_id
    ) = 1

)

select * from one_per_unit
