-- Every fraud rule evaluated on an attribution, in rule order, with its outcome (pass, flag,
-- reject), detail and evidence (SPEC §12: the explanation shows every rule, not only those that
-- fired). NULL for referrals screened before this column existed: only their findings were kept.
ALTER TABLE "fraud_screenings" ADD COLUMN "rule_evaluations" JSONB;
