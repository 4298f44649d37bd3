{#- Stand-in for staging: the world's review files with the staging column names. -#}
select
    reviewId                                        as review_id,
    regexp_extract(name, '^(accounts/[^/]+/locations/[^/]+)', 1) as google_location_name,
    regexp_extract(name, 'locations/([^/]+)', 1)    as google_location_id,
    case starRating when 'ONE' then 1 when 'TWO' then 2 when 'THREE' then 3 when 'FOUR' then 4 when 'FIVE' then 5 end
                                                    as star_rating,
    comment,
    reviewReply.comment                             as reply_comment,
    cast(createTime as timestamp)                   as created_at,
    cast(updateTime as timestamp)                   as updated_at
from read_json('{{ env_var("STUB_WORLD_DIR") }}/google/reviews.jsonl',
               columns = {name: 'varchar', reviewId: 'varchar', starRating: 'varchar', comment: 'varchar',
                          reviewReply: 'struct(comment varchar)', createTime: 'varchar', updateTime: 'varchar'})
