using Azure.Core;
using Azure.Identity;
using Npgsql;

namespace Likeness.Shared.Data;

/// <summary>
/// Azure Database for PostgreSQL with Microsoft Entra authentication: the password is an
/// access token for the server's Entra scope, and the user name is the Entra principal's
/// name (for a managed identity, the identity's resource name).
/// </summary>
public static class EntraPasswordProvider
{
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    /// <summary>
    /// Shorter than the 5 minutes before expiry at which Azure.Identity's cache renews a token,
    /// so the token held for new connections is always still valid; a cache hit costs nothing.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(4);

    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    // Npgsql cancels the callback's token only when the data source is disposed.
    private static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Authenticates as the user-assigned managed identity with this client id, or, without one,
    /// as whatever <see cref="DefaultAzureCredential"/> finds (a developer's <c>az login</c>).
    /// </summary>
    public static NpgsqlDataSourceBuilder UseEntraAuthentication(this NpgsqlDataSourceBuilder builder, string? managedIdentityClientId) =>
        builder.UseEntraAuthentication(CredentialFor(managedIdentityClientId));

    public static NpgsqlDataSourceBuilder UseEntraAuthentication(this NpgsqlDataSourceBuilder builder, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(credential);
        return builder.UsePeriodicPasswordProvider(
            async (_, cancellationToken) =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TokenTimeout);
                var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), timeout.Token);
                return token.Token;
            },
            RefreshInterval,
            RetryInterval);
    }

    internal static TokenCredential CredentialFor(string? managedIdentityClientId) =>
        string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}
