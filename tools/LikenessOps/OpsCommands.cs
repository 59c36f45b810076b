using System.Globalization;
using Likeness.Shared.Data;
using Likeness.Shared.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace LikenessOps;

/// <summary>
/// The operations commands: <c>migrate</c>, <c>seed [--accounts N] [--seed N] [--if-empty]</c> and
/// <c>reindex [--stale-model] [--batch-size N]</c>.
/// </summary>
internal static class OpsCommands
{
    public const string Usage = """
        usage: LikenessOps migrate
               LikenessOps seed [--accounts N] [--seed N] [--if-empty]
               LikenessOps reindex [--stale-model] [--batch-size N]
        """;

    public const int DefaultReindexBatchSize = 500;

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
                    return Refuse(error, problem);
                }
                // seed and reindex need the schema (reindex its model column), and a fresh machine may not have migrated yet.
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                var summary = await ActivatorUtilities.CreateInstance<DemoDataSeeder>(services).SeedAsync(options, cancellationToken);
                output.WriteLine(Describe(summary, options));
                return 0;
            case "reindex":
                var (reindex, reindexProblem) = ParseReindex(args.Skip(1).ToList());
                if (reindex is null)
                {
                    return Refuse(error, reindexProblem);
                }
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                await ReindexAsync(services, reindex, output, cancellationToken);
                return 0;
            default:
                return Refuse(error, problem: null);
        }
    }

    private static int Refuse(TextWriter error, string? problem)
    {
        if (problem is not null)
        {
            error.WriteLine(problem);
        }
        error.WriteLine(Usage);
        return 2;
    }

    /// <summary><c>--name=value</c> as its two parts; <c>--name</c> alone has no inline value.</summary>
    private static (string Name, string? InlineValue) Split(string arg) =>
        arg.Split('=', 2) is [var name, var value] ? (name, value) : (arg, null);

    /// <summary>The option's value, inline or else the next argument (which <paramref name="i"/> then moves past).</summary>
    private static string? ValueOf(IReadOnlyList<string> args, string? inlineValue, ref int i) =>
        inlineValue ?? (i + 1 < args.Count ? args[++i] : null);

    /// <returns>The options, or null and the reason the arguments are wrong.</returns>
    public static (DemoDataOptions? Options, string? Error) ParseSeed(IReadOnlyList<string> args)
    {
        var options = new DemoDataOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "--if-empty" when inlineValue is null:
                    options = options with { IfEmpty = true };
                    break;
                case "--accounts" or "--seed":
                    var value = ValueOf(args, inlineValue, ref i);
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

    /// <returns>The options, or null and the reason the arguments are wrong.</returns>
    public static (ReindexOptions? Options, string? Error) ParseReindex(IReadOnlyList<string> args)
    {
        var options = new ReindexOptions(StaleModel: false, DefaultReindexBatchSize);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "--stale-model" when inlineValue is null:
                    options = options with { StaleModel = true };
                    break;
                case "--batch-size":
                    var value = ValueOf(args, inlineValue, ref i);
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
                    {
                        return (null, $"--batch-size takes a whole number from 1, not '{value}'.");
                    }
                    options = options with { BatchSize = size };
                    break;
                default:
                    return (null, $"Unknown argument '{args[i]}'.");
            }
        }
        return (options, null);
    }

    /// <summary>
    /// Enqueues one event per indexable account (or per account whose vector is of another model
    /// than the configured embedder's), a batch at a time, in account id order; the timers then
    /// index them. Accounts with an event waiting are skipped, so a second run adds nothing.
    /// </summary>
    private static async Task ReindexAsync(IServiceProvider services, ReindexOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = services.GetRequiredService<LikenessNeedIndexingQueueAccess>();
        string? model = null;
        if (options.StaleModel)
        {
            var vectors = services.GetRequiredService<LikenessSearchVectorAccess>();
            model = vectors.EmbeddingModel;
            output.WriteLine($"Embedding model {model}: {await vectors.CountVectorsOfOtherModelsAsync(cancellationToken)} vector(s) of another model.");
        }
        var (scanned, enqueued) = (0, 0);
        string? after = null;
        while (true)
        {
            var batch = await queue.AddReindexEventsAsync(after, options.BatchSize, model, cancellationToken);
            (scanned, enqueued, after) = (scanned + batch.Scanned, enqueued + batch.Enqueued, batch.LastAccountId);
            if (batch.Scanned > 0)
            {
                output.WriteLine($"{scanned} account(s) scanned, {enqueued} event(s) enqueued");
            }
            if (batch.Scanned < options.BatchSize)
            {
                break;
            }
        }
        output.WriteLine($"Re-index: enqueued {enqueued} event(s) for {scanned} account(s); {scanned - enqueued} already had an event waiting.");
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

/// <param name="StaleModel">Only accounts whose vector was made by another model than the configured one.</param>
/// <param name="BatchSize">Accounts per statement.</param>
internal sealed record ReindexOptions(bool StaleModel, int BatchSize);
