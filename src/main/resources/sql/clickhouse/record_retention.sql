-- Records that a tier answers from kept_from on, expired more rows having gone; written before
-- they go (max and sum fold the rows of every pass).
INSERT INTO wiki_retention (tier, kept_from, expired)
SELECT {tier:String}, fromUnixTimestamp64Milli({kept_from:Int64}, 'UTC'), {expired:UInt64};
