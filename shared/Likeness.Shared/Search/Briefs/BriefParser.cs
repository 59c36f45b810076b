using System.Text.RegularExpressions;
using Likeness.Shared.Data;

namespace Likeness.Shared.Search.Briefs;

/// <summary>
/// Reads a casting brief in everyday English ("blonde woman in her twenties with blue eyes, UK
/// based, over 50k followers, no tattoos") into <see cref="SearchFilters"/> and the words that name
/// no attribute. Deterministic, no network, microseconds: the vocabulary is built once from
/// <see cref="SearchAttributeCatalog"/> and <see cref="BriefVocabulary"/>.
/// </summary>
/// <remarks>
/// <para>
/// Numbers first (<see cref="BriefNumbers"/>): heights, weights, followers, engagement, ages and
/// birth years with their comparisons. Then words, left to right, the longest known phrase first.
/// </para>
/// <para>
/// Ambiguity rules. A phrase that several attributes share ("brown": hair, eyes, skin; "British":
/// country, accent) is the attribute whose word stands next to it: after it ("brown eyes", skipping
/// fillers and values named by the same word: "brown and curly hair"), else right before it ("hair: brown",
/// "speaks Spanish"). Without such a word it is its first synonym row (see
/// <see cref="BriefVocabulary"/>: "British" alone is the country), else, when all the labels it
/// could be belong to one attribute, that one; otherwise it is not read and stays in the text for
/// the semantic part. Values of one enum are alternatives ("blonde or red hair": either). A flag
/// named both ways is dropped.
/// </para>
/// <para>
/// Negation: "no", "not", "without" (and the like) turn the next value around, across fillers
/// ("without any visible tattoos") and across "or" ("no tattoos or piercings"), up to a comma or a
/// full stop. A negated flag is false; a negated enum value leaves every other value of the enum
/// ("not blonde": any other hair colour), so an unknown value does not match it either.
/// </para>
/// </remarks>
public static partial class BriefParser
{
    /// <summary>How many phrases (values or fillers) a value looks across for its attribute's word.</summary>
    private const int ContextReach = 4;

    private static readonly Lexicon Words = Lexicon.Build();

    /// <param name="today">Ages become birth years counted back from it.</param>
    public static BriefInterpretation Parse(string text, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(text);
        var consumed = new bool[text.Length];
        var filters = BriefNumbers.Read(text, today, consumed);
        var tokens = Tokenize(text, consumed);
        var used = new bool[tokens.Count];
        var readings = new List<(Meaning Meaning, bool Negated)>();
        var negated = false;
        for (var i = 0; i < tokens.Count;)
        {
            if (tokens[i].BoundaryBefore)
            {
                negated = false;
            }
            if (used[i])
            {
                // An attribute's word an earlier value took as its context ("blue eyes").
                i++;
                continue;
            }
            if (Words.MatchValue(tokens, i) is > 0 and var length)
            {
                var alternatives = Words.Values[Join(tokens, i, length)];
                if (Resolve(tokens, i, length, alternatives, used) is { } chosen)
                {
                    readings.AddRange(chosen.Meanings.Select(m => (m, negated)));
                    Array.Fill(used, true, i, length);
                    negated = negated && i + length < tokens.Count && !tokens[i + length].BoundaryBefore
                        && BriefVocabulary.Alternatives.Contains(tokens[i + length].Word);
                }
                else
                {
                    negated = false;
                }
                i += length;
                continue;
            }
            var word = tokens[i].Word;
            if (BriefVocabulary.Negators.Contains(word))
            {
                negated = true;
                used[i] = true;
            }
            else if (!BriefVocabulary.Fillers.Contains(word) && !used[i])
            {
                negated = false;
            }
            i++;
        }

        filters = Apply(filters, readings);
        var left = tokens
            .Where((token, i) => !used[i] && !BriefVocabulary.Fillers.Contains(token.Word))
            .Select(token => token.Original)
            .ToList();
        return new BriefInterpretation(filters, left.Count == 0 ? null : string.Join(' ', left), BriefParsers.Local);
    }

