with

source as (

    select * from {{ ref('fund_lines') }}

),

renamed as (

    select
        fund_line,
        label_zh as fund_line_label,
        label_en as fund_line_label_en,
        sort_order,
        applies_to,
        printed_as

    from source

)

select * from renamed
