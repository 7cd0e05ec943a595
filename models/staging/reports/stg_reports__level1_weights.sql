with

source as (

    select * from {{ ref('parsed_level1_weights') }}

),

renamed as (

    select
        ---------- ids
        report_id,
        level1,

        ---------- points
        weight as level1_weight,
        weight_text as level1_weight_text,

        ---------- metadata
        line_no

    from source

)

select * from renamed
