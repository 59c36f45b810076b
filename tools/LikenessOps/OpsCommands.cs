using System.Globalization;
using Likeness.Shared.Data;
using Likeness.Shared.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace LikenessOps;

/// <summary>The operations commands: <c>migrate</c> and <c>seed [--accounts N] [--seed N] [--if-empty]</c>.</summary>
internal static class OpsCommands
{
    public const string Usage = """
        usage: LikenessOps migrate
               LikenessOps seed [--accounts N] [--seed N] [--if-empty]
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        switch (args.Count > 0 ? args[0] : null)
        {
            case "migrate" when args.Count == 1:
                output.WriteLine(Describe(await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken)));
                return 0;
            case "seed":
                var (options, problem) = ParseSeed(args.Skip(1).ToList());
                if (options is null)
                {
                    error.WriteLine(problem);
                    error.WriteLine(Usage);
                    return 2;
                }
                // Seeding needs the schema, and a fresh machine may not have migrated yet.
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                var summary = await ActivatorUtilities.CreateInstance<DemoDataSeeder>(services).SeedAsync(options, cancellationToken);
                output.WriteLine(Describe(summary, options));
                return 0;
            default:
                error.WriteLine(Usage);
                return 2;
        }
    }

    /// <returns>The options, or null and the reason the arguments are wrong.</returns>
    public static (DemoDataOptions? Options, string? Error) ParseSeed(IReadOnlyList<string> args)
    {
        var options = new DemoDataOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            switch (name)
            {
                case "--if-empty" when inlineValue is null:
                    options = options with { IfEmpty = true };
                    break;
                case "--accounts" or "--seed":
                    var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        || (name == "--accounts" && number > DemoDataOptions.MaxAccounts))
                    {
                        return (null, name == "--accounts"
                            ? $"--accounts takes a whole number from 0 to {DemoDataOptions.MaxAccounts}, not '{value}'."
                            : $"--seed takes a non-negative whole number, not '{value}'.");
                    }
                    options = name == "--accounts" ? options with { Accounts = number } : options with { Seed = number };
                    break;
                default:
                    return (null, $"Unknown argument '{args[i]}'.");
            }
        }
        return (options, null);
    }

    private static string Describe(IReadOnlyList<string> applied) => applied.Count == 0
        ? "Database is up to date."
        : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}";

    private static string Describe(DemoDataSummary summary, DemoDataOptions options) => summary.Skipped
        ? $"Seeding skipped (--if-empty): the database already has {summary.ExistingAccounts} account(s)."
        : $"Seeded {summary.AccountsCreated} demo account(s) from seed {options.Seed}"
          + (summary.AccountsSkipped > 0 ? $" ({summary.AccountsSkipped} of this seed already existed and were left alone)" : "")
          + $": {summary.ImageAssets} image and {summary.VoiceAssets} voice asset(s), {summary.IpTerms} IP term(s), "
          + $"{summary.SocialLinks} social link(s), {summary.MediaFiles} media file(s) in blob storage; "
          + $"enqueued {summary.QueueEvents} indexing event(s).";
}
