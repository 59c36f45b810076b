namespace Likeness.Shared.Providers;

/// <summary>ElevenLabs voice cloning; without an API key voices are not cloned.</summary>
public sealed class ElevenLabsOptions
{
    public const string SectionName = "ElevenLabs";

    public Uri Endpoint { get; set; } = new("https://api.elevenlabs.io");

    public string? ApiKey { get; set; }

    public string ModelId { get; set; } = "eleven_multilingual_v2";

    /// <summary>Per call; rendering speech takes longer than most API calls.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>What the cloned voice says in the sample that buyers listen to.</summary>
    public string SampleText { get; set; } =
        "Hi there! This is a sample of my voice. I can bring your script to life, whatever the story you want to tell.";
}
