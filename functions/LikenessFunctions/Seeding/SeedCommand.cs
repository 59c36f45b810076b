using System.Globalization;
using Likeness.Shared.Data;
using Likeness.Shared.Seeding;
using Microsoft.Extensions.Options;

namespace LikenessFunctions.Seeding;

/// <summary><c>seed [--accounts N] [--seed N] [--if-empty]</c>: demo data so search answers on a fresh machine.</summary>
public static class SeedCommand
{
    public const string Usage = "usage: seed [--accounts N] [--seed N] [--if-empty]";

    public static async Task<int> SeedAsync(WebApplication app, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The host's command-line configuration would read "--if-empty --accounts 5" as if-empty=--accounts, so the words are parsed here.
        var (options, error) = Parse(Environment.GetCommandLineArgs().SkipWhile(arg => !arg.Equals("seed", StringComparison.OrdinalIgnoreCase)).Skip(1).ToList());
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        // Like serving, seeding a database needs its schema; a fresh machine may not have started the app yet.
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }
        var seeder = ActivatorUtilities.CreateInstance<DemoDataSeeder>(app.Services);
        var summary = await seeder.SeedAsync(options, cancellationToken);
        Console.WriteLine(Describe(summary, options));
        return 0;
    }

    /// <returns>The options, or null and the reason the arguments are wrong.</returns>
    public static (DemoDataOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
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

    private static string Describe(DemoDataSummary summary, DemoDataOptions options) => summary.Skipped
        ? $"Seeding skipped (--if-empty): the database already has {summary.ExistingAccounts} account(s)."
        : $"Seeded {summary.AccountsCreated} demo account(s) from seed {options.Seed}"
          + (summary.AccountsSkipped > 0 ? $" ({summary.AccountsSkipped} of this seed already existed and were left alone)" : "")
          + $": {summary.ImageAssets} image and {summary.VoiceAssets} voice asset(s), {summary.IpTerms} IP term(s), "
          + $"{summary.SocialLinks} social link(s), {summary.MediaFiles} media file(s) in blob storage; "
          + $"enqueued {summary.QueueEvents} indexing event(s).";
}
