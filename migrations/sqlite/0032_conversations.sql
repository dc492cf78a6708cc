-- The chat and IVR assistant's conversations and their turns (app/conversations/,
-- docs/ASSISTANT.md). account_id is set once a one-time code proved who the customer is;
-- claimed_account_id is the account a code was sent for meanwhile. A turn's text is sealed
-- (under the data key of subject_id: the account's, or the conversation's own before the
-- account is known); only the intent matched is in clear. sentiment_milli is left for a
-- scorer of the customer's words, in thousandths.
CREATE TABLE conversations (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id TEXT NOT NULL,
  account_id TEXT NOT NULL DEFAULT '',
  claimed_account_id TEXT NOT NULL DEFAULT '',
  code_channel TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  locale TEXT NOT NULL,
  state TEXT NOT NULL,
  wanted TEXT NOT NULL DEFAULT '',
  offered_type TEXT NOT NULL DEFAULT '',
  options TEXT NOT NULL DEFAULT '',
  unmatched INTEGER NOT NULL DEFAULT 0,
  code_failures INTEGER NOT NULL DEFAULT 0,
  turns INTEGER NOT NULL DEFAULT 0,
  request_id TEXT NOT NULL DEFAULT '',
  handover_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;

CREATE TABLE conversation_turns (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  conversation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  who TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  text_sealed BLOB NOT NULL,
  intent TEXT NOT NULL DEFAULT '',
  sentiment_milli INTEGER,
  at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, conversation_id, seq),
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id)
) WITHOUT ROWID;
