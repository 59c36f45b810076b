-- HNSW build parameters of the embedding index. pgvector's defaults (m = 16, ef_construction = 64)
-- reach recall@20 0.80 at ef_search 100 on 100,000 catalogue accounts, whose embeddings share most
-- of their words and so lie close together; a denser graph built with a wider candidate list finds
-- the true neighbours at the same ef_search (tests/Likeness.Benchmarks `recall`, see the README).
--
-- The new index is built beside the old one and swapped in at the end: building takes a SHARE
-- lock, so searches keep using the old index meanwhile (writes to likeness_search_vector wait), and
-- only the final drop and rename take the exclusive lock, briefly. Running it again changes
-- nothing once the index has these parameters.
SET LOCAL maintenance_work_mem = '1GB';

DO $$
BEGIN
  IF NOT EXISTS (
      SELECT 1 FROM pg_class
      WHERE relname = 'likeness_search_vector_embedding_idx' AND relkind = 'i'
        AND reloptions @> ARRAY['m=32', 'ef_construction=128']) THEN
    DROP INDEX IF EXISTS likeness_search_vector_embedding_tuned_idx;
    CREATE INDEX likeness_search_vector_embedding_tuned_idx
      ON likeness_search_vector USING hnsw (embedding vector_cosine_ops) WITH (m = 32, ef_construction = 128);
    DROP INDEX IF EXISTS likeness_search_vector_embedding_idx;
    ALTER INDEX likeness_search_vector_embedding_tuned_idx RENAME TO likeness_search_vector_embedding_idx;
  END IF;
END
$$;
