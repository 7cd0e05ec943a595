with

source as (

    select * from {{ ref('grades') }}

),

renamed as (

    select
        grade,
        grade_en,
        min_score,
        max_score_exclusive

    from source

)

select * from renamed
