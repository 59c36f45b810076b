using System.Diagnostics;
using System.Net;
using Likeness.Testing;
using Npgsql;

namespace LikenessFunctions.Tests.Deployment;

/// <summary>
/// infra/hooks/postprovision.sh against the local cluster, as far as it can run without Azure: a
/// stand-in <c>az</c> on the PATH (records its calls, hands out a dummy token) and a stand-in for
/// Azure's <c>pgaadauth_create_principal_with_oid</c> that creates a plain login role. Then the
/// real app runs as that role: it migrates an empty database and serves, owning what it created
/// and holding no administrative right.
/// </summary>
[TestClass]
[DoNotParallelize] // the stand-in function and role live in the cluster's shared postgres database
public sealed class PostProvisionHookTests
{
    private const string DummyToken = "dummy-entra-token-never-printed";
    private const string ClientIp = "203.0.113.7";
    private static readonly string HookPath = Repository.PathOf("infra", "hooks", "postprovision.sh");

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task TheHookGivesTheAppARoleThatMigratesAndServesWithoutAdministrativeRights()
    {
        var ct = TestContext.CancellationToken;
        await using var stage = await Stage.CreateAsync(ct);

        var (exitCode, output) = await stage.RunHookAsync(ct);

        Assert.AreEqual(0, exitCode, output);
        Assert.DoesNotContain(DummyToken, output, "the token must never be printed");
        var azCalls = await File.ReadAllTextAsync(stage.AzLog, ct);
        StringAssert.Contains(azCalls, $"postgres flexible-server firewall-rule create --resource-group rg-test --name psql-test --rule-name azd-postprovision --start-ip-address {ClientIp} --end-ip-address {ClientIp}");
        StringAssert.Contains(azCalls, "postgres flexible-server firewall-rule delete --resource-group rg-test --name psql-test --rule-name azd-postprovision --yes");
        Assert.AreEqual("f|f|f|f|f", await stage.AdminScalarAsync(
            "SELECT concat_ws('|', rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, pg_has_role(oid, 'azure_pg_admin', 'MEMBER')) FROM pg_roles WHERE rolname = $1", stage.Role));

        var appConnection = new NpgsqlConnectionStringBuilder(stage.Database.ConnectionString) { Username = stage.Role }.ConnectionString;
        await using (var app = await AppProcess.StartAsync(appConnection))
        {
            using var health = await app.Client.GetAsync("/api/health", ct);
            Assert.AreEqual(HttpStatusCode.OK, health.StatusCode, app.Output);
        }

        Assert.AreEqual((long)Likeness.Shared.Data.DatabaseMigrator.Migrations.Count, await stage.Database.ScalarAsync("SELECT count(*) FROM schema_migrations"));
        Assert.AreEqual(0L, await stage.Database.ScalarAsync(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'S') AND pg_get_userbyid(c.relowner) <> $1", stage.Role),
            "every table, index and sequence of the schema belongs to the app's role");
    }

    [TestMethod]
    public async Task TheHookCanRunAgainAndChangesNothing()
    {
        var ct = TestContext.CancellationToken;
        await using var stage = await Stage.CreateAsync(ct);

        var first = await stage.RunHookAsync(ct);
        var second = await stage.RunHookAsync(ct);

        Assert.AreEqual(0, first.ExitCode, first.Output);
        Assert.AreEqual(0, second.ExitCode, second.Output);
        StringAssert.Contains(second.Output, $"Role {stage.Role} exists");
    }

    [TestMethod]
    public async Task TheHookStopsWhenTheAppsRoleIsStillAnAdministrator()
    {
        var ct = TestContext.CancellationToken;
        await using var stage = await Stage.CreateAsync(ct);
        await stage.AdminExecuteAsync($"CREATE ROLE \"{stage.Role}\" LOGIN IN ROLE azure_pg_admin");

        var (exitCode, output) = await stage.RunHookAsync(ct);

        Assert.AreNotEqual(0, exitCode, output);
        StringAssert.Contains(output, "is still a PostgreSQL administrator");
        StringAssert.Contains(await File.ReadAllTextAsync(stage.AzLog, ct), "firewall-rule delete", "the temporary rule is removed on failure too");
    }

