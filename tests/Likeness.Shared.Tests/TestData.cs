using Likeness.Shared.Data;
using Npgsql;

namespace Likeness.Shared.Tests;

/// <summary>Builders for the rows a test needs, each with fresh unique values.</summary>
internal static class TestData
{
    public static Task<Account> CreateAccountAsync(NpgsqlDataSource dataSource, string? displayName = "Test Talent", string? imageUrl = "avatar-ab12.jpg", string? description = null) =>
        new AccountsAccess(dataSource).CreateAccountAsync(new NewAccount("talent-" + NanoId.New(), displayName, imageUrl, description));
}
