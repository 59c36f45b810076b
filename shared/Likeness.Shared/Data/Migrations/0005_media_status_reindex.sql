-- Search shows only servable media, and an account whose profile image is not COMPLETE fails the
-- base requirements. The platform's upload service changes media.status directly, so the database
-- itself reacts: when a file stops being servable, the accounts showing it as their profile image
-- leave both search tables at once (the in-memory read models hear of it through
-- likeness_search's own trigger); and every account that shows the file anywhere gets an indexing
-- event, so the indexer settles the rest (an account whose image became COMPLETE comes back, and
-- an index run that raced this change is redone). An event that has yet to run re-reads
-- everything anyway, so none is added beside it; one IN_PROGRESS may have read the old status.
CREATE FUNCTION media_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'COMPLETE' THEN
    DELETE FROM likeness_search s USING account a
      WHERE a.image_url = NEW.filename AND s.account_id = a.id;
    DELETE FROM likeness_search_vector v USING account a
      WHERE a.image_url = NEW.filename AND v.account_id = a.id;
  END IF;

  INSERT INTO likeness_need_indexing_queue (id, account_id, element_type, info)
  SELECT 'media-' || replace(gen_random_uuid()::text, '-', ''),
         affected.account_id, 'IMAGE_ASSET',
         jsonb_build_object('source', 'media-status', 'filename', NEW.filename, 'status', NEW.status)
  FROM (
    SELECT id AS account_id FROM account WHERE image_url = NEW.filename
    UNION
    SELECT account_id FROM likeness_assets WHERE content_url = NEW.filename OR voice_sample_url = NEW.filename
  ) affected
  WHERE NOT EXISTS (
    SELECT 1 FROM likeness_need_indexing_queue q
    WHERE q.account_id = affected.account_id AND q.status IN ('PENDING', 'AWAITING_RETRY', 'TIMEOUT'));
  RETURN NULL;
END $$;

CREATE TRIGGER media_status_changed
  AFTER UPDATE OF status ON media
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION media_status_changed();
