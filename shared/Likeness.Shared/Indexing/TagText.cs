using Likeness.Shared.Data;

namespace Likeness.Shared.Indexing;

/// <summary>
/// The canonical text of an account's attributes, which is what gets embedded: one
/// <c>name: value</c> clause per known attribute in the catalogue's order, lower case, enum
/// labels as words, counts as coarse bands (<see cref="SearchAttribute.Describe"/>). Equal
/// attributes always give equal text, so an unchanged account is never embedded twice; a search
/// query is normalized the same way.
/// </summary>
public static class TagText
{
    public static string Normalize(SearchAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return string.Join("; ", SearchAttributeCatalog.All
            .Select(a => a.Describe(attributes) is { } value ? $"{a.Words}: {value}" : null)
            .OfType<string>());
    }
}