    /// <summary>The alternative the context picks, or the phrase's meaning on its own, or null when that is ambiguous.</summary>
    private static Alternative? Resolve(IReadOnlyList<Token> tokens, int start, int length, IReadOnlyList<Alternative> alternatives, bool[] used)
    {
        var attributes = alternatives.SelectMany(a => a.Meanings).Select(m => m.Attribute).ToHashSet();
        if (FindHead(tokens, start, length, attributes) is var (headStart, headLength, headAttributes))
        {
            var chosen = alternatives.First(a => a.Meanings.Any(m => headAttributes.Contains(m.Attribute)));
            Array.Fill(used, true, headStart, headLength);
            return chosen;
        }
        var alone = alternatives.Where(a => !a.NeedsContext).ToList();
        var own = alone.FirstOrDefault(a => a.IsSynonym)
            ?? (alone.Count > 0 && alone.All(a => a.Meanings[0].Attribute == alone[0].Meanings[0].Attribute)
                ? new Alternative([new Meaning(alone[0].Meanings[0].Attribute, [.. alone.SelectMany(a => a.Meanings[0].Ordinals)])], false, false)
                : null);
        return own;
    }

    /// <summary>
    /// A word naming one of <paramref name="attributes"/> after the value (across other values,
    /// fillers and "or", up to a comma), else right before it.
    /// </summary>
    private static (int Start, int Length, IReadOnlySet<DiscreteAttribute> Attributes)? FindHead(
        IReadOnlyList<Token> tokens, int start, int length, HashSet<DiscreteAttribute> attributes)
    {
        var j = start + length;
        for (var step = 0; step < ContextReach && j < tokens.Count && !tokens[j].BoundaryBefore; step++)
        {
            if (Words.MatchHead(tokens, j, attributes) is var (headLength, named) && headLength > 0)
            {
                return (j, headLength, named);
            }
            if (Words.MatchValue(tokens, j) is > 0 and var valueLength)
            {
                // Only across values named by the same word ("brown and curly hair"), not across
                // others: "black woman with kinky hair" is not black hair.
                if (!Words.Values[Join(tokens, j, valueLength)].Any(a => a.Meanings.Any(m => Words.ShareHead(m.Attribute, attributes))))
                {
                    break;
                }
                j += valueLength;
            }
            else if (BriefVocabulary.Fillers.Contains(tokens[j].Word))
            {
                j++;
            }
            else
            {
                break;
            }
        }
        if (!tokens[start].BoundaryBefore)
        {
            for (var headLength = Lexicon.MaxHeadWords; headLength >= 1; headLength--)
            {
                if (start - headLength >= 0 && Words.MatchHead(tokens, start - headLength, attributes) is var (found, named) && found == headLength)
                {
                    return (start - headLength, headLength, named);
                }
            }
        }
        return null;
    }

    private static SearchFilters Apply(SearchFilters filters, List<(Meaning Meaning, bool Negated)> readings)
    {
        foreach (var group in readings.GroupBy(r => r.Meaning.Attribute))
        {
            var attribute = group.Key;
            if (attribute is FlagAttribute)
            {
                // A negated flag is the other value: "no tattoos" is hasTattoos false.
                var values = group.SelectMany(r => r.Meaning.Ordinals.Select(o => r.Negated ? 1 - o : o)).Distinct().ToList();
                filters = attribute.WithOrdinals(filters, values);
                continue;
            }
            var asked = group.Where(r => !r.Negated).SelectMany(r => r.Meaning.Ordinals).ToHashSet();
            var refused = group.Where(r => r.Negated).SelectMany(r => r.Meaning.Ordinals).ToHashSet();
            var accepted = Enumerable.Range(0, attribute.Labels.Count)
                .Where(o => (asked.Count == 0 || asked.Contains(o)) && !refused.Contains(o))
                .ToList();
            // Nothing left (a contradiction) or everything (no restriction) is no filter.
            if (accepted.Count > 0 && accepted.Count < attribute.Labels.Count)
            {
                filters = attribute.WithOrdinals(filters, accepted);
            }
        }
        return filters;
    }

