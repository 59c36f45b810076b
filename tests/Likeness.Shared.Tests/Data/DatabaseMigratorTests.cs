using Likeness.Shared.Data;
using Likeness.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class DatabaseMigratorTests
{
    // The tables, columns and indexes of docs/database-schema.md.
    private static readonly Dictionary<string, string[]> SpecColumns = new()
    {
        ["account"] = ["id", "slug", "display_name", "image_url", "description"],
        ["ip_terms"] = ["id", "account_id", "type", "status"],
        ["likeness_assets"] = ["id", "account_id", "type", "content_url", "search_tags", "voice_sample_url", "tag_attempt_count", "tag_last_attempt_at"],
        ["likeness_search"] =
        [
            "id", "account_id", "category", "gender", "country", "target_audience", "number_of_followers", "primary_platform",
            "is_verified", "content_niche", "engagement_rate", "birth_year", "height", "weight", "body_type", "hair_color",
            "hair_length", "hair_type", "eye_color", "skin_color", "ethnicity", "face_shape", "facial_hair", "wear_glasses",
            "has_tattoos", "has_piercings", "voice_pitch", "voice_tone", "accent", "primary_language",
        ],
        ["likeness_search_vector"] = ["account_id", "content", "embedding"],
        ["likeness_need_indexing_queue"] = ["id", "account_id", "element_type", "element_id", "status", "info", "retry_count", "retry_at", "created_at"],
        ["account_social_links"] = ["id", "account_id", "platform", "url", "followers_count"],
        ["scrapes"] = ["id", "account_id", "linkhash", "link", "name", "avatar", "followers", "error", "raw_data", "attempt_count", "last_attempt_at"],
        ["eleven_labs"] = ["account_id", "voice_id", "model_id", "stability", "similarity_boost", "style", "use_speaker_boost", "voice_title", "voice_example", "created_at", "updated_at"],
        ["media"] = ["id", "filename", "original_filename", "s3_key", "s3_bucket", "s3_region", "content_type", "status"],
    };

    // Index (or unique constraint) name -> its definition's key columns, as pg_indexes prints them.
    private static readonly Dictionary<string, string> SpecIndexes = new()
    {
        ["likeness_search_account_id_unique"] = "UNIQUE INDEX likeness_search_account_id_unique ON public.likeness_search USING btree (account_id)",
        ["likeness_search_vector_pkey"] = "UNIQUE INDEX likeness_search_vector_pkey ON public.likeness_search_vector USING btree (account_id)",
        ["likeness_search_vector_embedding_idx"] = "INDEX likeness_search_vector_embedding_idx ON public.likeness_search_vector USING hnsw (embedding vector_cosine_ops) WITH (m='32', ef_construction='128')",
        ["likeness_need_indexing_queue_status_created_at_idx"] = "INDEX likeness_need_indexing_queue_status_created_at_idx ON public.likeness_need_indexing_queue USING btree (status, created_at)",
        ["likeness_need_indexing_queue_account_id_status_idx"] = "INDEX likeness_need_indexing_queue_account_id_status_idx ON public.likeness_need_indexing_queue USING btree (account_id, status)",
        ["likeness_need_indexing_queue_status_retry_at_idx"] = "INDEX likeness_need_indexing_queue_status_retry_at_idx ON public.likeness_need_indexing_queue USING btree (status, retry_at)",
        ["account_social_links_account_id_platform_unique"] = "UNIQUE INDEX account_social_links_account_id_platform_unique ON public.account_social_links USING btree (account_id, platform)",
        ["scrapes_account_id_linkhash_unique"] = "UNIQUE INDEX scrapes_account_id_linkhash_unique ON public.scrapes USING btree (account_id, linkhash)",
        ["scrapes_account_id_idx"] = "INDEX scrapes_account_id_idx ON public.scrapes USING btree (account_id)",
        ["eleven_labs_account_id_voice_id_pk"] = "UNIQUE INDEX eleven_labs_account_id_voice_id_pk ON public.eleven_labs USING btree (account_id, voice_id)",
        ["media_filename_unique"] = "UNIQUE INDEX media_filename_unique ON public.media USING btree (filename)",
    };

    // Values the spec names explicitly; the enums may hold more.
    private static readonly Dictionary<string, string[]> SpecEnumValues = new()
    {
        ["likeness_search_category"] = ["MODELS", "ACTORS", "MUSICIANS"],
        ["likeness_search_gender"] = ["MALE", "FEMALE", "NON_BINARY"],
        ["likeness_search_country"] = ["USA", "UK"],
        ["likeness_search_target_audience"] = ["AGE_18_35", "LUXURY", "FITNESS"],
        ["likeness_search_content_niche"] = ["FASHION", "FITNESS", "BEAUTY"],
        ["likeness_search_primary_platform"] = ["INSTAGRAM", "TIKTOK", "YOUTUBE"],
        ["account_social_links_platform"] = ["INSTAGRAM", "TIKTOK", "TWITTER", "YOUTUBE", "LINKEDIN", "FACEBOOK", "TWITCH", "SNAPCHAT", "ONLYFANS"],
        ["likeness_search_body_type"] = ["SLIM", "ATHLETIC", "MUSCULAR"],
        ["likeness_search_hair_color"] = ["BLACK", "BROWN", "BLONDE"],
        ["likeness_search_hair_length"] = ["SHORT", "MEDIUM", "LONG"],
        ["likeness_search_hair_type"] = ["STRAIGHT", "CURLY", "WAVY", "KINKY"],
        ["likeness_search_eye_color"] = ["BLUE", "BROWN", "GREEN", "HAZEL"],
        ["likeness_search_skin_color"] = ["FAIR", "MEDIUM", "DARK"],
        ["likeness_search_ethnicity"] = ["CAUCASIAN", "AFRICAN_AMERICAN", "ASIAN"],
        ["likeness_search_face_shape"] = ["OVAL", "ROUND", "SQUARE"],
        ["likeness_search_facial_hair"] = ["CLEAN_SHAVEN", "BEARD_FULL"],
        ["likeness_search_voice_pitch"] = ["VERY_HIGH", "HIGH", "MEDIUM", "LOW", "VERY_LOW"],
        ["likeness_search_voice_tone"] = ["WARM", "AUTHORITATIVE", "FRIENDLY"],
        ["likeness_search_accent"] = ["AMERICAN_GENERAL", "BRITISH_RP"],
        ["likeness_search_language"] = ["ENGLISH", "SPANISH", "FRENCH"],
        ["likeness_need_indexing_queue_element_type"] = ["IMAGE_ASSET", "VOICE_ASSET", "VOICE_TERM", "IMAGE_TERM", "LIKENESS_TERM", "PROFILE_DESCRIPTION", "SOCIAL_DATA"],
        ["likeness_need_indexing_queue_status"] = ["PENDING", "IN_PROGRESS", "COMPLETED", "FAILED", "DISCARDED", "TIMEOUT", "AWAITING_RETRY"],
        ["likeness_assets_type"] = ["IMAGE", "VOICE"],
        ["media_status"] = ["UPLOADING", "COMPLETE", "SOFT_DELETE", "DELETE"],
    };

    private static readonly string[] ForeignKeyTables =
        ["ip_terms", "likeness_assets", "likeness_search", "likeness_search_vector", "likeness_need_indexing_queue", "account_social_links", "scrapes", "eleven_labs"];

    private static TestDatabase db = null!;
    private static IReadOnlyList<string> firstRun = null!;
    private static string schemaAfterFirstRun = null!;

    [ClassInitialize]
    public static async Task InitializeAsync(TestContext _)
    {
        db = await TestDatabase.CreateEmptyAsync();
        firstRun = await NewMigrator(db).MigrateAsync(CancellationToken.None);
        schemaAfterFirstRun = await SchemaSnapshotAsync(db);
    }

    [ClassCleanup]
    public static async Task CleanupAsync() => await db.DisposeAsync();

    [TestMethod]
    public void MigratingAnEmptyDatabaseAppliesEveryMigrationInOrder()
    {
        CollectionAssert.AreEqual(DatabaseMigrator.Migrations.Select(m => m.Version).ToArray(), firstRun.ToArray());
        Assert.AreEqual("0001_initial_schema", firstRun[0]);
    }

    [TestMethod]
    public async Task MigratingTwiceChangesNothing()
    {
        var secondRun = await NewMigrator(db).MigrateAsync(CancellationToken.None);

        Assert.IsEmpty(secondRun);
        Assert.AreEqual(schemaAfterFirstRun, await SchemaSnapshotAsync(db));
    }

    [TestMethod]
    public async Task ConcurrentMigratorsApplyEachMigrationOnce()
    {
        await using var empty = await TestDatabase.CreateEmptyAsync();

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewMigrator(empty).MigrateAsync(CancellationToken.None)));

        Assert.AreEqual(DatabaseMigrator.Migrations.Count, runs.Sum(r => r.Count));
        Assert.AreEqual((long)DatabaseMigrator.Migrations.Count, await empty.ScalarAsync("SELECT count(*) FROM schema_migrations"));
    }

    [TestMethod]
    public async Task VectorExtensionIsInstalled()
    {
        Assert.AreEqual("vector", await db.ScalarAsync("SELECT extname FROM pg_extension WHERE extname = 'vector'"));
        Assert.AreEqual("vector(1536)", await db.ScalarAsync(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'likeness_search_vector'::regclass AND attname = 'embedding'"));
    }

    [TestMethod]
    public async Task VectorsWorkThroughADataSourceThatConnectedBeforeTheMigrationCreatedTheirType()
    {
        await using var empty = await TestDatabase.CreateEmptyAsync();
        await (await empty.DataSource.OpenConnectionAsync()).DisposeAsync();

        await NewMigrator(empty).MigrateAsync(CancellationToken.None);

        var vectors = new LikenessSearchVectorAccess(empty.DataSource);
        var account = await TestData.CreateAccountAsync(empty.DataSource);
        await vectors.VectorUpsertAsync(account.Id, "tags", TestData.Axis(0));
        Assert.AreEqual(TestData.Axis(0), (await vectors.GetVectorByAccountIdAsync(account.Id))!.Embedding);
    }

    [TestMethod]
    public async Task EveryTableHasTheSpecColumnsWithTextIdsAndTimestamps()
    {
        foreach (var (table, columns) in SpecColumns)
        {
            var actual = await ColumnTypesAsync(table);
            foreach (var column in columns.Append("created_at").Append("updated_at"))
            {
                Assert.IsTrue(actual.ContainsKey(column), $"{table}.{column} is missing");
            }
            Assert.AreEqual("text", actual[table == "likeness_search_vector" ? "account_id" : columns[0]], $"{table} key type");
            Assert.AreEqual("timestamp with time zone", actual["created_at"], $"{table}.created_at type");
        }
    }

    [TestMethod]
    public async Task JsonColumnsAreJsonb()
    {
        foreach (var (table, column) in new[] { ("likeness_assets", "search_tags"), ("likeness_need_indexing_queue", "info"), ("scrapes", "raw_data") })
        {
            Assert.AreEqual("jsonb", (await ColumnTypesAsync(table))[column], $"{table}.{column}");
        }
    }

    [TestMethod]
    public async Task EverySpecIndexAndUniqueConstraintExists()
    {
        foreach (var (name, definition) in SpecIndexes)
        {
            var actual = (string?)await db.ScalarAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1", name);
            Assert.AreEqual("CREATE " + definition, actual, name);
        }
    }

    [TestMethod]
    public async Task VectorIndexTuningRebuildsAnUntunedIndexOnceAndThenLeavesItAsItIs()
    {
        await using var own = await TestDatabase.CreateAsync();
        const string IndexOid = "SELECT 'likeness_search_vector_embedding_idx'::regclass::oid";
        const string HnswIndexes = "SELECT string_agg(indexdef, '; ') FROM pg_indexes WHERE tablename = 'likeness_search_vector' AND indexdef LIKE '%hnsw%'";
        var tuned = "CREATE " + SpecIndexes["likeness_search_vector_embedding_idx"];
        var tuning = DatabaseMigrator.Migrations.Single(m => m.Version == "0004_vector_index_tuning");
        async Task RunTuningAsync()
        {
            await using var connection = await own.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new Npgsql.NpgsqlCommand(tuning.Sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        var migrated = await own.ScalarAsync(IndexOid);

        await RunTuningAsync();

        Assert.AreEqual(migrated, await own.ScalarAsync(IndexOid), "not rebuilt");
        Assert.AreEqual(tuned, await own.ScalarAsync(HnswIndexes));

        await own.ScalarAsync("DROP INDEX likeness_search_vector_embedding_idx");
        await own.ScalarAsync("CREATE INDEX likeness_search_vector_embedding_idx ON likeness_search_vector USING hnsw (embedding vector_cosine_ops)");
        await RunTuningAsync();

        Assert.AreEqual(tuned, await own.ScalarAsync(HnswIndexes));
    }

    [TestMethod]
    public async Task EveryAccountForeignKeyCascadesOnDelete()
    {
        foreach (var table in ForeignKeyTables)
        {
            var rule = await db.ScalarAsync("""
                SELECT rc.delete_rule
                FROM information_schema.referential_constraints rc
                JOIN information_schema.key_column_usage k ON k.constraint_name = rc.constraint_name
                JOIN information_schema.constraint_column_usage u ON u.constraint_name = rc.constraint_name
                WHERE k.table_name = $1 AND k.column_name = 'account_id' AND u.table_name = 'account'
                """, table);
            Assert.AreEqual("CASCADE", rule, table);
        }
    }

    [TestMethod]
    public async Task EnumTypesHoldEveryValueTheSpecShows()
    {
        foreach (var (type, values) in SpecEnumValues)
        {
            var labels = await EnumLabelsAsync(type);
            CollectionAssert.IsSubsetOf(values, labels, type);
        }
    }

    [TestMethod]
    public async Task CSharpEnumsMatchTheDatabaseEnumsLabelForLabel()
    {
        await AssertMatchesAsync<Category>();
        await AssertMatchesAsync<Gender>();
        await AssertMatchesAsync<Country>();
        await AssertMatchesAsync<TargetAudience>();
        await AssertMatchesAsync<ContentNiche>();
        await AssertMatchesAsync<Platform>();
        await AssertMatchesAsync<BodyType>();
        await AssertMatchesAsync<HairColor>();
        await AssertMatchesAsync<HairLength>();
        await AssertMatchesAsync<HairType>();
        await AssertMatchesAsync<EyeColor>();
        await AssertMatchesAsync<SkinColor>();
        await AssertMatchesAsync<Ethnicity>();
        await AssertMatchesAsync<FaceShape>();
        await AssertMatchesAsync<FacialHair>();
        await AssertMatchesAsync<VoicePitch>();
        await AssertMatchesAsync<VoiceTone>();
        await AssertMatchesAsync<Accent>();
        await AssertMatchesAsync<Language>();
        await AssertMatchesAsync<QueueElementType>();
        await AssertMatchesAsync<QueueStatus>();
        await AssertMatchesAsync<AssetType>();
        await AssertMatchesAsync<MediaStatus>();
        await AssertMatchesAsync<IpTermType>();
        await AssertMatchesAsync<IpTermStatus>();
        CollectionAssert.AreEqual(await EnumLabelsAsync(DbEnum<Platform>.TypeName), await EnumLabelsAsync("account_social_links_platform"));
    }

    private static async Task AssertMatchesAsync<T>() where T : struct, Enum =>
        CollectionAssert.AreEqual(DbEnum<T>.AllLabels.ToArray(), await EnumLabelsAsync(DbEnum<T>.TypeName), typeof(T).Name);

    private static async Task<string[]> EnumLabelsAsync(string type) =>
        (string[])(await db.ScalarAsync("SELECT array_agg(enumlabel::text ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = $1::regtype", type))!;

    private static async Task<Dictionary<string, string>> ColumnTypesAsync(string table)
    {
        var pairs = (string[])(await db.ScalarAsync(
            "SELECT array_agg(column_name || '=' || data_type) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1", table))!;
        return pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
    }

    private static async Task<string> SchemaSnapshotAsync(TestDatabase database) =>
        (string)(await database.ScalarAsync("""
            SELECT concat_ws(E'\n',
              (SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, ''), E'\n' ORDER BY table_name, column_name)
                 FROM information_schema.columns WHERE table_schema = 'public'),
              (SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'),
              (SELECT string_agg(t.typname || '.' || e.enumlabel, E'\n' ORDER BY t.typname, e.enumsortorder)
                 FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid))
            """))!;

    private static DatabaseMigrator NewMigrator(TestDatabase database) => new(database.DataSource, NullLogger<DatabaseMigrator>.Instance);
}
