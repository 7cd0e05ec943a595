with

source as (

    select * from {{ ref('dq_rules') }}

),

renamed as (

    select
        rule_id,
        severity,
        category,
        grain,
        checked_by,
        tolerance,
        threshold,
        description_zh,
        description_en,
        message_zh,
        message_en

    from source

)

select * from renamed
