namespace Likeness.Shared.Search.Briefs;

/// <summary>How search text is read, section <c>Search:Briefs</c>.</summary>
public sealed class BriefOptions
{
    public const string SectionName = "Search:Briefs";

    /// <summary>
    /// Read briefs with the Azure OpenAI chat deployment <c>AI:VisionModel</c> (needs <c>AI:Endpoint</c>), falling back to
    /// the local parser when it fails or is slow. Off by default: the local parser is free and
    /// takes microseconds.
    /// </summary>
    public bool UseAzureOpenAI { get; set; }

    /// <summary>
    /// How long the chat model may take before the local parser reads the brief instead. Short:
    /// it is spent inside the search's own <c>Search:Timeout</c>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}
