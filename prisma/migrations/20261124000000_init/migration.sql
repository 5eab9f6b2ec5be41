-- CreateTable
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("actor","key")
);

-- CreateTable
CREATE TABLE "rate_limit_buckets" (
    "bucket" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "rate_limit_buckets_pkey" PRIMARY KEY ("bucket","window_start")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_inbound_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,

    CONSTRAINT "billing_inbound_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_customers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_normalized" TEXT NOT NULL,
    "phone" TEXT,
    "phone_normalized" TEXT,
    "address" TEXT,
    "address_normalized" TEXT,
    "signup_ip" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "name_changed_at" TIMESTAMPTZ(3),
    "email_changed_at" TIMESTAMPTZ(3),
    "phone_changed_at" TIMESTAMPTZ(3),
    "address_changed_at" TIMESTAMPTZ(3),

    CONSTRAINT "billing_customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_services" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "monthly_price_cents" BIGINT NOT NULL,
    "billing_day" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "activated_at" TIMESTAMPTZ(3) NOT NULL,
    "activated_on" DATE NOT NULL,
    "first_interrupted_on" DATE,
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "billing_services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_service_prices" (
    "service_id" TEXT NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "effective_on" DATE NOT NULL,
    "price_cents" BIGINT NOT NULL,

    CONSTRAINT "billing_service_prices_pkey" PRIMARY KEY ("service_id","effective_at")
);

-- CreateTable
CREATE TABLE "billing_service_status_changes" (
    "id" BIGSERIAL NOT NULL,
    "service_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "billing_service_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_invoices" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "billing_invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_notes" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "customer_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "reward_id" UUID NOT NULL,
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "amount_incl_vat_cents" BIGINT NOT NULL,
    "vat_amount_cents" BIGINT NOT NULL,
    "amount_excl_vat_cents" BIGINT NOT NULL,
    "vat_rate_basis_points" INTEGER NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_note_sequences" (
    "year" INTEGER NOT NULL,
    "last_seq" INTEGER NOT NULL,

    CONSTRAINT "credit_note_sequences_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "referral_codes" (
    "customer_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_codes_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "referrals" (
    "id" UUID NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "referred_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "source" TEXT,
    "referred_name" TEXT NOT NULL,
    "referred_email" TEXT NOT NULL,
    "referred_at" TIMESTAMPTZ(3) NOT NULL,
    "referred_on" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "review" TEXT NOT NULL DEFAULT 'none',
    "service_id" TEXT,
    "activated_at" TIMESTAMPTZ(3),
    "activated_on" DATE,
    "service_interrupted_at" TIMESTAMPTZ(3),
    "qualified_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "rejected_at" TIMESTAMPTZ(3),
    "rewarded_at" TIMESTAMPTZ(3),
    "reward_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fraud_findings" (
    "id" UUID NOT NULL,
    "referral_id" UUID NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fraud_findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fraud_screenings" (
    "referral_id" UUID NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "referred_id" TEXT NOT NULL,
    "referred_at" TIMESTAMPTZ(3) NOT NULL,
    "referred_month" TEXT NOT NULL,
    "email_normalized" TEXT NOT NULL,
    "signup_ip" TEXT,
    "outcome" TEXT NOT NULL,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by" TEXT,
    "review_decision" TEXT,
    "review_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fraud_screenings_pkey" PRIMARY KEY ("referral_id")
);

-- CreateTable
CREATE TABLE "reward_qualified_referrals" (
    "referral_id" UUID NOT NULL,
    "referrer_id" TEXT NOT NULL,
    "qualified_at" TIMESTAMPTZ(3) NOT NULL,
    "reward_id" UUID,
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "reward_qualified_referrals_pkey" PRIMARY KEY ("referral_id")
);

-- CreateTable
CREATE TABLE "rewards" (
    "id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "reward_type" TEXT NOT NULL DEFAULT 'free_month',
    "status" TEXT NOT NULL,
    "earned_at" TIMESTAMPTZ(3) NOT NULL,
    "earned_on" DATE NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_on" DATE NOT NULL,
    "manually_granted" BOOLEAN NOT NULL DEFAULT false,
    "grant_reason" TEXT,
    "granted_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "revoke_reason" TEXT,
    "revoked_by" TEXT,
    "applied_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "credit_note_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rewards_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_runs" (
    "id" UUID NOT NULL,
    "as_of" DATE NOT NULL,
    "trigger" TEXT NOT NULL,
    "dry_run" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "referrals_expired" INTEGER NOT NULL DEFAULT 0,
    "referrals_qualified" INTEGER NOT NULL DEFAULT 0,
    "referrals_cancelled" INTEGER NOT NULL DEFAULT 0,
    "rewards_earned" INTEGER NOT NULL DEFAULT 0,
    "rewards_applied" INTEGER NOT NULL DEFAULT 0,
    "rewards_expired" INTEGER NOT NULL DEFAULT 0,
    "credits_total_cents" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "actor" TEXT,

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_events_due_idx" ON "outbox_events"("next_attempt_at");

-- CreateIndex
CREATE INDEX "audit_log_customer_at_idx" ON "audit_log"("customer_id", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "billing_customers_email_norm_idx" ON "billing_customers"("email_normalized");

-- CreateIndex
CREATE INDEX "billing_customers_phone_norm_idx" ON "billing_customers"("phone_normalized");

-- CreateIndex
CREATE INDEX "billing_customers_address_norm_idx" ON "billing_customers"("address_normalized");

-- CreateIndex
CREATE INDEX "billing_services_customer_status_idx" ON "billing_services"("customer_id", "status");

-- CreateIndex
CREATE INDEX "billing_service_status_service_idx" ON "billing_service_status_changes"("service_id", "occurred_at");

-- CreateIndex
CREATE INDEX "billing_invoices_customer_status_idx" ON "billing_invoices"("customer_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_number_key" ON "credit_notes"("number");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_reward_id_key" ON "credit_notes"("reward_id");

-- CreateIndex
CREATE INDEX "credit_notes_customer_idx" ON "credit_notes"("customer_id", "issued_at");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_year_sequence_key" ON "credit_notes"("year", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_service_period_key" ON "credit_notes"("service_id", "period_start");

-- CreateIndex
CREATE UNIQUE INDEX "referral_codes_code_key" ON "referral_codes"("code");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_referred_id_key" ON "referrals"("referred_id");

-- CreateIndex
CREATE INDEX "referrals_referrer_status_idx" ON "referrals"("referrer_id", "status", "referred_at", "id");

-- CreateIndex
CREATE INDEX "referrals_referrer_referred_at_idx" ON "referrals"("referrer_id", "referred_at", "id");

-- CreateIndex
CREATE INDEX "referrals_lifecycle_referred_on_idx" ON "referrals"("lifecycle", "referred_on");

-- CreateIndex
CREATE INDEX "referrals_lifecycle_activated_on_idx" ON "referrals"("lifecycle", "activated_on");

-- CreateIndex
CREATE INDEX "referrals_review_idx" ON "referrals"("review", "referred_at", "id");

-- CreateIndex
CREATE INDEX "fraud_findings_referral_idx" ON "fraud_findings"("referral_id");

-- CreateIndex
CREATE INDEX "fraud_screenings_referrer_month_idx" ON "fraud_screenings"("referrer_id", "referred_month", "outcome");

-- CreateIndex
CREATE INDEX "fraud_screenings_referrer_at_idx" ON "fraud_screenings"("referrer_id", "referred_at");

-- CreateIndex
CREATE INDEX "fraud_screenings_email_idx" ON "fraud_screenings"("email_normalized");

-- CreateIndex
CREATE INDEX "fraud_screenings_ip_idx" ON "fraud_screenings"("signup_ip", "referred_at");

-- CreateIndex
CREATE INDEX "fraud_screenings_outcome_idx" ON "fraud_screenings"("outcome", "referred_at", "referral_id");

-- CreateIndex
CREATE INDEX "reward_qualified_referrer_idx" ON "reward_qualified_referrals"("referrer_id", "qualified_at", "referral_id");

-- CreateIndex
CREATE INDEX "rewards_customer_status_idx" ON "rewards"("customer_id", "status", "earned_at", "id");

-- CreateIndex
CREATE INDEX "rewards_status_expires_idx" ON "rewards"("status", "expires_on");

-- CreateIndex
CREATE INDEX "reconciliation_runs_started_idx" ON "reconciliation_runs"("started_at" DESC, "id" DESC);

-- ═══════════════════════════════════════════════════════════════════════════════════════
-- Hand-written additions below. Prisma's schema language cannot express these, so they are
-- not in prisma/schema.prisma; `prisma migrate diff` ignores triggers and check constraints,
-- so they cause no drift. test/schema-parity.test.ts checks that they hold.
-- ═══════════════════════════════════════════════════════════════════════════════════════

-- (a) Append-only tables ------------------------------------------------------------------
-- audit_log and credit_notes are never changed or deleted: the database refuses UPDATE,
-- DELETE (row triggers) and TRUNCATE (statement triggers), whoever asks.

CREATE FUNCTION "refuse_append_only_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "audit_log_append_only"
    BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();

CREATE TRIGGER "audit_log_no_truncate"
    BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();

CREATE TRIGGER "credit_notes_append_only"
    BEFORE UPDATE OR DELETE ON "credit_notes"
    FOR EACH ROW EXECUTE FUNCTION "refuse_append_only_change"();

CREATE TRIGGER "credit_notes_no_truncate"
    BEFORE TRUNCATE ON "credit_notes"
    FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();

-- (b) Check constraints on money and numbering ------------------------------------------

ALTER TABLE "credit_notes"
    ADD CONSTRAINT "credit_notes_amounts_non_negative_check"
        CHECK ("amount_incl_vat_cents" >= 0 AND "vat_amount_cents" >= 0 AND "amount_excl_vat_cents" >= 0),
    ADD CONSTRAINT "credit_notes_amounts_add_up_check"
        CHECK ("amount_excl_vat_cents" + "vat_amount_cents" = "amount_incl_vat_cents"),
    ADD CONSTRAINT "credit_notes_vat_rate_check"
        CHECK ("vat_rate_basis_points" BETWEEN 0 AND 10000),
    ADD CONSTRAINT "credit_notes_sequence_positive_check"
        CHECK ("sequence" >= 1),
    ADD CONSTRAINT "credit_notes_period_check"
        CHECK ("period_end" >= "period_start");

ALTER TABLE "credit_note_sequences"
    ADD CONSTRAINT "credit_note_sequences_last_seq_check" CHECK ("last_seq" >= 0);

ALTER TABLE "billing_services"
    ADD CONSTRAINT "billing_services_price_non_negative_check" CHECK ("monthly_price_cents" >= 0);

ALTER TABLE "billing_service_prices"
    ADD CONSTRAINT "billing_service_prices_price_non_negative_check" CHECK ("price_cents" >= 0);

ALTER TABLE "reconciliation_runs"
    ADD CONSTRAINT "reconciliation_runs_credits_non_negative_check" CHECK ("credits_total_cents" >= 0);

-- A qualified referral is consumed by exactly one reward: both set or both unset.
ALTER TABLE "reward_qualified_referrals"
    ADD CONSTRAINT "reward_qualified_referrals_consumed_check"
        CHECK (("reward_id" IS NULL) = ("consumed_at" IS NULL));

-- States documented in prisma/schema.prisma.
ALTER TABLE "rewards"
    ADD CONSTRAINT "rewards_status_check"
        CHECK ("status" IN ('pending', 'applied', 'expired', 'revoked'));

ALTER TABLE "fraud_findings"
    ADD CONSTRAINT "fraud_findings_outcome_check" CHECK ("outcome" IN ('reject', 'flag'));

ALTER TABLE "fraud_screenings"
    ADD CONSTRAINT "fraud_screenings_outcome_check" CHECK ("outcome" IN ('accepted', 'flagged', 'rejected'));

ALTER TABLE "referrals"
    ADD CONSTRAINT "referrals_review_check"
        CHECK ("review" IN ('none', 'flagged', 'approved', 'rejected'));

ALTER TABLE "referrals"
    ADD CONSTRAINT "referrals_status_check"
        CHECK ("status" IN ('pending', 'active', 'qualified', 'rewarded', 'expired', 'cancelled', 'flagged', 'rejected'));

ALTER TABLE "reconciliation_runs"
    ADD CONSTRAINT "reconciliation_runs_status_check" CHECK ("status" IN ('running', 'succeeded', 'failed')),
    ADD CONSTRAINT "reconciliation_runs_trigger_check" CHECK ("trigger" IN ('schedule', 'manual', 'cli'));
