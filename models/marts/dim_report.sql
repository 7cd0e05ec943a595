{#-
  Built by report (macros/incremental_by_report.sql): a report's findings follow from its own
  check rows, and its version columns are compared with the current ones.
-#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('int_reports_versioned'),
            ['is_current', 'version_rank', 'version_count', 'superseded_by_report_id', 'file_modified_at']) }}"
    )
}}

with

reports as (

    select * from {{ ref('int_reports_versioned') }}
    {{ only_reports_to_rebuild('report_id') }}

),

points as (

    select * from {{ ref('int_report_points') }}

),

graded as (

    select * from {{ ref('int_reports_graded') }}

),

totals as (

    select * from {{ ref('int_reports_totalled') }}

),

keys as (

    select * from {{ ref('int_reports_keyed') }}

),

findings as (

    select * from {{ ref('dq_finding') }}

),

finding_counts as (

    select
        report_id,
        count(*) filter (where severity = 'error') as error_findings,
        count(*) filter (where severity = 'warning') as warning_findings,
        count(*) filter (where severity = 'info') as info_findings

    from findings
    group by report_id

),

final as (

    select
        ---------- ids
        reports.report_id,
        reports.report_key,
        reports.source_file,
        reports.source_sha256,
        reports.report_ordinal,

        ---------- the evaluated unit
        reports.doc_kind,
        reports.fiscal_year,
        reports.district,
        reports.town,
        reports.unit_name,
        reports.supervisor,
        reports.project_name,
        reports.amount_unit,

        ---------- self-evaluation as printed
        reports.total_weight,
        reports.total_score,
        reports.grade,
        graded.grade_from_total,
        reports.budget_execution_weight,
        reports.budget_execution_score,

        ---------- indicators
        points.indicator_count,
        points.quantitative_indicator_count,
        points.indicator_weight_sum,
        points.indicator_score_sum,

        ---------- findings of the consistency rules (marts.dq_finding)
        coalesce(finding_counts.error_findings, 0) as error_findings,
        coalesce(finding_counts.warning_findings, 0) as warning_findings,
        coalesce(finding_counts.info_findings, 0) as info_findings,
        finding_counts.report_id is not null as has_findings,

        ---------- versions
        reports.is_current,
        reports.version_rank,
        reports.version_count,
        reports.superseded_by_report_id,
        reports.file_modified_at,

        ---------- text
        reports.goal_text,
        reports.result_text,

        ---------- the whole budget of the report, whatever its kind (int_reports_totalled)
        totals.budget_basis as report_budget_basis,
        totals.initial_budget_yuan as report_initial_budget_yuan,
        totals.adjusted_budget_yuan as report_adjusted_budget_yuan,
        totals.executed_yuan as report_executed_yuan,
        totals.execution_rate_pct as report_execution_rate_pct,

        ---------- keys across years (marts.dim_unit, marts.dim_project)
        keys.unit_key,
        keys.project_key

    from reports
    inner join points on reports.report_id = points.report_id
    left join finding_counts on reports.report_id = finding_counts.report_id
    left join graded on reports.report_id = graded.report_id
    left join totals on reports.report_id = totals.report_id
    left join keys on reports.report_id = keys.report_id

)

select * from final
