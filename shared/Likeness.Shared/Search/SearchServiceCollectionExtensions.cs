using Likeness.Shared.Data;
using Likeness.Shared.Search.ReadModel;
using Likeness.Shared.Search.Briefs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="LikenessSearchService"/> with its options (section <c>Search</c>, checked at
    /// start-up so a bad setting stops the app rather than every search), the in-memory read model
    /// of exact search as a hosted service (section <c>SearchReadModel</c>), and the brief parser
    /// the search reads its text with. Needs the database and the providers registered.
    /// </summary>
    public static IServiceCollection AddLikenessSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>();
        services.AddSingleton<SearchReadAccess>();
        services.AddOptions<SearchReadModelOptions>().BindConfiguration(SearchReadModelOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchReadModelOptions>, SearchReadModelOptionsValidator>();
        services.AddSingleton<SearchReadModel>();
        services.AddHostedService(provider => provider.GetRequiredService<SearchReadModel>());
        services.AddSingleton<ExactSearch>();
        // The local brief parser unless the providers registered the chat model's (which falls back to it).
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LocalBriefInterpreter>();
        services.TryAddSingleton<IBriefInterpreter>(provider => provider.GetRequiredService<LocalBriefInterpreter>());
        services.AddSingleton<LikenessSearchService>();
        return services;
    }

    private sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
    {
        public ValidateOptionsResult Validate(string? name, SearchOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    private sealed class SearchReadModelOptionsValidator : IValidateOptions<SearchReadModelOptions>
    {
        public ValidateOptionsResult Validate(string? name, SearchReadModelOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
