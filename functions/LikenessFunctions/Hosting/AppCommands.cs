using Likeness.Shared.Data;
using LikenessFunctions.Functions;
using LikenessFunctions.Seeding;

namespace LikenessFunctions.Hosting;

/// <summary>One-shot commands run instead of the server: <c>dotnet LikenessFunctions.dll migrate</c>.</summary>
internal static class AppCommands
{
    public delegate Task<int> Command(WebApplication app, CancellationToken cancellationToken);

    private static readonly Dictionary<string, Command> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["migrate"] = MigrateAsync,
        ["seed"] = SeedCommand.SeedAsync,
        [FunctionJsonWriter.CommandName] = FunctionJsonWriter.RunAsync,
    };

    public static Command? Find(string[] args) =>
        args.Length > 0 && Commands.TryGetValue(args[0], out var command) ? command : null;

    private static async Task<int> MigrateAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var applied = await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        Console.WriteLine(applied.Count == 0
            ? "Database is up to date."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return 0;
    }
}
