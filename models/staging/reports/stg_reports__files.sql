with

source as (

    select * from {{ ref('parsed_files') }}

),

renamed as (

    select
        ---------- ids
        source_file,
        source_sha256,

        ---------- file
        size_bytes,
        file_modified_at,
        encoding,
        doc_kinds,
        detected_format,
        reader,

        ---------- outcome
        status,
        skip_reason,
        reports as report_count,

        ---------- metadata
        parser_version

    from source

)

select * from renamed
