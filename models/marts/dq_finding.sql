{#-
  Built by report (macros/incremental_by_report.sql): a report's findings follow from its own
  check rows, and is_current, which a revision in another file changes, is compared with the
  current one.
-#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_changed_reports(ref('int_reports_versioned'), ['is_current']) }}"
    )
}}

{%- set placeholders = {
    'subject': 'shown.subject',
    'observed': 'shown.observed',
    'expected': 'shown.expected',
    'difference': display_number('shown.difference'),
    'tolerance': display_number('shown.tolerance'),
} -%}

with

failures as (

    select * from {{ ref('int_expectation_failures') }}

),

rules as (

    select * from {{ ref('stg_reference__dq_rules') }}

),

reports as (

    select * from {{ ref('int_reports_versioned') }}
    {{ only_reports_to_rebuild('report_id') }}

),

shown as (

    select
        failures.*,
        coalesce(failures.observed_text, {{ display_number('failures.observed_value') }}) as observed,
        coalesce(failures.expected_text, {{ display_number('failures.expected_value') }}) as expected

    from failures

),

final as (

    select
        ---------- ids
        md5(concat_ws('|', shown.rule_id, shown.check_key, coalesce(shown.detail, ''))) as finding_id,
        shown.rule_id,
        rules.severity,
        rules.category,

        ---------- where
        shown.report_id,
        shown.fund_line,
        shown.indicator_seq,
        shown.subject,
        shown.detail,

        ---------- what was found
        shown.observed,
        shown.expected,
        round(shown.difference, 4)::decimal(18, 4) as difference,
        round(shown.tolerance, 6)::decimal(18, 6) as tolerance,
        shown.observed_value,
        shown.expected_value,
        {{ fill_template('rules.message_zh', placeholders) }} as message_zh,
        {{ fill_template('rules.message_en', placeholders) }} as message_en,

        ---------- the report, for convenience
        reports.source_file,
        reports.source_sha256,
        reports.town,
        reports.fiscal_year,
        reports.unit_name,
        reports.project_name,
        reports.is_current

    from shown
    inner join rules on shown.rule_id = rules.rule_id
    inner join reports on shown.report_id = reports.report_id

)

select * from final
