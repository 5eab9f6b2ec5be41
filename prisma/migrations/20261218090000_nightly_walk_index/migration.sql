-- The nightly referral walks (expire stale pending referrals; qualify or cancel active ones) go by
-- keyset on id within one lifecycle. With (lifecycle, referred_on) and (lifecycle, activated_on)
-- PostgreSQL walked the primary key instead and read every referral (in random heap order) to find
-- the candidates: at 1 000 000 referrals, twice the whole table per run. (lifecycle, id) gives each
-- walk only the referrals in its lifecycle, in id order; the date is checked on those rows.
-- The two date indexes served only these walks: dropping them keeps the index count (and the cost
-- of every state change) one lower than before.
DROP INDEX "referrals_lifecycle_referred_on_idx";
DROP INDEX "referrals_lifecycle_activated_on_idx";
CREATE INDEX "referrals_lifecycle_id_idx" ON "referrals"("lifecycle", "id");
