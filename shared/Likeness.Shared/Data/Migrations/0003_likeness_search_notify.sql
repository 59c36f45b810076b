-- Every committed change to likeness_search, by this app or any other writer, is announced on
-- channel likeness_search_changed so that each instance's in-memory read model can re-read the
-- changed rows. Statement-level triggers with transition tables send one notification per
-- statement, so a bulk write or COPY costs one notification, not one per row. The payload is a
-- JSON array of the changed account ids; when it would not fit PostgreSQL's 8000-byte payload
-- limit it is '*', which tells listeners to reload the whole table. Notifications are delivered
-- at commit, and never for a rolled-back change.
CREATE FUNCTION likeness_search_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    ids := '*';
  ELSIF TG_OP = 'INSERT' THEN
    SELECT json_agg(DISTINCT account_id)::text INTO ids FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT json_agg(DISTINCT account_id)::text INTO ids FROM old_rows;
  ELSE
    -- An update may move a row to another account id: both ids changed.
    SELECT json_agg(DISTINCT account_id)::text INTO ids
    FROM (SELECT account_id FROM new_rows UNION SELECT account_id FROM old_rows) changed;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM pg_notify('likeness_search_changed', CASE WHEN octet_length(ids) > 7900 THEN '*' ELSE ids END);
  END IF;
  RETURN NULL;
END;
$$;

-- A trigger with transition tables may have one event only, hence one trigger per event.
CREATE TRIGGER likeness_search_notify_insert AFTER INSERT ON likeness_search
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION likeness_search_notify();
CREATE TRIGGER likeness_search_notify_update AFTER UPDATE ON likeness_search
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION likeness_search_notify();
CREATE TRIGGER likeness_search_notify_delete AFTER DELETE ON likeness_search
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION likeness_search_notify();
CREATE TRIGGER likeness_search_notify_truncate AFTER TRUNCATE ON likeness_search
  FOR EACH STATEMENT EXECUTE FUNCTION likeness_search_notify();
