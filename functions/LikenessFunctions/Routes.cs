namespace LikenessFunctions;

/// <summary>
/// The route of every HTTP function, relative to the host's route prefix. The frontend and the
/// rest of the platform depend on these paths: change one only with them.
/// </summary>
public static class Routes
{
    /// <summary>host.json's <c>extensions.http.routePrefix</c>; a test keeps the two equal.</summary>
    public const string Prefix = "api";

    public const string Health = "health";
    public const string Search = "likeness/search";
    public const string SimilarAccounts = "likeness/accounts/{accountId}/similar";
    public const string Queue = "likeness/queue";
    public const string QueueEvent = "likeness/queue/{eventId}";
    public const string Media = "media/{filename}";
    public const string OpenApiDocument = "openapi.json";

    /// <summary>The public path of a route, for links such as a Location header.</summary>
    public static string PathOf(string route) => $"/{Prefix}/{route}";
}
