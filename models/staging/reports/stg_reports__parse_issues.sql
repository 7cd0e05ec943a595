with

source as (

    select * from {{ ref('parsed_issues') }}

),

renamed as (

    select
        ---------- where
        source_file,
        line_no,

        ---------- what
        severity,
        issue_code,
        message

    from source

)

select * from renamed
