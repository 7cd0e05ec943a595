with

source as (

    select * from {{ ref('parsed_indicators') }}

),

renamed as (

    select
        ---------- ids
        report_id,
        indicator_seq,

        ---------- classification
        level1,
        level2,
        indicator_name,

        ---------- target and actual, parsed
        target_op,
        target_value,
        target_unit,
        actual_value,
        actual_unit,

        ---------- points
        weight,
        score,

        ---------- as printed
        target_text,
        actual_text,
        weight_text,
        score_text,
        deviation_note,
        criteria_note,

        ---------- metadata
        line_no,
        page

    from source

)

select * from renamed
