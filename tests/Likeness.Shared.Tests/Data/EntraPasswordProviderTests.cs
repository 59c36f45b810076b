using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Core;
using Azure.Identity;
using Likeness.Shared.Data;
using Npgsql;

namespace Likeness.Shared.Tests.Data;

[TestClass]
public sealed class EntraPasswordProviderTests
{
    public TestContext TestContext { get; set; } = null!;

    private CancellationToken Token => TestContext.CancellationToken;

    [TestMethod]
    public async Task TheServerReceivesTheEntraAccessTokenAsThePassword()
    {
        await using var server = FakePasswordServer.Start();
        var credential = new RecordingTokenCredential("entra-access-token");
        var builder = new NpgsqlDataSourceBuilder(server.ConnectionString("likeness-identity")).UseEntraAuthentication(credential);
        await using var dataSource = builder.Build();

        // The fake server rejects the login once it has read the password.
        await Assert.ThrowsAsync<PostgresException>(() => dataSource.OpenConnectionAsync(Token).AsTask());

        var login = await server.NextLoginAsync(Token);
        Assert.AreEqual("entra-access-token", login.Password);
        Assert.AreEqual("likeness-identity", login.User);
    }

    [TestMethod]
    public async Task TokensAreRequestedForTheAzureDatabaseForPostgreSqlScopeOnly()
    {
        await using var server = FakePasswordServer.Start();
        var credential = new RecordingTokenCredential("token");
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("user")).UseEntraAuthentication(credential).Build();

        await Assert.ThrowsAsync<PostgresException>(() => dataSource.OpenConnectionAsync(Token).AsTask());

        CollectionAssert.AreEqual(new[] { "https://ossrdbms-aad.database.windows.net/.default" }, credential.RequestedScopes.Distinct().ToArray());
    }

    [TestMethod]
    public async Task WhenNoTokenCanBeObtainedOpeningAConnectionFailsWithTheCredentialsError()
    {
        await using var server = FakePasswordServer.Start();
        var credential = new RecordingTokenCredential(failure: new CredentialUnavailableException("no identity here"));
        await using var dataSource = new NpgsqlDataSourceBuilder(server.ConnectionString("user")).UseEntraAuthentication(credential).Build();

        var error = await Assert.ThrowsAsync<Exception>(() => dataSource.OpenConnectionAsync(Token).AsTask());

        Assert.IsTrue(Flatten(error).Any(e => e is CredentialUnavailableException), error.ToString());
    }

    [TestMethod]
    public void AClientIdSelectsThatUserAssignedManagedIdentity() =>
        Assert.IsInstanceOfType<ManagedIdentityCredential>(EntraPasswordProvider.CredentialFor("00000000-0000-0000-0000-000000000001"));

    [TestMethod]
    public void WithoutAClientIdTheDefaultCredentialChainIsUsed()
    {
        Assert.IsInstanceOfType<DefaultAzureCredential>(EntraPasswordProvider.CredentialFor(null));
        Assert.IsInstanceOfType<DefaultAzureCredential>(EntraPasswordProvider.CredentialFor(" "));
    }

    [TestMethod]
    public void TheCachedTokenIsRefreshedBeforeAzureIdentityWouldConsiderItExpiring() =>
        Assert.IsLessThan(TimeSpan.FromMinutes(5), EntraPasswordProvider.RefreshInterval);

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    private sealed class RecordingTokenCredential(string? token = null, Exception? failure = null) : TokenCredential
    {
        public ConcurrentQueue<string> RequestedScopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            Answer(requestContext);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Answer(requestContext));

        private AccessToken Answer(TokenRequestContext requestContext)
        {
            foreach (var scope in requestContext.Scopes)
            {
                RequestedScopes.Enqueue(scope);
            }
            return failure is null ? new AccessToken(token!, DateTimeOffset.UtcNow.AddHours(1)) : throw failure;
        }
    }

    /// <summary>
    /// Speaks just enough of the PostgreSQL wire protocol to ask for a cleartext password, read it
    /// and refuse the login, so a test sees exactly what the client sends as its password.
    /// </summary>
    private sealed class FakePasswordServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stopping = new();
        private readonly System.Threading.Channels.Channel<Login> logins = System.Threading.Channels.Channel.CreateUnbounded<Login>();
        private readonly Task accepting;

        private FakePasswordServer()
        {
            listener.Start();
            accepting = AcceptAsync();
        }

        public static FakePasswordServer Start() => new();

        public string ConnectionString(string user) =>
            $"Host=127.0.0.1;Port={((IPEndPoint)listener.LocalEndpoint).Port};Username={user};Database=likeness;SSL Mode=Disable;Gss Encryption Mode=Disable;Pooling=false;Timeout=5";

        public async Task<Login> NextLoginAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            return await logins.Reader.ReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await stopping.CancelAsync();
            listener.Stop();
            await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
            stopping.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stopping.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stopping.Token);
                await using var stream = client.GetStream();
                await logins.Writer.WriteAsync(await ReadLoginAsync(stream, stopping.Token), stopping.Token);
            }
        }

        private static async Task<Login> ReadLoginAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            // StartupMessage: int32 length, int32 protocol version, then name/value C strings ending with an empty one.
            var startup = await ReadAsync(stream, await ReadInt32Async(stream, cancellationToken) - 4, cancellationToken);
            var fields = Encoding.UTF8.GetString(startup, 4, startup.Length - 4).Split('\0');
            var user = fields[Array.IndexOf(fields, "user") + 1];

            // AuthenticationCleartextPassword: 'R', length 8, code 3.
            await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 }, cancellationToken);

            // PasswordMessage: 'p', int32 length, the password as a C string.
            var type = await ReadAsync(stream, 1, cancellationToken);
            Assert.AreEqual((byte)'p', type[0]);
            var password = await ReadAsync(stream, await ReadInt32Async(stream, cancellationToken) - 4, cancellationToken);

            await stream.WriteAsync(ErrorResponse("28P01", "password authentication failed"), cancellationToken);
            return new Login(user, Encoding.UTF8.GetString(password).TrimEnd('\0'));
        }

        private static byte[] ErrorResponse(string code, string message)
        {
            var body = Encoding.UTF8.GetBytes($"SFATAL\0VFATAL\0C{code}\0M{message}\0\0");
            var frame = new byte[5 + body.Length];
            frame[0] = (byte)'E';
            BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), 4 + body.Length);
            body.CopyTo(frame, 5);
            return frame;
        }

        private static async Task<int> ReadInt32Async(NetworkStream stream, CancellationToken cancellationToken) =>
            BinaryPrimitives.ReadInt32BigEndian(await ReadAsync(stream, 4, cancellationToken));

        private static async Task<byte[]> ReadAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
        {
            var buffer = new byte[count];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }
    }

    private sealed record Login(string User, string Password);
}
