with

rules as (

    select * from {{ ref('stg_reference__dq_rules') }}

),

findings as (

    select * from {{ ref('dq_finding') }}

),

counts as (

    select
        rule_id,
        count(*) as findings,
        count(distinct report_id) as reports_with_findings,
        count(*) filter (where is_current) as findings_in_current_reports

    from findings
    group by rule_id

),

final as (

    select
        rules.rule_id,
        rules.severity,
        rules.category,
        rules.checked_by,
        rules.description_zh,
        rules.description_en,
        rules.tolerance,
        coalesce(counts.findings, 0) as findings,
        coalesce(counts.reports_with_findings, 0) as reports_with_findings,
        coalesce(counts.findings_in_current_reports, 0) as findings_in_current_reports

    from rules
    left join counts on rules.rule_id = counts.rule_id

)

select * from final
