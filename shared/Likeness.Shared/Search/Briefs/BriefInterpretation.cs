using Likeness.Shared.Data;

namespace Likeness.Shared.Search.Briefs;

/// <summary>What a brief asks for: the filters it names, and the words that name no attribute.</summary>
/// <param name="RemainingText">The words left for the semantic part, or null when every word was understood.</param>
/// <param name="Parser">Which parser read it: <see cref="BriefParsers.Local"/> or <see cref="BriefParsers.AzureOpenAi"/>.</param>
public sealed record BriefInterpretation(SearchFilters Filters, string? RemainingText, string Parser)
{
    /// <summary>
    /// The query with these filters under the explicit ones: an attribute the request filters
    /// itself keeps the request's filter (explicit wins, per attribute, a range as a whole), and the
    /// text becomes the words left over.
    /// </summary>
    public SearchQuery ApplyTo(SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var combined = SearchAttributeCatalog.All
            .Where(a => a.IsFiltered(Filters) && !a.IsFiltered(query.Filters))
            .Aggregate(query.Filters, (filters, a) => a switch
            {
                DiscreteAttribute discrete => discrete.WithOrdinals(filters, discrete.FilteredOrdinals(Filters)!),
                RangeAttribute range => range.FilteredRange(Filters) is var (low, high) ? range.WithRange(filters, low, high) : filters,
                _ => filters,
            });
        return query with { Filters = combined, Text = RemainingText };
    }

    /// <summary>The interpretation as the response reports it, filters named as the API names them.</summary>
    public InterpretedQuery Describe() => new(DescribeFilters(Filters), RemainingText, Parser);

    /// <summary><c>{"hairColor": ["BLONDE"], "hasTattoos": false, "minHeight": 175}</c>, in catalogue order.</summary>
    public static IReadOnlyDictionary<string, object> DescribeFilters(SearchFilters filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var described = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var attribute in SearchAttributeCatalog.All.Where(a => a.IsFiltered(filters)))
        {
            switch (attribute)
            {
                case FlagAttribute flag:
                    described[flag.Name] = flag.Filter(filters)!.Value;
                    break;
                case DiscreteAttribute discrete:
                    described[discrete.Name] = discrete.FilteredOrdinals(filters)!.Select(o => discrete.Labels[o]).ToArray();
                    break;
                case RangeAttribute range:
                    var (low, high) = range.FilteredRange(filters);
                    if (low is { } min)
                    {
                        described[range.MinName] = min;
                    }
                    if (high is { } max)
                    {
                        described[range.MaxName] = max;
                    }
                    break;
            }
        }
        return described;
    }
}

/// <summary>How the search read its <c>q</c> text (see <see cref="BriefInterpretation"/>).</summary>
/// <param name="Filters">The filters read from the text, named as the request names them: enum values as lists of labels, flags as booleans, ranges as their <c>min…</c>/<c>max…</c> ends. Explicit filters of the request win over these.</param>
/// <param name="RemainingText">The words that name no attribute, searched semantically; null when none are left.</param>
/// <param name="Parser"><c>local</c> (the deterministic parser) or <c>azure-openai</c> (the chat model, when configured).</param>
public sealed record InterpretedQuery(IReadOnlyDictionary<string, object> Filters, string? RemainingText, string Parser);

/// <summary>The values of <see cref="BriefInterpretation.Parser"/>, as the API spells them.</summary>
public static class BriefParsers
{
    public const string Local = "local";
    public const string AzureOpenAi = "azure-openai";
}

/// <summary>Turns the free text of a search into filters and the words left over.</summary>
public interface IBriefInterpreter
{
    /// <param name="text">Not blank.</param>
    Task<BriefInterpretation> InterpretAsync(string text, CancellationToken cancellationToken);
}

/// <summary>The deterministic parser, with today's date for ages ("in her twenties").</summary>
public sealed class LocalBriefInterpreter(TimeProvider time) : IBriefInterpreter
{
    public Task<BriefInterpretation> InterpretAsync(string text, CancellationToken cancellationToken) =>
        Task.FromResult(Interpret(text));

    public BriefInterpretation Interpret(string text) =>
        BriefParser.Parse(text, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
}
