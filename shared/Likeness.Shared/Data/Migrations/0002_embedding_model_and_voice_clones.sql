-- Which model made each vector: vectors of two models must never be compared. Rows written before
-- this column existed are of an unknown model (NULL), so they count as another model's: left out
-- of semantic search and re-embedded on the account's next index (or by `reindex --stale-model`).
ALTER TABLE likeness_search_vector ADD COLUMN embedding_model text;

-- Each voice asset has its own ElevenLabs clone (eleven_labs ||--o| likeness_assets: "voiceId
-- linked to"). The asset names the clone; deleting the clone unlinks the asset, which the next
-- index then clones again.
ALTER TABLE likeness_assets ADD COLUMN voice_id text;
ALTER TABLE likeness_assets ADD CONSTRAINT likeness_assets_voice_fk
  FOREIGN KEY (account_id, voice_id) REFERENCES eleven_labs (account_id, voice_id) ON DELETE SET NULL (voice_id);
CREATE UNIQUE INDEX likeness_assets_one_asset_per_voice
  ON likeness_assets (account_id, voice_id) WHERE voice_id IS NOT NULL;

-- Before, one clone per account was made from its oldest voice asset and its sample written to
-- every voice asset. That clone stays with the oldest asset showing its sample; the account's
-- other voice assets are unlinked, so the next index gives each a clone and a sample of its own.
WITH owner AS (
  SELECT DISTINCT ON (a.account_id, v.voice_id) a.id AS asset_id, v.voice_id
  FROM likeness_assets a
  JOIN eleven_labs v ON v.account_id = a.account_id AND v.voice_example = a.voice_sample_url
  WHERE a.type = 'VOICE'
  ORDER BY a.account_id, v.voice_id, a.created_at, a.id
)
UPDATE likeness_assets a SET voice_id = owner.voice_id FROM owner WHERE a.id = owner.asset_id;
UPDATE likeness_assets SET voice_sample_url = NULL WHERE type = 'VOICE' AND voice_id IS NULL;
