{#- The grade (评分等级) of each report's printed 总分, by the bands of seeds/reference/grades.csv: the one place grades are banded. -#}

with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

grades as (

    select * from {{ ref('stg_reference__grades') }}

),

graded as (

    select
        reports.report_id,
        grades.grade as grade_from_total,
        grades.grade_en as grade_from_total_en

    from reports
    left join grades
        on
            reports.total_score >= grades.min_score
            and (reports.total_score < grades.max_score_exclusive or grades.max_score_exclusive is null)

)

select * from graded
