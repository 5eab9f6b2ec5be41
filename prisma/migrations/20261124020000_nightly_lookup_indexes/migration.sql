-- The rewards of a customer list the referrals each consumed (ListRewardsOfCustomer):
-- look them up by reward_id without scanning the ledger (found by bench/query-plans.ts).
CREATE INDEX "reward_qualified_reward_idx" ON "reward_qualified_referrals"("reward_id");

-- The nightly cancel step looks for active referrals whose service was interrupted: a range on
-- service_interrupted_at within lifecycle = 'active' (NULLs sort last, so the range skips the
-- uninterrupted majority) instead of reading every active referral (found by bench/README.md).
CREATE INDEX "referrals_lifecycle_interrupted_idx" ON "referrals"("lifecycle", "service_interrupted_at");
