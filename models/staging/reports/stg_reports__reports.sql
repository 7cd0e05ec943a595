with

source as (

    select * from {{ ref('parsed_reports') }}

),

renamed as (

    select
        ---------- ids
        report_id,
        source_file,
        source_sha256,
        report_ordinal,

        ---------- the evaluated unit
        doc_kind,
        fiscal_year,
        district,
        town,
        unit_name,
        supervisor,
        project_name,
        amount_unit,

        ---------- totals as printed
        total_weight,
        total_score,
        grade,
        budget_execution_weight,
        budget_execution_score,
        total_weight_text,
        total_score_text,

        ---------- text
        goal_text,
        result_text,

        ---------- metadata
        line_no as title_line_no

    from source

)

select * from renamed
