using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Likeness.Shared.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="LikenessSearchService"/> with its options (section <c>Search</c>, checked at
    /// start-up so a bad setting stops the app rather than every search). Needs the database and
    /// the providers registered.
    /// </summary>
    public static IServiceCollection AddLikenessSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>();
        services.AddSingleton<SearchReadAccess>();
        services.AddSingleton<LikenessSearchService>();
        return services;
    }

    private sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
    {
        public ValidateOptionsResult Validate(string? name, SearchOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
