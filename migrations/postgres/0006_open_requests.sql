-- The requests of an account that can still move (not completed, rejected, cancelled or
-- failed). Every hold lifted, payment received or evidence recorded re-runs the checks of
-- these, so the lookup must not walk the account's whole request history.
CREATE INDEX requests_open ON requests (tenant_id, account_id, created_at, id)
  WHERE state IN ('received', 'verifying', 'awaiting_customer', 'awaiting_approval',
                  'awaiting_payment', 'approved', 'provisioning');
