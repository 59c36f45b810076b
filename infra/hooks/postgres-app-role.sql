-- What the app's PostgreSQL role may do in its database, run by an administrator in that database
-- (infra/hooks/postprovision.sh in Azure; tests/LikenessFunctions.Tests runs it on the local
-- cluster). psql variables: app_role (the role, which must exist) and database.
--
-- The app applies its own migrations at start-up, so it creates, and therefore owns, every table,
-- type and index of its schema; it needs no right on anything else. Idempotent.

\set ON_ERROR_STOP on

-- Creating an extension needs an administrator (in Azure, a member of azure_pg_admin, and only for
-- extensions listed in azure.extensions). Created here, the migrations' CREATE EXTENSION IF NOT
-- EXISTS vector finds it and does nothing; the app uses its types and operators as any role may.
CREATE EXTENSION IF NOT EXISTS vector;

GRANT CONNECT ON DATABASE :"database" TO :"app_role";
-- USAGE to find objects, CREATE to make the app's own; PostgreSQL 15+ gives PUBLIC neither CREATE.
GRANT USAGE, CREATE ON SCHEMA public TO :"app_role";
