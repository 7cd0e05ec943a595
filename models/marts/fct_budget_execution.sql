{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('int_reports_versioned'), ['is_current']) }}"
    )
}}

with

fund_lines as (

    -- built by report (macros/incremental_by_report.sql)
    select * from {{ ref('stg_reports__fund_lines') }}
    {{ only_reports_to_rebuild('report_id') }}

),

reports as (

    select * from {{ ref('int_reports_versioned') }}

),

labels as (

    select * from {{ ref('stg_reference__fund_lines') }}

),

final as (

    select
        ---------- ids
        fund_lines.report_id,
        fund_lines.fund_line,
        labels.fund_line_label,
        labels.fund_line_label_en,

        ---------- amounts in 元
        fund_lines.initial_budget_yuan,
        fund_lines.adjusted_budget_yuan,
        fund_lines.executed_yuan,
        fund_lines.adjusted_budget_yuan - fund_lines.initial_budget_yuan as budget_change_yuan,

        ---------- execution rate in percent: as printed, and from the amounts (null without a positive budget)
        fund_lines.execution_rate_reported_pct,
        case
            when fund_lines.adjusted_budget_yuan > 0
                then round(fund_lines.executed_yuan::double * 100 / fund_lines.adjusted_budget_yuan::double, 4)
        end as execution_rate_computed_pct,
        fund_lines.execution_rate_decimals,

        ---------- the report, for convenience
        reports.town,
        reports.district,
        reports.fiscal_year,
        reports.unit_name,
        reports.project_name,
        reports.doc_kind,
        reports.is_current,

        ---------- as printed
        fund_lines.fund_line_printed,
        fund_lines.amount_unit,
        fund_lines.initial_budget_text,
        fund_lines.adjusted_budget_text,
        fund_lines.executed_text,
        fund_lines.execution_rate_text,
        fund_lines.line_no,
        fund_lines.page,
        reports.source_sha256

    from fund_lines
    inner join reports on fund_lines.report_id = reports.report_id
    left join labels on fund_lines.fund_line = labels.fund_line

)

select * from final
