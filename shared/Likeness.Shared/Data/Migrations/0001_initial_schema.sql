-- Likeness Search schema, matching the platform's shared database description
-- (tables, snake_case columns, enum types, keys and indexes).

CREATE EXTENSION IF NOT EXISTS vector;

-- Enum types --------------------------------------------------------------------------

CREATE TYPE likeness_search_category AS ENUM (
  'MODELS', 'ACTORS', 'MUSICIANS', 'ATHLETES', 'INFLUENCERS', 'CREATORS', 'VOICE_ARTISTS',
  'DANCERS', 'COMEDIANS', 'PRESENTERS', 'OTHER');
CREATE TYPE likeness_search_gender AS ENUM ('MALE', 'FEMALE', 'NON_BINARY');
CREATE TYPE likeness_search_country AS ENUM (
  'USA', 'UK', 'CANADA', 'AUSTRALIA', 'IRELAND', 'GERMANY', 'FRANCE', 'SPAIN', 'ITALY',
  'NETHERLANDS', 'SWEDEN', 'POLAND', 'BRAZIL', 'MEXICO', 'ARGENTINA', 'COLOMBIA', 'INDIA',
  'JAPAN', 'SOUTH_KOREA', 'CHINA', 'PHILIPPINES', 'NIGERIA', 'SOUTH_AFRICA', 'UAE', 'ISRAEL',
  'OTHER');
CREATE TYPE likeness_search_target_audience AS ENUM (
  'AGE_18_35', 'AGE_35_55', 'AGE_55_PLUS', 'LUXURY', 'MASS_MARKET', 'FITNESS', 'FAMILY',
  'GAMING', 'TECH', 'BUSINESS');
CREATE TYPE likeness_search_content_niche AS ENUM (
  'FASHION', 'FITNESS', 'BEAUTY', 'LIFESTYLE', 'TRAVEL', 'FOOD', 'GAMING', 'TECH', 'MUSIC',
  'COMEDY', 'EDUCATION', 'SPORTS', 'PARENTING', 'BUSINESS', 'ART', 'OTHER');
CREATE TYPE likeness_search_primary_platform AS ENUM (
  'INSTAGRAM', 'TIKTOK', 'TWITTER', 'YOUTUBE', 'LINKEDIN', 'FACEBOOK', 'TWITCH', 'SNAPCHAT',
  'ONLYFANS');
CREATE TYPE account_social_links_platform AS ENUM (
  'INSTAGRAM', 'TIKTOK', 'TWITTER', 'YOUTUBE', 'LINKEDIN', 'FACEBOOK', 'TWITCH', 'SNAPCHAT',
  'ONLYFANS');
CREATE TYPE likeness_search_body_type AS ENUM (
  'SLIM', 'ATHLETIC', 'MUSCULAR', 'AVERAGE', 'CURVY', 'PLUS_SIZE', 'PETITE');
CREATE TYPE likeness_search_hair_color AS ENUM (
  'BLACK', 'BROWN', 'BLONDE', 'RED', 'AUBURN', 'GRAY', 'WHITE', 'COLORED', 'BALD');
CREATE TYPE likeness_search_hair_length AS ENUM ('SHORT', 'MEDIUM', 'LONG', 'VERY_LONG');
CREATE TYPE likeness_search_hair_type AS ENUM ('STRAIGHT', 'CURLY', 'WAVY', 'KINKY');
CREATE TYPE likeness_search_eye_color AS ENUM (
  'BLUE', 'BROWN', 'GREEN', 'HAZEL', 'GRAY', 'AMBER', 'BLACK');
CREATE TYPE likeness_search_skin_color AS ENUM (
  'FAIR', 'LIGHT', 'MEDIUM', 'OLIVE', 'TAN', 'BROWN', 'DARK');
CREATE TYPE likeness_search_ethnicity AS ENUM (
  'CAUCASIAN', 'AFRICAN_AMERICAN', 'AFRICAN', 'ASIAN', 'SOUTH_ASIAN', 'HISPANIC',
  'MIDDLE_EASTERN', 'PACIFIC_ISLANDER', 'NATIVE_AMERICAN', 'MIXED', 'OTHER');
CREATE TYPE likeness_search_face_shape AS ENUM (
  'OVAL', 'ROUND', 'SQUARE', 'HEART', 'OBLONG', 'DIAMOND', 'TRIANGLE');
CREATE TYPE likeness_search_facial_hair AS ENUM (
  'CLEAN_SHAVEN', 'STUBBLE', 'BEARD_SHORT', 'BEARD_FULL', 'MUSTACHE', 'GOATEE');
CREATE TYPE likeness_search_voice_pitch AS ENUM ('VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW', 'VERY_LOW');
CREATE TYPE likeness_search_voice_tone AS ENUM (
  'WARM', 'AUTHORITATIVE', 'FRIENDLY', 'ENERGETIC', 'CALM', 'RASPY', 'SOFT', 'PROFESSIONAL',
  'PLAYFUL');
CREATE TYPE likeness_search_accent AS ENUM (
  'AMERICAN_GENERAL', 'AMERICAN_SOUTHERN', 'BRITISH_RP', 'BRITISH_REGIONAL', 'AUSTRALIAN',
  'CANADIAN', 'IRISH', 'SCOTTISH', 'INDIAN', 'SOUTH_AFRICAN', 'FRENCH', 'GERMAN', 'SPANISH',
  'LATIN_AMERICAN', 'NEUTRAL', 'OTHER');
CREATE TYPE likeness_search_language AS ENUM (
  'ENGLISH', 'SPANISH', 'FRENCH', 'GERMAN', 'ITALIAN', 'PORTUGUESE', 'DUTCH', 'POLISH',
  'RUSSIAN', 'CHINESE', 'JAPANESE', 'KOREAN', 'HINDI', 'ARABIC', 'HEBREW', 'OTHER');
