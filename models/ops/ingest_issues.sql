with

issues as (

    select * from {{ ref('stg_reports__parse_issues') }}

)

select
    source_file,
    line_no,
    severity,
    message,
    issue_code

from issues
