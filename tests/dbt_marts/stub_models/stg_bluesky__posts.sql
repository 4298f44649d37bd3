{#- Stand-in for staging: the world's posts; the brand's own account is the `author` feed. -#}
select
    uri                                             as post_uri,
    case when author.handle = (select brand.bluesky_handle
                               from read_json('{{ env_var("STUB_WORLD_DIR") }}/manifest.json'))
         then 'author' else 'search' end                                      as feed,
    record.text                                     as post_text,
    likeCount                                       as like_count,
    repostCount                                     as repost_count,
    replyCount                                      as reply_count,
    quoteCount                                      as quote_count,
    cast(record.createdAt as timestamp)             as created_at
from read_json('{{ env_var("STUB_WORLD_DIR") }}/bluesky/posts.jsonl',
               columns = {uri: 'varchar', author: 'struct(handle varchar)', record: 'struct(text varchar, createdAt varchar)',
                          likeCount: 'integer', repostCount: 'integer', replyCount: 'integer', quoteCount: 'integer'})
