-- SPEC §16: erasure of a customer's personal data (POPIA s24) and the retention job.

-- When a customer's personal data was erased. Set once; a billing event that happened before it
-- never brings the data back (each field's last-writer time is set to it), a later one may.
ALTER TABLE "billing_customers" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- An erased customer's code no longer resolves (public check, attribution); the row stays so the
-- referrals made with it keep their code and still count for the referrer.
ALTER TABLE "referral_codes" ADD COLUMN "erased_at" TIMESTAMPTZ(3);

-- Retention: inbound event payloads are removed after RETENTION_INBOUND_PAYLOAD_DAYS; the ids stay
-- (de-duplication). Deliveries and completed idempotency keys are found by their time.
ALTER TABLE "billing_inbound_events" ALTER COLUMN "payload" DROP NOT NULL;
CREATE INDEX "billing_inbound_events_received_idx" ON "billing_inbound_events"("received_at");
CREATE INDEX "outbox_events_delivered_idx" ON "outbox_events"("delivered_at");
CREATE INDEX "idempotency_keys_completed_idx" ON "idempotency_keys"("completed_at");
CREATE INDEX "rate_limit_buckets_window_idx" ON "rate_limit_buckets"("window_start");

-- ═══════════════════════════════════════════════════════════════════════════════════════
-- Hand-written: the audit log stays append-only, except that an erasure may blank the personal
-- data in an entry's reason and before/after values. Only a transaction that says so
-- (SET LOCAL circletel.erasure = 'on') may, and it may change nothing else: who, what, when and
-- on which subject stay as written. DELETE and TRUNCATE stay refused.
-- ═══════════════════════════════════════════════════════════════════════════════════════
CREATE FUNCTION "audit_log_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('circletel.erasure', true), '') = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action
       AND NEW.customer_id = OLD.customer_id AND NEW.subject_id = OLD.subject_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

DROP TRIGGER "audit_log_append_only" ON "audit_log";
CREATE TRIGGER "audit_log_append_only"
    BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "audit_log_guard"();

-- Rewards keep their guard (a final state never changes, identity never changes), except that an
-- erasure may blank personal data in the grant and revoke reasons.
CREATE OR REPLACE FUNCTION "rewards_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- An erasure (SPEC §16) may blank personal data an admin wrote in a reason, whatever the state.
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('circletel.erasure', true), '') = 'on'
       AND (to_jsonb(NEW) - 'grant_reason' - 'revoke_reason') = (to_jsonb(OLD) - 'grant_reason' - 'revoke_reason') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'rewards are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'reward % is % and can no longer change', OLD.id, OLD.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
       OR NEW.earned_at IS DISTINCT FROM OLD.earned_at OR NEW.earned_on IS DISTINCT FROM OLD.earned_on
       OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.expires_on IS DISTINCT FROM OLD.expires_on
       OR NEW.manually_granted IS DISTINCT FROM OLD.manually_granted THEN
        RAISE EXCEPTION 'reward % identity never changes', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.status = 'applied' AND (NEW.credit_note_id IS NULL OR NEW.applied_at IS NULL) THEN
        RAISE EXCEPTION 'an applied reward needs its credit note and applied_at' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

