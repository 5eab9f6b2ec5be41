-- Rewards guards (SPEC §6): the database itself keeps the rewards ledger honest.

-- (a) A qualified referral is consumed by exactly one reward, once: reward_id and consumed_at,
--     once set, never change, and a ledger row is never deleted. Its identity (referral,
--     referrer, qualifiedAt) never changes either.
CREATE FUNCTION "reward_qualified_referrals_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'reward_qualified_referrals rows are never deleted'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.referral_id IS DISTINCT FROM OLD.referral_id
       OR NEW.referrer_id IS DISTINCT FROM OLD.referrer_id
       OR NEW.qualified_at IS DISTINCT FROM OLD.qualified_at THEN
        RAISE EXCEPTION 'a qualified referral''s identity never changes (referral %)', OLD.referral_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.reward_id IS NOT NULL
       AND (NEW.reward_id IS DISTINCT FROM OLD.reward_id OR NEW.consumed_at IS DISTINCT FROM OLD.consumed_at) THEN
        RAISE EXCEPTION 'referral % is already consumed by reward %', OLD.referral_id, OLD.reward_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "reward_qualified_referrals_guard"
    BEFORE UPDATE OR DELETE ON "reward_qualified_referrals"
    FOR EACH ROW EXECUTE FUNCTION "reward_qualified_referrals_guard"();

-- (b) A reward leaves `pending` at most once, and only for applied/expired/revoked; a reward in a
--     final state never changes again (its credit note, applied/expired/revoked facts stay put).
--     Rewards are never deleted.
CREATE FUNCTION "rewards_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER "rewards_guard"
    BEFORE UPDATE OR DELETE ON "rewards"
    FOR EACH ROW EXECUTE FUNCTION "rewards_guard"();

CREATE TRIGGER "rewards_no_truncate"
    BEFORE TRUNCATE ON "rewards"
    FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();

CREATE TRIGGER "reward_qualified_referrals_no_truncate"
    BEFORE TRUNCATE ON "reward_qualified_referrals"
    FOR EACH STATEMENT EXECUTE FUNCTION "refuse_append_only_change"();
