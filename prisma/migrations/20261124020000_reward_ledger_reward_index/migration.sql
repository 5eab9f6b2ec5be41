-- The rewards of a customer list the referrals each consumed (ListRewardsOfCustomer):
-- look them up by reward_id without scanning the ledger (found by bench/query-plans.ts).
CREATE INDEX "reward_qualified_reward_idx" ON "reward_qualified_referrals"("reward_id");