CREATE TYPE likeness_need_indexing_queue_element_type AS ENUM (
  'IMAGE_ASSET', 'VOICE_ASSET', 'VOICE_TERM', 'IMAGE_TERM', 'LIKENESS_TERM',
  'PROFILE_DESCRIPTION', 'SOCIAL_DATA');
CREATE TYPE likeness_need_indexing_queue_status AS ENUM (
  'PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'DISCARDED', 'TIMEOUT', 'AWAITING_RETRY');
CREATE TYPE likeness_assets_type AS ENUM ('IMAGE', 'VOICE');
CREATE TYPE media_status AS ENUM ('UPLOADING', 'COMPLETE', 'SOFT_DELETE', 'DELETE');
-- Supporting: the kinds and states of IP terms the indexer checks.
CREATE TYPE ip_terms_type AS ENUM ('LIKENESS', 'IMAGE', 'VOICE_OVER');
CREATE TYPE ip_terms_status AS ENUM ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'REVOKED');

-- Supporting tables -----------------------------------------------------------------

CREATE TABLE account (
  id text PRIMARY KEY,
  slug text NOT NULL,
  display_name text,
  image_url text,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_slug_unique ON account (slug);

CREATE TABLE ip_terms (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  type ip_terms_type NOT NULL,
  status ip_terms_status NOT NULL DEFAULT 'DRAFT',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ip_terms_account_id_idx ON ip_terms (account_id);

-- Core tables ---------------------------------------------------------------------

CREATE TABLE likeness_assets (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  type likeness_assets_type NOT NULL,
  content_url text NOT NULL,
  search_tags jsonb,
  voice_sample_url text,
  tag_attempt_count integer NOT NULL DEFAULT 0,
  tag_last_attempt_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX likeness_assets_account_id_idx ON likeness_assets (account_id);

CREATE TABLE likeness_search (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  category likeness_search_category,
  gender likeness_search_gender,
  country likeness_search_country,
  target_audience likeness_search_target_audience,
  number_of_followers bigint,
  primary_platform likeness_search_primary_platform,
  is_verified boolean,
  content_niche likeness_search_content_niche,
  engagement_rate double precision,
  birth_year integer,
  height integer,
  weight integer,
  body_type likeness_search_body_type,
  hair_color likeness_search_hair_color,
  hair_length likeness_search_hair_length,
  hair_type likeness_search_hair_type,
  eye_color likeness_search_eye_color,
  skin_color likeness_search_skin_color,
  ethnicity likeness_search_ethnicity,
  face_shape likeness_search_face_shape,
  facial_hair likeness_search_facial_hair,
  wear_glasses boolean,
  has_tattoos boolean,
  has_piercings boolean,
  voice_pitch likeness_search_voice_pitch,
  voice_tone likeness_search_voice_tone,
  accent likeness_search_accent,
  primary_language likeness_search_language,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT likeness_search_account_id_unique UNIQUE (account_id)
);

CREATE TABLE likeness_search_vector (
  account_id text PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  content text NOT NULL,
  embedding vector(1536) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX likeness_search_vector_embedding_idx
  ON likeness_search_vector USING hnsw (embedding vector_cosine_ops);

CREATE TABLE likeness_need_indexing_queue (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  element_type likeness_need_indexing_queue_element_type NOT NULL,
  element_id text,
  status likeness_need_indexing_queue_status NOT NULL DEFAULT 'PENDING',
  info jsonb,
  retry_count integer NOT NULL DEFAULT 0,
  retry_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX likeness_need_indexing_queue_status_created_at_idx
  ON likeness_need_indexing_queue (status, created_at);
CREATE INDEX likeness_need_indexing_queue_account_id_status_idx
  ON likeness_need_indexing_queue (account_id, status);
CREATE INDEX likeness_need_indexing_queue_status_retry_at_idx
  ON likeness_need_indexing_queue (status, retry_at);
-- The database itself guarantees that an account is never worked on by two workers.
CREATE UNIQUE INDEX likeness_need_indexing_queue_one_in_progress_per_account
  ON likeness_need_indexing_queue (account_id) WHERE status = 'IN_PROGRESS';

CREATE TABLE account_social_links (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  platform account_social_links_platform NOT NULL,
  url text NOT NULL,
  followers_count bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT account_social_links_account_id_platform_unique UNIQUE (account_id, platform)
);

CREATE TABLE scrapes (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  linkhash text NOT NULL,
  link text NOT NULL,
  name text,
  avatar text,
  followers bigint,
  error text,
  raw_data jsonb,
  attempt_count integer NOT NULL DEFAULT 0,
  last_attempt_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT scrapes_account_id_linkhash_unique UNIQUE (account_id, linkhash)
);
CREATE INDEX scrapes_account_id_idx ON scrapes (account_id);

CREATE TABLE eleven_labs (
  account_id text NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  voice_id text NOT NULL,
  model_id text,
  stability integer CHECK (stability BETWEEN 0 AND 100),
  similarity_boost integer CHECK (similarity_boost BETWEEN 0 AND 100),
  style integer CHECK (style BETWEEN 0 AND 100),
  use_speaker_boost boolean,
  voice_title text,
  voice_example text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT eleven_labs_account_id_voice_id_pk PRIMARY KEY (account_id, voice_id)
);

CREATE TABLE media (
  id text PRIMARY KEY,
  filename text NOT NULL,
  original_filename text,
  s3_key text NOT NULL,
  s3_bucket text NOT NULL,
  s3_region text,
  content_type text NOT NULL,
  status media_status NOT NULL DEFAULT 'UPLOADING',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX media_filename_unique ON media (filename);