    [TestMethod]
    public async Task TheHookNamesWhatIsMissingWhenRunOutsideAzd()
    {
        var ct = TestContext.CancellationToken;
        await using var stage = await Stage.CreateAsync(ct);

        var (exitCode, output) = await stage.RunHookAsync(ct, without: "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID");

        Assert.AreNotEqual(0, exitCode, output);
        StringAssert.Contains(output, "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID is not set");
    }

    /// <summary>An empty database, a role name nobody uses, the stand-ins, and the azd environment the hook reads.</summary>
    private sealed class Stage : IAsyncDisposable
    {
        private readonly string binDirectory;

        private Stage(TestDatabase database, string role, string binDirectory)
        {
            Database = database;
            Role = role;
            this.binDirectory = binDirectory;
        }

        public TestDatabase Database { get; }

        /// <summary>Named as Azure names the identity's role: after the identity.</summary>
        public string Role { get; }

        public string AzLog => Path.Combine(binDirectory, "az.log");

        public static async Task<Stage> CreateAsync(CancellationToken cancellationToken)
        {
            var database = await TestDatabase.CreateEmptyAsync(cancellationToken);
            var bin = Directory.CreateTempSubdirectory("likeness-hook-").FullName;
            var stage = new Stage(database, "id-api-" + Guid.NewGuid().ToString("N")[..12], bin);
            // Azure's azure_pg_admin and pgaadauth function, reduced to what the hook relies on.
            await stage.AdminExecuteAsync("""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'azure_pg_admin') THEN CREATE ROLE azure_pg_admin NOLOGIN; END IF;
                END $$;
                CREATE OR REPLACE FUNCTION pgaadauth_create_principal_with_oid(role_name text, object_id text, object_type text, is_admin boolean, is_mfa boolean)
                RETURNS text LANGUAGE plpgsql AS $$
                BEGIN
                  IF is_admin OR object_type <> 'service' THEN RAISE EXCEPTION 'the hook must create a non-admin service principal'; END IF;
                  EXECUTE format('CREATE ROLE %I LOGIN', role_name);
                  RETURN 'Created role for ' || role_name;
                END $$;
                """);
            var az = Path.Combine(bin, "az");
            await File.WriteAllTextAsync(az, $"""
                #!/bin/sh
                echo "$*" >> "{stage.AzLog}"
                case "$*" in
                  "account get-access-token"*) echo "{DummyToken}" ;;
                esac
                """, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return stage;
        }

        public async Task<(int ExitCode, string Output)> RunHookAsync(CancellationToken cancellationToken, string? without = null)
        {
            var server = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
            var info = new ProcessStartInfo("sh", [HookPath]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var environment = new Dictionary<string, string>
            {
                ["PATH"] = binDirectory + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["AZURE_RESOURCE_GROUP"] = "rg-test",
                ["AZURE_POSTGRES_SERVER_NAME"] = "psql-test",
                ["AZURE_POSTGRES_HOST"] = server.Host!,
                ["AZURE_POSTGRES_DATABASE"] = Database.Name,
                ["AZURE_POSTGRES_ADMIN_NAME"] = server.Username!,
                ["AZURE_MANAGED_IDENTITY_NAME"] = Role,
                ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = Guid.NewGuid().ToString(),
                ["POSTGRES_CLIENT_IP"] = ClientIp,
                ["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PGSSLMODE"] = "disable",
            };
            foreach (var (key, value) in environment.Where(e => e.Key != without))
            {
                info.Environment[key] = value;
            }
            using var process = Process.Start(info) ?? throw new InvalidOperationException("sh did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(limit.Token);
            return (process.ExitCode, await stdout + await stderr);
        }

        public async Task AdminExecuteAsync(string sql)
        {
            await using var dataSource = NpgsqlDataSource.Create(AdminConnectionString());
            await using var command = dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync();
        }

        public async Task<object?> AdminScalarAsync(string sql, params object[] parameters)
        {
            await using var dataSource = NpgsqlDataSource.Create(AdminConnectionString());
            await using var command = dataSource.CreateCommand(sql);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            return await command.ExecuteScalarAsync();
        }

        public async ValueTask DisposeAsync()
        {
            // The role's objects and grants go with the database; then the role can go.
            await Database.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await AdminExecuteAsync($"DROP ROLE IF EXISTS \"{Role}\"");
            Directory.Delete(binDirectory, recursive: true);
        }

        /// <summary>The cluster's postgres database, where Entra principals are created in Azure.</summary>
        private string AdminConnectionString() =>
            new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
    }
}
