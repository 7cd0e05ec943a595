{#-
  Budgets and self-given scores per town, year and report kind: department tables,
  project tables and prose reports side by side, each with its own whole budgets
  (int_reports_totalled) and average 总分, so no kind is left out of a comparison.
-#}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    where is_current and town is not null

),

totals as (

    select * from {{ ref('int_reports_totalled') }}

),

final as (

    select
        reports.district,
        reports.town,
        reports.fiscal_year,
        reports.doc_kind,
        count(*) as reports,
        count(reports.total_score) as scored_reports,
        round(avg(reports.total_score), 2) as avg_score,
        min(reports.total_score) as min_score,
        max(reports.total_score) as max_score,
        count(totals.budget_basis) as reports_with_budget,
        sum(totals.adjusted_budget_yuan) as budget_yuan,
        sum(totals.executed_yuan) as executed_yuan,
        case
            when sum(totals.adjusted_budget_yuan) > 0
                then round(sum(totals.executed_yuan)::double * 100 / sum(totals.adjusted_budget_yuan)::double, 2)
        end as execution_rate_pct

    from reports
    left join totals on reports.report_id = totals.report_id
    group by all

)

select * from final