    private static List<Token> Tokenize(string text, bool[] consumed)
    {
        var tokens = new List<Token>();
        var previousEnd = 0;
        // What was read as a number separates the words around it.
        var afterNumber = false;
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            var boundary = afterNumber || tokens.Count == 0
                || text.AsSpan(previousEnd, match.Index - previousEnd).IndexOfAny(",;.!?()[]/\n") >= 0
                || consumed.AsSpan(previousEnd, match.Index - previousEnd).Contains(true);
            previousEnd = match.Index + match.Length;
            afterNumber = consumed.AsSpan(match.Index, match.Length).Contains(true);
            if (!afterNumber)
            {
                var original = text.Substring(match.Index, match.Length);
                tokens.Add(new Token(original.ToLowerInvariant(), original, boundary));
            }
        }
        return tokens;
    }

    private static string Join(IReadOnlyList<Token> tokens, int start, int length) =>
        length == 1 ? tokens[start].Word : string.Join(' ', Enumerable.Range(start, length).Select(i => tokens[i].Word));

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <param name="Word">Lower case.</param>
    /// <param name="BoundaryBefore">A comma, full stop or the like (or a number read) comes before it: context and negation stop there.</param>
    private sealed record Token(string Word, string Original, bool BoundaryBefore);

    /// <summary>One reading of a phrase: values of one attribute (a flag's ordinal 1 is true).</summary>
    private sealed record Meaning(DiscreteAttribute Attribute, int[] Ordinals);

    /// <param name="IsSynonym">From <see cref="BriefVocabulary.Synonyms"/>, so the phrase's meaning on its own when it is the first.</param>
    private sealed record Alternative(Meaning[] Meanings, bool IsSynonym, bool NeedsContext);

    /// <summary>The phrases of values and of attribute names, built once from the catalogue and the vocabulary.</summary>
    private sealed class Lexicon
    {
        public const int MaxHeadWords = 3;

        // Leading words of attribute names that do not name the attribute on their own.
        private static readonly HashSet<string> NotHeads = new(StringComparer.Ordinal) { "is", "has", "wear", "number", "primary", "target", "content", "facial" };

        public Dictionary<string, List<Alternative>> Values { get; } = new(StringComparer.Ordinal);

        private Dictionary<string, HashSet<DiscreteAttribute>> Heads { get; } = new(StringComparer.Ordinal);

        /// <summary>For each attribute, the attributes one of its words also names (itself included).</summary>
        private Dictionary<DiscreteAttribute, HashSet<DiscreteAttribute>> Neighbours { get; } = [];

        private int maxValueWords = 1;

        public static Lexicon Build()
        {
            var lexicon = new Lexicon();
            foreach (var (phrases, meanings) in BriefVocabulary.Synonyms)
            {
                var parsed = meanings.Select(ParseMeaning).ToArray();
                foreach (var phrase in phrases.Split('|'))
                {
                    lexicon.AddValue(phrase, new Alternative(parsed, true, false));
                }
            }
            foreach (var attribute in SearchAttributeCatalog.Discrete)
            {
                var words = attribute.Words.Split(' ');
                lexicon.AddHead(attribute.Words, attribute);
                if (words.Length > 1 && !NotHeads.Contains(words[0]))
                {
                    lexicon.AddHead(words[0], attribute);
                }
                foreach (var head in BriefVocabulary.Heads.GetValueOrDefault(attribute.Name)?.Split('|') ?? [])
                {
                    lexicon.AddHead(head, attribute);
                }
                if (attribute is FlagAttribute)
                {
                    var yes = new Alternative([new Meaning(attribute, [1])], false, false);
                    lexicon.AddValue(attribute.Words, yes);
                    lexicon.AddValue(words[^1], yes);
                    continue;
                }
                for (var ordinal = 0; ordinal < attribute.Labels.Count; ordinal++)
                {
                    var label = attribute.Labels[ordinal];
                    var value = new Alternative(
                        [new Meaning(attribute, [ordinal])], false, BriefVocabulary.NeedContext.Contains($"{attribute.Name}:{label}"));
                    var phrase = label.ToLowerInvariant().Replace('_', ' ');
                    lexicon.AddValue(phrase, value);
                    // Plural labels (CREATORS, VOICE_ARTISTS) are also read in the singular.
                    if (phrase.Length > 4 && phrase.EndsWith('s') && !phrase.EndsWith("ss", StringComparison.Ordinal))
                    {
                        lexicon.AddValue(phrase[..^1], value);
                    }
                }
            }
            foreach (var named in lexicon.Heads.Values)
            {
                foreach (var attribute in named)
                {
                    if (!lexicon.Neighbours.TryGetValue(attribute, out var neighbours))
                    {
                        lexicon.Neighbours[attribute] = neighbours = [];
                    }
                    neighbours.UnionWith(named);
                }
            }
            return lexicon;
        }

        /// <summary>How many tokens from <paramref name="start"/> make the longest value phrase, 0 for none.</summary>
        public int MatchValue(IReadOnlyList<Token> tokens, int start)
        {
            for (var length = Math.Min(maxValueWords, tokens.Count - start); length >= 1; length--)
            {
                if (!Enumerable.Range(start + 1, length - 1).Any(i => tokens[i].BoundaryBefore) && Values.ContainsKey(Join(tokens, start, length)))
                {
                    return length;
                }
            }
            return 0;
        }

        /// <summary>The longest phrase at <paramref name="start"/> naming any of <paramref name="attributes"/>, and which of them.</summary>
        public (int Length, IReadOnlySet<DiscreteAttribute> Attributes) MatchHead(IReadOnlyList<Token> tokens, int start, HashSet<DiscreteAttribute> attributes)
        {
            for (var length = Math.Min(MaxHeadWords, tokens.Count - start); length >= 1; length--)
            {
                if (!Enumerable.Range(start + 1, length - 1).Any(i => tokens[i].BoundaryBefore)
                    && Heads.TryGetValue(Join(tokens, start, length), out var named) && named.Overlaps(attributes))
                {
                    return (length, named.Intersect(attributes).ToHashSet());
                }
            }
            return (0, new HashSet<DiscreteAttribute>());
        }

        /// <summary>Whether <paramref name="attribute"/> is named by a word that also names one of <paramref name="attributes"/> ("hair").</summary>
        public bool ShareHead(DiscreteAttribute attribute, HashSet<DiscreteAttribute> attributes) =>
            Neighbours.TryGetValue(attribute, out var named) && named.Overlaps(attributes);

        private void AddValue(string phrase, Alternative alternative)
        {
            var key = Normalize(phrase);
            if (!Values.TryGetValue(key, out var alternatives))
            {
                Values[key] = alternatives = [];
            }
            // A label repeated by a synonym ("blonde") is one alternative, not two.
            if (!alternatives.Any(a => a.Meanings.SequenceEqual(alternative.Meanings, MeaningComparer.Instance)))
            {
                alternatives.Add(alternative);
            }
            maxValueWords = Math.Max(maxValueWords, key.Count(c => c == ' ') + 1);
        }

        private void AddHead(string phrase, DiscreteAttribute attribute)
        {
            var key = Normalize(phrase);
            if (!Heads.TryGetValue(key, out var attributes))
            {
                Heads[key] = attributes = [];
            }
            attributes.Add(attribute);
        }

        private static string Normalize(string phrase) =>
            string.Join(' ', WordPattern().Matches(phrase.ToLowerInvariant()).Select(m => m.Value));

        private static Meaning ParseMeaning(string meaning)
        {
            var (name, labels) = meaning.Split(':') is [var n, var l] ? (n, l) : throw new FormatException($"Not attribute:LABEL|LABEL: {meaning}");
            var attribute = SearchAttributeCatalog.Get(name) as DiscreteAttribute
                ?? throw new FormatException($"{name} is not an enum or flag attribute.");
            return new Meaning(attribute, [.. labels.Split('|').Select(label => attribute.OrdinalOfLabel(label) is >= 0 and var ordinal
                ? ordinal
                : throw new FormatException($"{label} is not a value of {name}."))]);
        }
    }

    private sealed class MeaningComparer : IEqualityComparer<Meaning>
    {
        public static readonly MeaningComparer Instance = new();

        public bool Equals(Meaning? x, Meaning? y) =>
            x is not null && y is not null && x.Attribute == y.Attribute && x.Ordinals.SequenceEqual(y.Ordinals);

        public int GetHashCode(Meaning obj) => obj.Attribute.GetHashCode();
    }
}
