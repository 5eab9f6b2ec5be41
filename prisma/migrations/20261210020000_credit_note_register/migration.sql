-- The credit-note register and the programme report read credit notes by the moment they were
-- issued (a period of SAST dates), not by customer.
CREATE INDEX "credit_notes_issued_at_idx" ON "credit_notes"("issued_at");
