-- Every state change of a referral and every fact it was judged by, with its source (the billing
-- event, the reconciliation run or the admin): the explanation of SPEC §12, replayed from here.
CREATE TABLE "referral_history" (
    "id" BIGSERIAL NOT NULL,
    "referral_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT,
    "source_event_id" TEXT,
    "run_id" UUID,
    "actor" TEXT,
    "detail" JSONB,

    CONSTRAINT "referral_history_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "referral_history_referral_idx" ON "referral_history"("referral_id", "id");

-- Why a referral ended where it did, in the customer-safe words of SPEC §12.
ALTER TABLE "referrals" ADD COLUMN "status_reason" TEXT;

-- Invoice status history: good standing "as that day ends" for any past day (SPEC §6, runs replay).
CREATE TABLE "billing_invoice_status_changes" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "billing_invoice_status_changes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "billing_invoice_status_changes_customer_idx" ON "billing_invoice_status_changes"("customer_id", "occurred_at");
INSERT INTO "billing_invoice_status_changes" ("invoice_id", "customer_id", "status", "occurred_at")
SELECT "id", "customer_id", "status", "updated_at" FROM "billing_invoices";

-- Every credit note reconciles to the run that issued it (SPEC §8).
ALTER TABLE "credit_notes" ADD COLUMN "run_id" UUID;
CREATE INDEX "credit_notes_run_idx" ON "credit_notes"("run_id");

-- The step a run is in, kept up to date as it goes (SPEC §8).
ALTER TABLE "reconciliation_runs" ADD COLUMN "step" TEXT;

-- When an Idempotency-Key's request completed (retention keeps completed keys for a day).
ALTER TABLE "idempotency_keys" ADD COLUMN "completed_at" TIMESTAMPTZ(3);
