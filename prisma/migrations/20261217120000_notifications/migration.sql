-- SPEC §15 notifications. One row per e-mail to send: written from the outbox events in the
-- transaction that stores them (unique per event and recipient: at most one e-mail each), then
-- claimed by the sender (FOR UPDATE SKIP LOCKED, a lease in next_attempt_at) and finished as
-- sent, suppressed (opted out), rejected (a permanent 5xx) or undeliverable (no address).
-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient_key" TEXT NOT NULL,
    "customer_id" TEXT,
    "variables" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "customer_id" TEXT NOT NULL,
    "referral_emails" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_via" TEXT NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("customer_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_event_recipient_key" ON "notifications"("event_id", "recipient_key");

-- CreateIndex
CREATE INDEX "notifications_due_idx" ON "notifications"("status", "next_attempt_at");

-- A pending reward is reminded of its expiry once (SPEC §15), by the nightly run.
-- AlterTable
ALTER TABLE "rewards" ADD COLUMN "expiry_reminded_at" TIMESTAMPTZ(3);
